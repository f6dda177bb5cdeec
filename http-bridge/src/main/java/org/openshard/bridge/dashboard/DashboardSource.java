package org.openshard.bridge.dashboard;

import java.util.List;

/**
 * Where the status page gets what the bridge itself does not know: the sellers a registry lists,
 * and payment-channel balances. Every method must be cheap and must not block for long (it is
 * called on each poll of {@code GET /dashboard/api/state}); return {@code List.of()} for what you
 * do not provide. Implementations must never return content (prompts, completions).
 */
public interface DashboardSource {
  /** The sellers known right now. */
  default List<SellerView> sellers() {
    return List.of();
  }

  /** Requests this source knows about besides the bridge's own log (newest first). */
  default List<RequestRecord> recentRequests() {
    return List.of();
  }

  /** Payment-channel balances, if a payment provider is configured. */
  default List<ChannelView> channels() {
    return List.of();
  }

  /** A source that provides nothing. */
  static DashboardSource none() {
    return new DashboardSource() {};
  }
}
