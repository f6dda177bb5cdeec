package org.openshard.runtime;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Serves {@code GET /metrics} in the Prometheus text format over HTTP (Armeria), for any role.
 */
public final class MetricsServer implements AutoCloseable {
  private final HttpListener http;

  private MetricsServer(HttpListener http) {
    this.http = http;
  }

  /** Starts the server and, if {@code role} is not null, prints its LISTENING line (scheme http). */
  public static MetricsServer start(ListenAddress address, PrometheusRegistry registry, String role) {
    PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    Server server =
        Server.builder()
            .http(address.toSocketAddress())
            .service(
                "/metrics",
                (ctx, req) -> {
                  ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
                  try {
                    writer.write(out, registry.scrape());
                  } catch (IOException e) {
                    return HttpResponse.of(HttpStatus.INTERNAL_SERVER_ERROR);
                  }
                  return HttpResponse.of(
                      HttpStatus.OK, MediaType.parse(PrometheusTextFormatWriter.CONTENT_TYPE), out.toByteArray());
                })
            .build();
    return new MetricsServer(HttpListener.start(server, address.host(), role));
  }

  public int port() {
    return http.port();
  }

  public String host() {
    return http.host();
  }

  @Override
  public void close() {
    http.close();
  }
}
