package org.openshard.buyer.envelope;

import java.time.Instant;
import org.openshard.buyer.BuyerException;
import org.openshard.proto.v1.SignedKeyAnnouncement;

/** Checks a seller's signed key announcement (signature recovers {@code sellerId}, window holds). */
public interface SellerKeyVerifier {
  /**
   * @throws BuyerException SIGNATURE_INVALID, SELLER_KEY_EXPIRED, INVALID_PUBLIC_KEY or
   *     UNSUPPORTED_VERSION saying what failed
   */
  SellerKey verify(SignedKeyAnnouncement signed, String sellerId, Instant now) throws BuyerException;
}
