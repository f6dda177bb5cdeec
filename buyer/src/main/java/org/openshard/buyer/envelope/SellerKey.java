package org.openshard.buyer.envelope;

import java.time.Instant;
import java.util.Objects;

/**
 * A seller encryption key whose announcement has been verified (signed by the seller's identity
 * key, inside its validity window). The verifier that produced it attaches its own typed handle,
 * which only the matching {@link EnvelopeFactory} reads back.
 */
public final class SellerKey {
  private final String sellerId;
  private final String keyId;
  private final Instant notBefore;
  private final Instant notAfter;
  private final Object handle;

  public SellerKey(String sellerId, String keyId, Instant notBefore, Instant notAfter, Object handle) {
    this.sellerId = Objects.requireNonNull(sellerId, "sellerId");
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
    this.notAfter = Objects.requireNonNull(notAfter, "notAfter");
    this.handle = Objects.requireNonNull(handle, "handle");
  }

  public String sellerId() {
    return sellerId;
  }

  public String keyId() {
    return keyId;
  }

  public Instant notBefore() {
    return notBefore;
  }

  public Instant notAfter() {
    return notAfter;
  }

  public boolean isValidAt(Instant t) {
    return !t.isBefore(notBefore) && t.isBefore(notAfter);
  }

  /** The verifier's handle, if it is of the given type. */
  public <T> T handle(Class<T> type) {
    if (!type.isInstance(handle)) {
      throw new IllegalStateException("seller key handle is a " + handle.getClass().getSimpleName() + ", not " + type.getSimpleName());
    }
    return type.cast(handle);
  }

  @Override
  public String toString() {
    return "SellerKey{" + sellerId + "/" + keyId + ", until " + notAfter + "}";
  }
}
