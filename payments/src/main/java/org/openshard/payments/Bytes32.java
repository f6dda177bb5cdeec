package org.openshard.payments;

import java.util.Arrays;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;

/** An EIP-712 {@code bytes32} value (a usage digest). Immutable. */
public final class Bytes32 {
  public static final Bytes32 ZERO = new Bytes32(new byte[32]);

  private final byte[] value;

  private Bytes32(byte[] value) {
    this.value = value;
  }

  /** @throws PaymentException MALFORMED unless exactly 32 bytes */
  public static Bytes32 of(byte[] b, String field) throws PaymentException {
    if (b == null || b.length != 32) {
      throw new PaymentException(
          PaymentException.Reason.MALFORMED, field, field + " must be 32 bytes, was " + (b == null ? 0 : b.length));
    }
    return new Bytes32(b.clone());
  }

  public static Bytes32 fromHex(String hex, String field) throws PaymentException {
    try {
      return of(Bytes.fromHex(hex), field);
    } catch (CryptoException e) {
      throw new PaymentException(PaymentException.Reason.MALFORMED, field, field + " is not hex");
    }
  }

  public byte[] toBytes() {
    return value.clone();
  }

  /** "0x" + 64 lowercase hex. */
  public String hex() {
    return "0x" + Bytes.hex(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes32 && Arrays.equals(((Bytes32) o).value, value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return hex();
  }
}
