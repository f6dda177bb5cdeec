package org.openshard.registry.validation;

import com.google.protobuf.InvalidProtocolBufferException;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.proto.v1.DeregisterRequest;
import org.openshard.proto.v1.Deregistration;
import org.openshard.registry.RegistryException;

/** REG-12: a deregistration is signed by the peer's identity key and timestamped like a registration. */
public final class DeregistrationValidator {
  public static final String CONTEXT = "openshard.v1.Deregistration";

  private final long maxClockSkewMs;

  public DeregistrationValidator(long maxClockSkewMs) {
    this.maxClockSkewMs = maxClockSkewMs;
  }

  public Deregistration validate(DeregisterRequest request, long nowMs) throws RegistryException {
    if (request.getDeregistration().isEmpty()) {
      throw RegistryException.invalid("deregistration", "deregistration bytes are required");
    }
    if (request.getDeregistration().size() > Limits.MAX_DEREGISTRATION_BYTES) {
      throw RegistryException.limit(
          "deregistration", "deregistration is larger than " + Limits.MAX_DEREGISTRATION_BYTES + " bytes");
    }
    if (request.getSignature().size() != IdentitySignatures.SIGNATURE_BYTES) {
      throw RegistryException.signature("signature", "deregistration signature must be 65 bytes");
    }
    Deregistration d;
    try {
      d = Deregistration.parseFrom(request.getDeregistration());
    } catch (InvalidProtocolBufferException e) {
      throw RegistryException.invalid("deregistration", "deregistration does not parse as Deregistration");
    }
    if (!Identifiers.isPeerId(d.getPeerId())) {
      throw RegistryException.invalid("peer_id", "peer_id must be a lowercase 0x-prefixed 40-hex-digit address");
    }
    TimestampRule.check(d.getTimestampMs(), nowMs, maxClockSkewMs, "timestamp_ms");
    String signer;
    try {
      signer = IdentitySignatures.recoverAddress(CONTEXT, request.getDeregistration().toByteArray(), request.getSignature().toByteArray());
    } catch (CryptoException e) {
      throw RegistryException.signature("signature", "deregistration signature is invalid");
    }
    if (!signer.equals(d.getPeerId())) {
      throw RegistryException.signature("signature", "deregistration is not signed by the key of its peer_id");
    }
    return d;
  }
}
