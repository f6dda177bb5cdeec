package org.openshard.seller.pipeline;

import org.openshard.proto.v1.PrivacyEnvelope;

/**
 * Stages 4 to 6: ECDH between the seller key named by the envelope and the buyer's ephemeral key,
 * decryption of the session key, then decryption of the query.
 */
@FunctionalInterface
public interface EnvelopeDecryptor {
  /**
   * @throws StageException UNKNOWN_SELLER_KEY, SELLER_KEY_EXPIRED, INVALID_PUBLIC_KEY,
   *     DECRYPTION_FAILED, INVALID_QUERY, UNSUPPORTED_VERSION
   */
  OpenedQuery open(PrivacyEnvelope envelope) throws StageException;
}
