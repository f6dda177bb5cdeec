package org.openshard.registry.store;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.openshard.proto.v1.KeyAnnouncement;
import org.openshard.proto.v1.Offering;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.proto.v1.SellerRegistration;

/**
 * An accepted registration: the exact signed bytes, the decoded form and what the index needs
 * (service ids, key expiry). Immutable. Liveness (load, deadline) lives beside it, see {@link
 * Liveness}.
 */
public final class PeerRecord {
  private final RegisterRequest signed;
  private final SellerRegistration registration;
  private final List<String> serviceIds;
  private final long keyNotAfterUnix;

  public PeerRecord(RegisterRequest signed, SellerRegistration registration, long keyNotAfterUnix) {
    this.signed = Objects.requireNonNull(signed, "signed");
    this.registration = Objects.requireNonNull(registration, "registration");
    this.serviceIds = serviceIdsOf(registration);
    this.keyNotAfterUnix = keyNotAfterUnix;
  }

  /**
   * Decodes a stored signed registration (already validated when it was accepted).
   *
   * @throws InvalidProtocolBufferException if the bytes do not parse
   */
  public static PeerRecord decode(RegisterRequest signed) throws InvalidProtocolBufferException {
    SellerRegistration reg = SellerRegistration.parseFrom(signed.getRegistration());
    KeyAnnouncement ka = KeyAnnouncement.parseFrom(reg.getEncryptionKey().getAnnouncement());
    return new PeerRecord(signed, reg, ka.getNotAfterUnix());
  }

  /** The distinct service ids of all offerings, sorted. */
  public static List<String> serviceIdsOf(SellerRegistration registration) {
    TreeSet<String> ids = new TreeSet<>();
    for (Offering o : registration.getOfferingsList()) {
      ids.addAll(o.getServiceIdsList());
    }
    return List.copyOf(ids);
  }

  public String peerId() {
    return registration.getPeerId();
  }

  /** The registration exactly as the seller signed it. */
  public RegisterRequest signed() {
    return signed;
  }

  public SellerRegistration registration() {
    return registration;
  }

  public long timestampMs() {
    return registration.getTimestampMs();
  }

  /** Distinct service ids over all offerings, sorted. */
  public List<String> serviceIds() {
    return serviceIds;
  }

  /** End of the announced encryption key's validity window, Unix seconds. */
  public long keyNotAfterUnix() {
    return keyNotAfterUnix;
  }

  @Override
  public String toString() {
    return "PeerRecord(" + peerId() + ", ts=" + timestampMs() + ", services=" + serviceIds + ")";
  }
}
