package org.openshard.bridge.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.openshard.bridge.dashboard.ChannelView;
import org.openshard.bridge.dashboard.DashboardSource;
import org.openshard.bridge.dashboard.RequestLog;
import org.openshard.bridge.dashboard.RequestRecord;
import org.openshard.bridge.dashboard.SellerView;

/**
 * {@code GET /dashboard} (one self-contained HTML page: inline CSS and JS, nothing fetched from
 * elsewhere) and {@code GET /dashboard/api/state} (the JSON it polls every 2 s). Metadata only.
 */
final class DashboardServices {
  static final String PAGE_RESOURCE = "/org/openshard/bridge/dashboard/dashboard.html";
  private static final String CSP =
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:;"
          + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private DashboardServices() {}

  static HttpService page() {
    byte[] html = loadPage();
    return (ctx, req) ->
        HttpResponse.of(
            ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.HTML_UTF_8)
                .add(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .add(HttpHeaderNames.CONTENT_SECURITY_POLICY, CSP)
                .add(HttpHeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff")
                .build(),
            HttpData.wrap(html));
  }

  static HttpService state(DashboardSource source, RequestLog log, String bridgePeerId, Clock clock) {
    return (ctx, req) ->
        HttpResponse.of(
            ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.JSON_UTF_8)
                .add(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .build(),
            HttpData.wrap(BridgeJson.bytes(stateJson(source, log, bridgePeerId, clock))));
  }

  static ObjectNode stateJson(DashboardSource source, RequestLog log, String bridgePeerId, Clock clock) {
    ObjectNode root = BridgeJson.MAPPER.createObjectNode();
    ObjectNode bridge = root.putObject("bridge");
    bridge.put("peer_id", bridgePeerId);
    bridge.put("time_ms", clock.millis());
    ArrayNode sellers = root.putArray("sellers");
    List<SellerView> sv = new ArrayList<>(safe(source::sellers));
    sv.sort(Comparator.comparing(SellerView::peerId));
    for (SellerView s : sv) {
      ObjectNode o = sellers.addObject();
      o.put("peer_id", s.peerId());
      o.put("endpoint", s.endpoint());
      o.put("health", s.health());
      o.put("in_flight", s.inFlight());
      o.put("capacity", s.capacity());
      o.put("last_heartbeat_ms", s.lastHeartbeatMs());
      ArrayNode offs = o.putArray("offerings");
      for (SellerView.OfferingView ov : s.offerings()) {
        ObjectNode x = offs.addObject();
        x.put("offering_id", ov.offeringId());
        ArrayNode ids = x.putArray("service_ids");
        ov.serviceIds().forEach(ids::add);
        x.put("input_usdc_per_million", usdc(ov.inputPerMillion()));
        x.put("output_usdc_per_million", usdc(ov.outputPerMillion()));
        x.put("cached_input_usdc_per_million", usdc(ov.cachedInputPerMillion()));
      }
    }
    ArrayNode requests = root.putArray("requests");
    List<RequestRecord> rs = new ArrayList<>(log.recent());
    rs.addAll(safe(source::recentRequests));
    rs.sort(Comparator.comparingLong(RequestRecord::timeMs).reversed());
    for (RequestRecord r : rs.subList(0, Math.min(rs.size(), log.capacity()))) {
      ObjectNode o = requests.addObject();
      o.put("time_ms", r.timeMs());
      o.put("endpoint", r.endpoint());
      o.put("model", r.model());
      o.put("seller", r.seller());
      o.put("status", r.status());
      o.put("prompt_tokens", r.promptTokens());
      o.put("completion_tokens", r.completionTokens());
      o.put("amount_usdc", usdc(r.amountCharged()));
      o.put("receipt_id", r.receiptId());
      o.put("seller_receipt_id", r.sellerReceiptId());
      o.put("duration_ms", r.durationMs());
    }
    ArrayNode channels = root.putArray("channels");
    for (ChannelView c : safe(source::channels)) {
      ObjectNode o = channels.addObject();
      o.put("channel_id", c.channelId());
      o.put("counterparty", c.counterparty());
      o.put("state", c.state());
      o.put("deposit_usdc", usdc(c.deposit()));
      o.put("spent_usdc", usdc(c.spent()));
      o.put("remaining_usdc", usdc(c.remaining()));
    }
    return root;
  }

  /** USDC base units (6 decimals, unsigned) as a decimal string, e.g. 1500000 → "1.50". */
  static String usdc(long baseUnits) {
    java.math.BigDecimal v =
        new java.math.BigDecimal(new java.math.BigInteger(Long.toUnsignedString(baseUnits)), 6).stripTrailingZeros();
    if (v.scale() < 2) {
      v = v.setScale(2);
    }
    return v.toPlainString();
  }

  /** A failing source shows as empty rather than breaking the page. */
  private static <T> List<T> safe(java.util.function.Supplier<List<T>> s) {
    try {
      List<T> v = s.get();
      return v == null ? List.of() : v;
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  private static byte[] loadPage() {
    try (InputStream in = DashboardServices.class.getResourceAsStream(PAGE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("dashboard page missing from the classpath: " + PAGE_RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
