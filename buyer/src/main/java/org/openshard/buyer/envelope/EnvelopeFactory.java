package org.openshard.buyer.envelope;

import org.openshard.buyer.BuyerException;
import org.openshard.proto.v1.SealedQuery;

/**
 * Builds the privacy envelope for a chosen seller: a fresh ephemeral key and session, the query
 * sealed to the seller's key, and a credential ring proof whose nullifier is scoped to
 * {@code slot}. The wallet address appears nowhere in it.
 */
public interface EnvelopeFactory {
  /**
   * @throws BuyerException e.g. UNKNOWN_ANCHOR_SET if no usable anchor set contains the buyer's
   *     anchor yet, INVALID_PUBLIC_KEY for a bad seller key
   */
  PreparedEnvelope prepare(SellerKey key, SealedQuery query, NullifierSlot slot) throws BuyerException;
}
