package org.openshard.bridge.backend;

import java.util.Optional;

/**
 * What a backend may know about one request besides its body. Immutable except for {@link
 * #forwarded}, through which the backend reports the exact bytes it sent onward (they are hashed
 * into the receipt's {@code request.forwarded} event).
 */
public final class RequestContext {
  /** Receives the exact forwarded bytes and a short name of where they went. */
  public interface ForwardListener {
    void forwarded(byte[] exactBytes, String target);
  }

  private final String requestId;
  private final String peerPin;
  private final boolean e2ee;
  private final ForwardListener listener;

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
}
