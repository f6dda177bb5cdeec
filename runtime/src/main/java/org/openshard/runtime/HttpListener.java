package org.openshard.runtime;

import com.linecorp.armeria.server.Server;

/**
 * A started Armeria HTTP server and the host it was asked to listen on: its port, its URLs, its
 * LISTENING line and its stop, shared by every role that serves HTTP.
 */
public final class HttpListener implements AutoCloseable {
  private final Server server;
  private final String host;

  private HttpListener(Server server, String host) {
    this.server = server;
    this.host = host;
  }

  /**
   * Starts {@code server} (waiting until it accepts connections) and, if {@code role} is not null,
   * prints {@code LISTENING <role> http://host:port}.
   *
   * @param host the host the server listens on, as configured (reported by {@link #host()})
   */
  public static HttpListener start(Server server, String host, String role) {
    server.start().join();
    HttpListener listener = new HttpListener(server, host);
    if (role != null) {
      Listening.announce(role, "http", host, listener.port());
    }
    return listener;
  }

  /** The bound port (the actual one when the configured port was 0). */
  public int port() {
    return server.activeLocalPort();
  }

  public String host() {
    return host;
  }

  /** {@code http://host:port} followed by {@code path} (which starts with {@code /}). */
  public String url(String path) {
    return "http://" + ListenAddress.format(host, port()) + path;
  }

  /** Stops the server and waits for it. */
  @Override
  public void close() {
    server.stop().join();
  }
}
