package org.openshard.buyer.envelope;

import java.time.Instant;
import org.openshard.buyer.BuyerException;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.envelope.KeyAnnouncements;
import org.openshard.crypto.envelope.VerifiedKeyAnnouncement;
import org.openshard.proto.v1.SignedKeyAnnouncement;

/** The real {@link SellerKeyVerifier}: {@link KeyAnnouncements#verify} (protocol.md KEY-3..KEY-8). */
public final class AnnouncementVerifier implements SellerKeyVerifier {
  @Override
  public SellerKey verify(SignedKeyAnnouncement signed, String sellerId, Instant now) throws BuyerException {
    VerifiedKeyAnnouncement v;
    try {
      v = KeyAnnouncements.verify(signed, sellerId, now);
    } catch (CryptoException e) {
      throw CryptoErrors.toBuyer(e).withMetadata("peer_id", sellerId);
    }
    return new SellerKey(v.sellerId(), v.keyId(), v.notBefore(), v.notAfter(), v);
  }
}
