package org.openshard.payments.eip712;

import java.util.Arrays;
import java.util.Objects;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;

/**
 * A 65-byte recoverable signature ({@code r || s || v}, low-s, v ∈ {27, 28}) tagged with the kind
 * of typed data it signs. The kind travels with the signature wherever it is stored, so a
 * channel-open signature can never be persisted, loaded or submitted as a voucher signature.
 */
public final class Eip712Signature {
  /** Which typed data a signature is over. */
  public enum Kind {
    CHANNEL_OPEN,
    VOUCHER
  }

  private final Kind kind;
  private final byte[] rsv;

  private Eip712Signature(Kind kind, byte[] rsv) {
    this.kind = kind;
    this.rsv = rsv;
  }

  /** @throws PaymentException MALFORMED unless 65 bytes */
  public static Eip712Signature of(Kind kind, byte[] rsv, String field) throws PaymentException {
    Objects.requireNonNull(kind, "kind");
    if (rsv == null || rsv.length != IdentitySignatures.SIGNATURE_BYTES) {
      throw new PaymentException(
          PaymentException.Reason.MALFORMED, field, field + " must be 65 bytes (r || s || v), was " + (rsv == null ? 0 : rsv.length));
    }
    return new Eip712Signature(kind, rsv.clone());
  }

  public static Eip712Signature fromHex(Kind kind, String hex, String field) throws PaymentException {
    try {
      return of(kind, Bytes.fromHex(hex), field);
    } catch (CryptoException e) {
      throw new PaymentException(PaymentException.Reason.MALFORMED, field, field + " is not hex");
    }
  }

  public Kind kind() {
    return kind;
  }

  public byte[] toBytes() {
    return rsv.clone();
  }

  public String hex() {
    return "0x" + Bytes.hex(rsv);
  }

  /** Requires this signature to be of the expected kind (a typed guard at every use). */
  public Eip712Signature requireKind(Kind expected) throws PaymentException {
    if (kind != expected) {
      throw new PaymentException(
          PaymentException.Reason.BAD_SIGNATURE, "signature", "a " + kind + " signature was given where a " + expected + " signature is required");
    }
    return this;
  }

  /**
   * Recovers the signer of {@code digest}.
   *
   * @throws PaymentException BAD_SIGNATURE if malformed, high-s, or recovers no key
   */
  public EthAddress recover(byte[] digest) throws PaymentException {
    try {
      return EthAddress.parse(IdentitySignatures.recoverAddressFromDigest(digest, rsv), "signer");
    } catch (CryptoException e) {
      throw new PaymentException(PaymentException.Reason.BAD_SIGNATURE, "signature", "signature does not verify: " + e.reason());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Eip712Signature
        && ((Eip712Signature) o).kind == kind
        && Arrays.equals(((Eip712Signature) o).rsv, rsv);
  }

  @Override
  public int hashCode() {
    return 31 * kind.hashCode() + Arrays.hashCode(rsv);
  }

  @Override
  public String toString() {
    return "Eip712Signature(" + kind + ")";
  }
}
