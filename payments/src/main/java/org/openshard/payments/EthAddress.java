package org.openshard.payments;

import java.util.Locale;
import java.util.regex.Pattern;

/** A 20-byte Ethereum address, held as "0x" + 40 lowercase hex characters. Immutable. */
public final class EthAddress {
  private static final Pattern HEX40 = Pattern.compile("0[xX][0-9a-fA-F]{40}");
  public static final EthAddress ZERO = new EthAddress("0x" + "0".repeat(40));

  private final String value;

  private EthAddress(String lower) {
    this.value = lower;
  }

  /**
   * Parses "0x" + 40 hex (any case; the EIP-55 checksum is not required).
   *
   * @throws PaymentException MALFORMED otherwise
   */
  public static EthAddress parse(String s, String field) throws PaymentException {
    if (s == null || !HEX40.matcher(s).matches()) {
      throw new PaymentException(PaymentException.Reason.MALFORMED, field, field + " must be a 0x-address (40 hex)");
    }
    return new EthAddress("0x" + s.substring(2).toLowerCase(Locale.ROOT));
  }

  /** Like {@link #parse} for trusted constants; throws IllegalArgumentException. */
  public static EthAddress of(String s) {
    try {
      return parse(s, "address");
    } catch (PaymentException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  public boolean isZero() {
    return equals(ZERO);
  }

  /** "0x" + 40 lowercase hex. */
  public String hex() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EthAddress && ((EthAddress) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
