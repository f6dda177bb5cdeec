package org.openshard.payments.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.openshard.payments.PaymentException;

class UsdcTest {
  @ParameterizedTest
  @CsvSource({
    "1.5, 1500000, 1.5",
    "0, 0, 0",
    "0.000001, 1, 0.000001",
    "2, 2000000, 2",
    "2.000000, 2000000, 2",
    "123456.789012, 123456789012, 123456.789012",
    "9223372036854.775807, 9223372036854775807, 9223372036854.775807"
  })
  void parsesAndFormatsExactly(String text, long units, String canonical) throws Exception {
    Usdc u = Usdc.parse(text);
    assertEquals(units, u.units());
    assertEquals(canonical, u.toDecimalString());
    assertEquals(u, Usdc.parse(u.toDecimalString()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0000001", "-1", "-0.5", "+1", "1e6", "abc", "", " 1", "1 ", "1.", ".5", "01", "1,5", "0x10", "NaN",
      "Infinity", "1.5.5", "１"})
  void rejectsGarbage(String text) {
    PaymentException e = assertThrows(PaymentException.class, () -> Usdc.parse(text));
    assertEquals(PaymentException.Reason.INVALID_AMOUNT, e.reason());
  }

  @Test
  void rejectsNull() {
    assertEquals(PaymentException.Reason.INVALID_AMOUNT, assertThrows(PaymentException.class, () -> Usdc.parse(null)).reason());
  }

  @Test
  void rejectsAmountsThatOverflow() {
    assertEquals(PaymentException.Reason.AMOUNT_OVERFLOW,
        assertThrows(PaymentException.class, () -> Usdc.parse("9223372036854.775808")).reason());
    assertEquals(PaymentException.Reason.AMOUNT_OVERFLOW,
        assertThrows(PaymentException.class, () -> Usdc.fromWire(-1L, "x")).reason());
    assertThrows(ArithmeticException.class, () -> Usdc.MAX.plus(Usdc.ofUnits(1)));
    assertThrows(ArithmeticException.class, () -> Usdc.ofUnits(1).minus(Usdc.ofUnits(2)));
    assertThrows(IllegalArgumentException.class, () -> Usdc.ofUnits(-5));
  }

  @Test
  void arithmetic() {
    Usdc a = Usdc.ofUnits(1_500_000);
    assertEquals(Usdc.ofUnits(2_500_000), a.plus(Usdc.ofUnits(1_000_000)));
    assertEquals(Usdc.ZERO, a.saturatingMinus(Usdc.ofUnits(9_000_000)));
    assertEquals(a, a.min(Usdc.MAX));
    assertEquals("1.5 USDC", a.toString());
  }
}
