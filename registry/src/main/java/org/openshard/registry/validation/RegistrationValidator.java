package org.openshard.registry.validation;

import com.google.protobuf.InvalidProtocolBufferException;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.proto.v1.KeyAnnouncement;
import org.openshard.proto.v1.PaymentTerms;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.proto.v1.SellerRegistration;
import org.openshard.registry.RegistryException;
import org.openshard.registry.store.PeerRecord;

/**
 * Checks a {@link RegisterRequest} against REG-1 .. REG-10 (docs/protocol.md, section 7) and returns
 * the accepted {@link PeerRecord}. Cheap structural checks run first, the two signature recoveries
 * last; the first failure is reported. REG-11 (strictly newer than the last accepted message) is
 * enforced atomically by the store.
 */
public final class RegistrationValidator {
  public static final String CONTEXT = "openshard.v1.SellerRegistration";

  private final long maxClockSkewMs;

  public RegistrationValidator(long maxClockSkewMs) {
    this.maxClockSkewMs = maxClockSkewMs;
  }

  public PeerRecord validate(RegisterRequest request, long nowMs) throws RegistryException {
    // REG-1: sizes.
    if (request.getRegistration().isEmpty()) {
      throw RegistryException.invalid("registration", "registration bytes are required");
    }
    if (request.getRegistration().size() > Limits.MAX_REGISTRATION_BYTES) {
      throw RegistryException.limit(
          "registration",
          "registration is " + request.getRegistration().size() + " bytes; the limit is " + Limits.MAX_REGISTRATION_BYTES);
    }
    if (request.getSignature().size() != IdentitySignatures.SIGNATURE_BYTES) {
      throw RegistryException.signature(
          "signature", "registration signature must be 65 bytes (r || s || v), was " + request.getSignature().size());
    }
    // REG-2: it parses.
    SellerRegistration reg;
    try {
      reg = SellerRegistration.parseFrom(request.getRegistration());
    } catch (InvalidProtocolBufferException e) {
      throw RegistryException.invalid("registration", "registration does not parse as SellerRegistration");
    }
    // REG-3: peer id shape.
    if (!Identifiers.isPeerId(reg.getPeerId())) {
      throw RegistryException.invalid(
          "peer_id", "peer_id must be a lowercase 0x-prefixed 40-hex-digit address, was " + Identifiers.quote(reg.getPeerId()));
    }
    // REG-5: clock skew.
    TimestampRule.check(reg.getTimestampMs(), nowMs, maxClockSkewMs, "timestamp_ms");
    // REG-6: endpoint.
    EndpointRule.check(reg.getEndpoint(), "endpoint");
    // REG-7, REG-8: offerings.
    OfferingRules.check(reg.getOfferingsList());
    // REG-9 (structure): the key announcement.
    KeyAnnouncement ka = KeyAnnouncementRules.parse(reg.getEncryptionKey(), reg.getPeerId(), nowMs, maxClockSkewMs);
    // REG-10: payment terms.
    checkPaymentTerms(reg.getPaymentTerms());
    // REG-4: the registration signature recovers peer_id.
    String signer;
    try {
      signer = IdentitySignatures.recoverAddress(CONTEXT, request.getRegistration().toByteArray(), request.getSignature().toByteArray());
    } catch (CryptoException e) {
      throw RegistryException.signature("signature", "registration signature is invalid");
    }
    if (!signer.equals(reg.getPeerId())) {
      throw RegistryException.signature("signature", "registration is not signed by the key of its peer_id");
    }
    // REG-9 (signature): same identity signed the key announcement.
    KeyAnnouncementRules.verifySignature(reg.getEncryptionKey(), reg.getPeerId());
    return new PeerRecord(request, reg, ka.getNotAfterUnix());
  }

  private static void checkPaymentTerms(PaymentTerms t) throws RegistryException {
    checkAddress(t.getEscrowContract(), "payment_terms.escrow_contract");
    checkAddress(t.getPayee(), "payment_terms.payee");
    checkAddress(t.getToken(), "payment_terms.token");
    boolean any = !t.getEscrowContract().isEmpty() || !t.getPayee().isEmpty() || !t.getToken().isEmpty();
    if (any && t.getChainId() == 0) {
      throw RegistryException.invalid("payment_terms.chain_id", "payment_terms need a chain_id");
    }
  }

  private static void checkAddress(String a, String field) throws RegistryException {
    if (!a.isEmpty() && !Identifiers.ADDRESS.matcher(a).matches()) {
      throw RegistryException.invalid(field, "must be a 0x-prefixed 40-hex-digit address");
    }
  }
}
