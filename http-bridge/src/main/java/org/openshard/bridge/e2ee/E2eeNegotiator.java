package org.openshard.bridge.e2ee;

import java.time.Clock;
import org.openshard.bridge.e2ee.aci.AciNegotiation;
import org.openshard.bridge.e2ee.legacy.LegacyNegotiation;
import org.openshard.bridge.e2ee.legacy.LegacySession;
import org.openshard.bridge.keys.ServiceKeys;
import org.openshard.bridge.replay.ReplayStore;

/**
 * Routes a request on its headers: {@code X-Signing-Algo} present → legacy; else any ACI header
 * ({@code X-E2EE-Version}, {@code X-Client-Pub-Key}, {@code X-Model-Pub-Key}, {@code
 * X-E2EE-Nonce}, {@code X-E2EE-Timestamp}) → ACI E2EE v2; else plain.
 */
public final class E2eeNegotiator {
  private final ServiceKeys keys;
  private final ReplayStore replay;
  private final Clock clock;

  public E2eeNegotiator(ServiceKeys keys, ReplayStore replay, Clock clock) {
    this.keys = keys;
    this.replay = replay;
    this.clock = clock;
  }

  /**
   * @throws E2eeException with the type the header validation failed on
   */
  public E2eeSession negotiate(HeaderView headers, Endpoint endpoint) throws E2eeException {
    if (LegacyNegotiation.present(headers)) {
      LegacySession s = LegacyNegotiation.negotiate(headers, endpoint, keys, replay, clock);
      return s == null ? PlainSession.INSTANCE : s;
    }
    if (AciNegotiation.present(headers)) {
      return AciNegotiation.negotiate(headers, endpoint, keys, replay, clock);
    }
    return PlainSession.INSTANCE;
  }
}
