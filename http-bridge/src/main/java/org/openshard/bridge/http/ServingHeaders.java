package org.openshard.bridge.http;

import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpHeadersBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openshard.bridge.backend.ServingSummary;

/**
 * The {@code X-OpenShard-*} headers that say who served a request and what it cost: response
 * headers on JSON responses, trailers on SSE responses (the summary is known only at the end).
 * Empty values are left out; values that are not printable ASCII are dropped.
 */
final class ServingHeaders {
  static final String SELLER = "x-openshard-seller";
  static final String AMOUNT_CHARGED = "x-openshard-amount-charged";
  static final String SELLER_RECEIPT = "x-openshard-seller-receipt";
  static final String NULLIFIER = "x-openshard-nullifier";
  static final String ATTEMPTS = "x-openshard-attempts";

  private ServingHeaders() {}

  static Map<String, String> of(ServingSummary s) {
    Map<String, String> h = new LinkedHashMap<>();
    put(h, SELLER, s.sellerId());
    put(h, AMOUNT_CHARGED, s.amountChargedText());
    put(h, SELLER_RECEIPT, s.sellerReceiptId());
    put(h, NULLIFIER, s.nullifierHash());
    if (s.attempts() > 0) {
      h.put(ATTEMPTS, Integer.toString(s.attempts()));
    }
    return h;
  }

  static HttpHeaders trailers(ServingSummary s) {
    HttpHeadersBuilder b = HttpHeaders.builder();
    of(s).forEach(b::add);
    return b.build();
  }

  private static void put(Map<String, String> h, String name, String value) {
    if (value.isEmpty() || value.length() > 256) {
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return;
      }
    }
    h.put(name, value);
  }
}
