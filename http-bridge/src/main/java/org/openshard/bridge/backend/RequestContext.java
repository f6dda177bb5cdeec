package org.openshard.bridge.backend;

import java.util.Objects;
import java.util.Optional;

/**
 * What a backend may know about one request besides its body. Immutable except for what the
 * backend reports back: {@link #forwarded} (the exact bytes it sent onward, hashed into the
 * receipt's {@code request.forwarded} event) and {@link #served} (who finally served the request,
 * exposed as {@code X-OpenShard-*} response headers and as that event's target).
 */
public final class RequestContext {
  /** Receives what the backend reports about forwarding. */
  public interface ForwardListener {
    /** The exact forwarded bytes and a short name of where they went. */
    void forwarded(byte[] exactBytes, String target);

    /** Where the forwarded request was finally served (e.g. a seller's peer id): replaces the target. */
    default void servedBy(String target) {}
  }

  private final String requestId;
  private final String peerPin;
  private final boolean e2ee;
  private final ForwardListener listener;
  private volatile ServingSummary summary;

  public RequestContext(String requestId, String peerPin, boolean e2ee, ForwardListener listener) {
    this.requestId = requestId;
    this.peerPin = peerPin == null || peerPin.isBlank() ? null : peerPin.trim();
    this.e2ee = e2ee;
    this.listener = listener == null ? (b, t) -> {} : listener;
  }

  /** A context without pin or listener (tests, internal calls). */
  public static RequestContext of(String requestId) {
    return new RequestContext(requestId, null, false, null);
  }

  /** The bridge's id for this request (its receipt id). */
  public String requestId() {
    return requestId;
  }

  /** The seller the client pinned with {@code X-OpenShard-Peer}, if any. */
  public Optional<String> peerPin() {
    return Optional.ofNullable(peerPin);
  }

  /** True if the client used E2EE (the request the backend sees is already decrypted). */
  public boolean e2ee() {
    return e2ee;
  }

  /** Backends call this once with the exact bytes they send onward. */
  public void forwarded(byte[] exactBytes, String target) {
    listener.forwarded(exactBytes, target);
  }

  /**
   * Backends that route to sellers call this once they know who served: before completing a
   * non-streaming future (so the response headers can carry it), and before completing a stream's
   * publisher (so the trailers can).
   */
  public void served(ServingSummary s) {
    this.summary = Objects.requireNonNull(s);
    if (!s.sellerId().isEmpty()) {
      listener.servedBy(s.sellerId());
    }
  }

  /** What {@link #served} reported, if it was called. */
  public Optional<ServingSummary> summary() {
    return Optional.ofNullable(summary);
  }
}
