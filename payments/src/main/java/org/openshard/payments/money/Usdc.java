package org.openshard.payments.money;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openshard.payments.PaymentException;

/**
 * An exact, non-negative amount of USDC in base units (6 decimals: 1 USDC = 1_000_000). Held in a
 * {@code long}; every operation is overflow-checked. No floating point is used anywhere.
 */
public final class Usdc implements Comparable<Usdc> {
  public static final int DECIMALS = 6;
  public static final long UNITS_PER_USDC = 1_000_000L;
  public static final Usdc ZERO = new Usdc(0);
  /** The largest amount: 2^63 - 1 base units (≈ 9.2 trillion USDC). */
  public static final Usdc MAX = new Usdc(Long.MAX_VALUE);

  private static final Pattern DECIMAL = Pattern.compile("(0|[1-9][0-9]{0,18})(?:\\.([0-9]{1,6}))?");
  private static final BigInteger MAX_BIG = BigInteger.valueOf(Long.MAX_VALUE);

  private final long units;

  private Usdc(long units) {
    this.units = units;
  }

  /** @throws IllegalArgumentException if negative (a programming error; wire values use {@link #fromWire}) */
  public static Usdc ofUnits(long units) {
    if (units < 0) {
      throw new IllegalArgumentException("USDC amount must not be negative: " + units);
    }
    return units == 0 ? ZERO : new Usdc(units);
  }

  /**
   * From a protobuf {@code uint64} field read as a Java long: values ≥ 2^63 arrive negative and are
   * rejected.
   *
   * @throws PaymentException AMOUNT_OVERFLOW
   */
  public static Usdc fromWire(long uint64, String field) throws PaymentException {
    if (uint64 < 0) {
      throw new PaymentException(
          PaymentException.Reason.AMOUNT_OVERFLOW, field, field + " is above 2^63-1 base units");
    }
    return ofUnits(uint64);
  }

  /**
   * From an exact integer (e.g. an on-chain uint256).
   *
   * @throws PaymentException INVALID_AMOUNT if negative, AMOUNT_OVERFLOW if ≥ 2^63
   */
  public static Usdc fromBigInteger(BigInteger v, String field) throws PaymentException {
    if (v.signum() < 0) {
      throw new PaymentException(PaymentException.Reason.INVALID_AMOUNT, field, field + " is negative");
    }
    if (v.compareTo(MAX_BIG) > 0) {
      throw new PaymentException(PaymentException.Reason.AMOUNT_OVERFLOW, field, field + " is above 2^63-1 base units");
    }
    return ofUnits(v.longValueExact());
  }

  /**
   * Parses a decimal USDC string: "1.5" is 1_500_000 base units. At most 6 decimals, no sign, no
   * exponent, no spaces, no leading zeros.
   *
   * @throws PaymentException INVALID_AMOUNT for anything else, AMOUNT_OVERFLOW if too large
   */
  public static Usdc parse(String s) throws PaymentException {
    if (s == null) {
      throw new PaymentException(PaymentException.Reason.INVALID_AMOUNT, "amount", "amount is missing");
    }
    Matcher m = DECIMAL.matcher(s);
    if (!m.matches()) {
      throw new PaymentException(
          PaymentException.Reason.INVALID_AMOUNT,
          "amount",
          "amount must be a non-negative decimal with at most 6 places (e.g. \"1.5\")");
    }
    BigInteger whole = new BigInteger(m.group(1));
    String frac = m.group(2) == null ? "" : m.group(2);
    BigInteger fraction = new BigInteger(frac.isEmpty() ? "0" : frac).multiply(BigInteger.TEN.pow(DECIMALS - frac.length()));
    return fromBigInteger(whole.multiply(BigInteger.valueOf(UNITS_PER_USDC)).add(fraction), "amount");
  }

  public long units() {
    return units;
  }

  public BigInteger toBigInteger() {
    return BigInteger.valueOf(units);
  }

  public boolean isZero() {
    return units == 0;
  }

  /** @throws ArithmeticException on overflow */
  public Usdc plus(Usdc o) {
    return ofUnits(Math.addExact(units, o.units));
  }

  /** @throws ArithmeticException if the result would be negative */
  public Usdc minus(Usdc o) {
    if (o.units > units) {
      throw new ArithmeticException("USDC subtraction below zero");
    }
    return ofUnits(units - o.units);
  }

  /** max(this - o, 0). */
  public Usdc saturatingMinus(Usdc o) {
    return o.units >= units ? ZERO : ofUnits(units - o.units);
  }

  public Usdc min(Usdc o) {
    return units <= o.units ? this : o;
  }

  public Usdc max(Usdc o) {
    return units >= o.units ? this : o;
  }

  public boolean greaterThan(Usdc o) {
    return units > o.units;
  }

  public boolean lessThan(Usdc o) {
    return units < o.units;
  }

  /** The canonical decimal form: "1.5", "0.000001", "2". */
  public String toDecimalString() {
    long whole = units / UNITS_PER_USDC;
    long frac = units % UNITS_PER_USDC;
    if (frac == 0) {
      return Long.toString(whole);
    }
    String f = String.format("%06d", frac).replaceFirst("0+$", "");
    return whole + "." + f;
  }

  @Override
  public int compareTo(Usdc o) {
    return Long.compare(units, o.units);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Usdc && ((Usdc) o).units == units;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(units);
  }

  @Override
  public String toString() {
    return toDecimalString() + " USDC";
  }
}
