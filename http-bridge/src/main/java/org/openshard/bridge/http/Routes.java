package org.openshard.bridge.http;

import com.linecorp.armeria.server.ServerBuilder;
import org.openshard.bridge.auth.ApiKeys;
import java.time.Clock;
import org.openshard.bridge.backend.ChatBackend;
import org.openshard.bridge.dashboard.DashboardSource;
import org.openshard.bridge.dashboard.RequestLog;
import org.openshard.bridge.e2ee.E2eeNegotiator;
import org.openshard.bridge.e2ee.Endpoint;
import org.openshard.bridge.e2ee.aci.AciAttestation;
import org.openshard.bridge.keys.ServiceKeys;
import org.openshard.bridge.receipts.Receipts;
import org.openshard.crypto.Secp256k1PrivateKey;

/** Installs the bridge's routes, decorators and error handler on an Armeria server builder. */
public final class Routes {
  private Routes() {}

  /** The status page's data: an external source (sellers, channels) and the bridge's own request log. */
  public record Dashboard(DashboardSource source, RequestLog log, Clock clock) {}

  /**
   * @param apiKeys null = no authentication
   * @param maxConcurrentRequests 0 = unlimited
   */
  public static void install(
      ServerBuilder sb,
      ChatBackend backend,
      E2eeNegotiator negotiator,
      ServiceKeys keys,
      Secp256k1PrivateKey identity,
      AciAttestation attestation,
      Receipts receipts,
      ApiKeys apiKeys,
      long maxRequestBytes,
      int maxConcurrentRequests,
      Dashboard dashboard) {
    RequestLogDecorator logged = new RequestLogDecorator(dashboard.log(), dashboard.clock());
    sb.route()
        .post("/v1/chat/completions")
        .decorator(logged)
        .build(new InferenceService(Endpoint.CHAT_COMPLETIONS, backend, negotiator, maxRequestBytes));
    sb.route()
        .post("/v1/completions")
        .decorator(logged)
        .build(new InferenceService(Endpoint.COMPLETIONS, backend, negotiator, maxRequestBytes));
    sb.route().get("/dashboard").build(DashboardServices.page());
    sb.route()
        .get("/dashboard/api/state")
        .build(
            DashboardServices.state(
                dashboard.source(), dashboard.log(), identity.publicKey().ethereumAddress(), dashboard.clock()));
    sb.route().get("/v1/models").build(InfoServices.models(backend, negotiator));
    sb.route().get("/v1/aci/attestation").build(InfoServices.aciAttestation(attestation));
    sb.route().get("/v1/attestation/report").build(InfoServices.legacyReport(keys, identity));
    sb.route().get("/v1/aci/receipts/{id}").build(InfoServices.receipts(receipts));
    // Decorators: the last one added runs first. Order of execution: receipt id → auth → limit → service.
    if (maxConcurrentRequests > 0) {
      sb.decorator(new ConcurrencyLimitDecorator(maxConcurrentRequests));
    }
    if (apiKeys != null) {
      sb.decorator(new AuthDecorator(apiKeys));
    }
    sb.decorator(new ReceiptDecorator(receipts));
    sb.errorHandler(new BridgeErrorHandler(maxRequestBytes));
  }
}
