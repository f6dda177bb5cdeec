package org.openshard.buyer.index;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.envelope.SellerKey;
import org.openshard.buyer.envelope.SellerKeyVerifier;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.PeerListing;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.proto.v1.SellerRegistration;

/**
 * Turns a registry {@link PeerListing} into a {@link SellerListing} without trusting the registry:
 * the signed registration bytes must carry a signature that recovers the peer id written inside
 * them, and the encryption key announcement inside must verify for that same peer id. The decoded
 * copy the registry sends along is ignored.
 */
public final class ListingVerifier {
  public static final String REGISTRATION_CONTEXT = "openshard.v1.SellerRegistration";
  static final int MAX_REGISTRATION_BYTES = 64 * 1024;

  private final SellerKeyVerifier keys;

  public ListingVerifier(SellerKeyVerifier keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  /** @throws BuyerException SIGNATURE_INVALID / INVALID_ARGUMENT / key errors, naming the field */
  public SellerListing verify(PeerListing listing, Instant now) throws BuyerException {
    RegisterRequest signed = listing.getSignedRegistration();
    byte[] payload = signed.getRegistration().toByteArray();
    if (payload.length == 0 || payload.length > MAX_REGISTRATION_BYTES) {
      throw BuyerException.invalidArgument("signed_registration.registration", "registration is empty or larger than 64 KiB");
    }
    String signer;
    try {
      signer = IdentitySignatures.recoverAddress(REGISTRATION_CONTEXT, payload, signed.getSignature().toByteArray());
    } catch (CryptoException e) {
      throw BuyerException.of(ErrorCode.SIGNATURE_INVALID, "registration signature does not verify: " + e.getMessage());
    }
    SellerRegistration reg;
    try {
      reg = SellerRegistration.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw BuyerException.invalidArgument("signed_registration.registration", "registration bytes do not parse");
    }
    String peerId = reg.getPeerId().toLowerCase(Locale.ROOT);
    if (!signer.equalsIgnoreCase(peerId)) {
      throw BuyerException.of(ErrorCode.SIGNATURE_INVALID, "registration is signed by " + signer + ", not by its peer id " + peerId);
    }
    if (reg.getEndpoint().isEmpty()) {
      throw BuyerException.invalidArgument("registration.endpoint", "registration has no endpoint");
    }
    if (reg.getOfferingsCount() == 0) {
      throw BuyerException.invalidArgument("registration.offerings", "registration has no offerings");
    }
    SellerKey key = keys.verify(reg.getEncryptionKey(), peerId, now);
    return new SellerListing(
        peerId,
        reg.getEndpoint(),
        reg.getOfferingsList(),
        key,
        reg.getPaymentTerms(),
        reg.getTimestampMs(),
        signed.getRegistration(),
        listing.getHealth(),
        listing.getLoad(),
        listing.getLastHeartbeatMs());
  }
}
