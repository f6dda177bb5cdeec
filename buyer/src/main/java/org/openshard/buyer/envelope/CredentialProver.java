package org.openshard.buyer.envelope;

import org.openshard.buyer.BuyerException;

/**
 * Proves, without revealing which, that the buyer holds the secret of one anchor in a ring drawn
 * from the current anchor set, with a nullifier scoped to {@code slot}, over an envelope's
 * transcript digest.
 */
public interface CredentialProver {
  /** @throws BuyerException UNKNOWN_ANCHOR_SET if no published anchor set contains the buyer's anchor yet */
  ProvenScope prove(NullifierSlot slot, TranscriptDigest transcript) throws BuyerException;
}
