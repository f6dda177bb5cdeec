package org.openshard.bridge.e2ee.legacy;

import java.nio.charset.StandardCharsets;

/** Strict-v2 associated data of the legacy path: pipe-delimited UTF-8 strings. */
public final class LegacyAad {
  private LegacyAad() {}

  /** {@code v2|req|algo=…|model=…|m=<message index>|c=<- or part index>|n=…|ts=…}. */
  public static byte[] request(SigningAlgo algo, String model, int message, Integer part, String nonce, long ts) {
    return ("v2|req|algo=" + algo.wire() + "|model=" + model + "|m=" + message + "|c=" + (part == null ? "-" : part)
            + "|n=" + nonce + "|ts=" + ts)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** {@code v2|resp|algo=…|model=<response model>|id=…|choice=<position>|field=…|n=…|ts=…}. */
  public static byte[] response(
      SigningAlgo algo, String responseModel, String id, int choice, String field, String nonce, long ts) {
    return ("v2|resp|algo=" + algo.wire() + "|model=" + responseModel + "|id=" + id + "|choice=" + choice
            + "|field=" + field + "|n=" + nonce + "|ts=" + ts)
        .getBytes(StandardCharsets.UTF_8);
  }
}
