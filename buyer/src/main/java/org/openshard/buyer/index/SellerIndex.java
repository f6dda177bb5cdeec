package org.openshard.buyer.index;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.openshard.buyer.BuyerException;
import org.openshard.proto.v1.PeerListing;

/**
 * The buyer's local index of live sellers, fed by registry Discover results and Watch events.
 * Every registration is verified before it enters; an update whose signed registration bytes are
 * unchanged only refreshes the load signals (no re-verification), and a registration older than
 * the one held is ignored, so a registry cannot roll a seller back to a stale endpoint or key.
 */
public final class SellerIndex {
  private final ListingVerifier verifier;
  private final Clock clock;
  private final ConcurrentHashMap<String, SellerListing> peers = new ConcurrentHashMap<>();
  private final List<Consumer<SellerListing>> removalListeners = new CopyOnWriteArrayList<>();

  public SellerIndex(ListingVerifier verifier, Clock clock) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What happened to a listing offered to the index. */
  public enum Change {
    ADDED,
    UPDATED,
    SIGNALS_ONLY,
    IGNORED_STALE
  }

  /** The outcome of {@link #apply}: the verified peer id and what changed. */
  public static final class Applied {
    private final String peerId;
    private final Change change;

    Applied(String peerId, Change change) {
      this.peerId = peerId;
      this.change = change;
    }

    public String peerId() {
      return peerId;
    }

    public Change change() {
      return change;
    }
  }

  /**
   * Verifies and stores a listing.
   *
   * @throws BuyerException if the listing does not verify (the index is left unchanged)
   */
  public Applied apply(PeerListing listing) throws BuyerException {
    String claimed = listing.getRegistration().getPeerId().toLowerCase(Locale.ROOT);
    SellerListing current = claimed.isEmpty() ? null : peers.get(claimed);
    if (current != null
        && !current.signedRegistration().isEmpty()
        && current.signedRegistration().equals(listing.getSignedRegistration().getRegistration())
        && current.key().isValidAt(clock.instant())) {
      // Same signed bytes as already verified (the signature over them was checked then).
      peers.put(current.peerId(), current.withSignals(listing.getHealth(), listing.getLoad(), listing.getLastHeartbeatMs()));
      return new Applied(current.peerId(), Change.SIGNALS_ONLY);
    }
    SellerListing verified = verifier.verify(listing, clock.instant());
    return new Applied(verified.peerId(), put(verified));
  }

  /** Stores an already verified listing (newer registrations replace older ones). */
  public Change put(SellerListing listing) {
    Change[] result = new Change[1];
    peers.compute(
        listing.peerId(),
        (id, old) -> {
          if (old == null) {
            result[0] = Change.ADDED;
            return listing;
          }
          if (listing.registeredAtMs() < old.registeredAtMs()) {
            result[0] = Change.IGNORED_STALE;
            return old;
          }
          result[0] = Change.UPDATED;
          return listing;
        });
    return result[0];
  }

  public boolean remove(String peerId) {
    SellerListing removed = peers.remove(peerId.toLowerCase(Locale.ROOT));
    if (removed != null) {
      for (Consumer<SellerListing> l : removalListeners) {
        l.accept(removed);
      }
    }
    return removed != null;
  }

  /** Removes every peer not in {@code keep} (after a Watch snapshot). */
  public void retainOnly(Set<String> keep) {
    for (String id : new ArrayList<>(peers.keySet())) {
      if (!keep.contains(id)) {
        remove(id);
      }
    }
  }

  public Optional<SellerListing> get(String peerId) {
    return Optional.ofNullable(peers.get(peerId.toLowerCase(Locale.ROOT)));
  }

  public Collection<SellerListing> all() {
    return List.copyOf(peers.values());
  }

  public int size() {
    return peers.size();
  }

  /** Called with the listing whenever a peer leaves the index. */
  public void onRemoved(Consumer<SellerListing> listener) {
    removalListeners.add(listener);
  }
}
