package org.openshard.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;

class ErrorCodesTest {
  private static final Set<ErrorCode> NOT_DECISIONS =
      EnumSet.of(ErrorCode.ERROR_CODE_UNSPECIFIED, ErrorCode.UNRECOGNIZED, ErrorCode.INTERNAL);

  private static final Set<ErrorCode> CRYPTO_FAMILY =
      EnumSet.of(ErrorCode.INVALID_PUBLIC_KEY, ErrorCode.DECRYPTION_FAILED, ErrorCode.STREAM_INTEGRITY);

  /** A new ErrorCode without its own row falls to the default (INTERNAL) and fails here. */
  @Test
  void everyCodeHasAnExplicitNonInternalStatus() {
    for (ErrorCode c : ErrorCode.values()) {
      if (NOT_DECISIONS.contains(c)) {
        continue;
      }
      Status.Code s = ErrorCodes.statusFor(c);
      assertNotEquals(Status.Code.INTERNAL, s, c.name());
      assertNotEquals(Status.Code.UNKNOWN, s, c.name());
      assertNotEquals(Status.Code.OK, s, c.name());
    }
    assertEquals(Status.Code.INTERNAL, ErrorCodes.statusFor(ErrorCode.INTERNAL));
    assertEquals(Status.Code.INTERNAL, ErrorCodes.statusFor(ErrorCode.ERROR_CODE_UNSPECIFIED));
    assertEquals(Status.Code.UNKNOWN, ErrorCodes.statusFor(ErrorCode.UNRECOGNIZED));
  }

  /** The decisions that used to differ between roles (ERR-3). */
  @Test
  void formerlyDivergentCodesHaveOneAnswer() {
    assertEquals(Status.Code.UNAUTHENTICATED, ErrorCodes.statusFor(ErrorCode.CLOCK_SKEW));
    assertEquals(Status.Code.UNAUTHENTICATED, ErrorCodes.statusFor(ErrorCode.STALE_MESSAGE));
    assertEquals(Status.Code.FAILED_PRECONDITION, ErrorCodes.statusFor(ErrorCode.UNKNOWN_SELLER_KEY));
    assertEquals(Status.Code.FAILED_PRECONDITION, ErrorCodes.statusFor(ErrorCode.SELLER_KEY_EXPIRED));
    assertEquals(Status.Code.PERMISSION_DENIED, ErrorCodes.statusFor(ErrorCode.PROOF_INVALID));
    assertEquals(Status.Code.NOT_FOUND, ErrorCodes.statusFor(ErrorCode.UNKNOWN_ANCHOR_SET));
    for (ErrorCode c : CRYPTO_FAMILY) {
      assertEquals(Status.Code.INVALID_ARGUMENT, ErrorCodes.statusFor(c), c.name());
    }
  }

  /**
   * ERR-3a: the gateway differs from the table exactly on the crypto family and SIGNATURE_INVALID
   * (data its client never supplies), with DATA_LOSS, and on UNKNOWN_ANCHOR_SET (its own credential
   * not published yet), with UNAVAILABLE.
   */
  @Test
  void gatewayRuleChangesOnlyWhatTheClientNeverSupplies() {
    for (ErrorCode c : ErrorCode.values()) {
      if (CRYPTO_FAMILY.contains(c) || c == ErrorCode.SIGNATURE_INVALID) {
        assertEquals(Status.Code.DATA_LOSS, ErrorCodes.gatewayStatusFor(c), c.name());
      } else if (c == ErrorCode.UNKNOWN_ANCHOR_SET) {
        assertEquals(Status.Code.UNAVAILABLE, ErrorCodes.gatewayStatusFor(c));
      } else {
        assertEquals(ErrorCodes.statusFor(c), ErrorCodes.gatewayStatusFor(c), c.name());
      }
    }
  }

  @Test
  void capacityRuleIsResourceExhaustedAndDiffersFromTheRequestLimit() {
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, ErrorCodes.CAPACITY_STATUS);
    assertNotEquals(ErrorCodes.CAPACITY_STATUS, ErrorCodes.statusFor(ErrorCode.LIMIT_EXCEEDED));
  }

  @Test
  void toStatusUsesTheTableAndCarriesTheDetail() {
    ErrorDetail d = Errors.detail(ErrorCode.CLOCK_SKEW, "timestamp too old", "timestamp_ms", false, Map.of());
    StatusRuntimeException e = ErrorCodes.toStatus(d);
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertEquals(d, Errors.detail(e).orElseThrow());

    StatusRuntimeException r = ErrorCodes.toStatus(ErrorCode.STORE_UNAVAILABLE, "redis down", null, true);
    assertEquals(Status.Code.UNAVAILABLE, r.getStatus().getCode());
    assertTrue(Errors.detail(r).orElseThrow().getRetryable());
    assertEquals(ErrorCode.STORE_UNAVAILABLE, Errors.code(r));
  }

  /** docs/protocol.md ERR-3 lists exactly this table: one row per code, same number and status. */
  @Test
  void protocolDocumentTableMatches() throws IOException {
    Path doc = Path.of("..", "docs", "protocol.md");
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    int start = text.indexOf("- **ERR-3**");
    int end = text.indexOf("- **ERR-3a**");
    assertTrue(start >= 0 && end > start, "ERR-3 and ERR-3a in docs/protocol.md");
    Pattern row = Pattern.compile("^\\s*\\|\\s*(\\d+)\\s*\\|\\s*([A-Z_]+)\\s*\\|\\s*([A-Z_]+)([^|]*)\\|", Pattern.MULTILINE);
    Matcher m = row.matcher(text.substring(start, end));
    Map<ErrorCode, Status.Code> documented = new EnumMap<>(ErrorCode.class);
    while (m.find()) {
      ErrorCode c = ErrorCode.valueOf(m.group(2));
      assertEquals(c.getNumber(), Integer.parseInt(m.group(1)), c.name() + " number");
      assertEquals(null, documented.put(c, Status.Code.valueOf(m.group(3))), c.name() + " listed twice");
      String note = m.group(4);
      if (CRYPTO_FAMILY.contains(c) || c == ErrorCode.SIGNATURE_INVALID) {
        assertTrue(note.contains("ERR-3a: DATA_LOSS"), c.name() + " names ERR-3a");
      }
      if (c == ErrorCode.UNKNOWN_ANCHOR_SET) {
        assertTrue(note.contains("ERR-3a: UNAVAILABLE"), "UNKNOWN_ANCHOR_SET names ERR-3a");
      }
      if (c == ErrorCode.LIMIT_EXCEEDED) {
        assertTrue(note.contains("ERR-3b: " + ErrorCodes.CAPACITY_STATUS.name()), "LIMIT_EXCEEDED names ERR-3b");
      }
    }
    for (ErrorCode c : ErrorCode.values()) {
      if (c == ErrorCode.ERROR_CODE_UNSPECIFIED || c == ErrorCode.UNRECOGNIZED) {
        continue;
      }
      assertEquals(ErrorCodes.statusFor(c), documented.get(c), c.name() + " in docs/protocol.md ERR-3");
    }
    assertEquals(ErrorCode.values().length - 2, documented.size());
  }
}
