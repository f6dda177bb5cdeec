package org.openshard.registry.store.redis;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.openshard.proto.v1.Offering;
import org.openshard.proto.v1.PeerEvent;
import org.openshard.proto.v1.PeerListing;
import org.openshard.proto.v1.SellerRegistration;
import org.openshard.registry.store.LivePeer;
import org.openshard.registry.store.Liveness;
import org.openshard.registry.store.PeerRecord;
import org.openshard.registry.store.StoreEvent;

/**
 * The pub/sub message format: {@code kind (1 byte: 'A', 'U', 'R') || previous service ids
 * (comma-joined, only for 'U') || '\n' || payload}, where the payload is a serialized {@link
 * PeerEvent}. For ADDED / UPDATED the event's listing carries the signed registration, load and
 * last heartbeat; for REMOVED it carries the reason and a registration reduced to its service ids
 * (so replicas can route it to the right watchers).
 */
final class RedisEventCodec {
  private RedisEventCodec() {}

  /** Payload for ADDED / UPDATED. */
  static byte[] upsertPayload(PeerRecord record, Liveness liveness) {
    return PeerEvent.newBuilder()
        .setPeerId(record.peerId())
        .setPeer(
            PeerListing.newBuilder()
                .setSignedRegistration(record.signed())
                .setLoad(liveness.load())
                .setLastHeartbeatMs(liveness.lastHeartbeatMs()))
        .build()
        .toByteArray();
  }

  /** Payload for REMOVED with the given reason. */
  static byte[] removedPayload(PeerRecord record, String reason) {
    return PeerEvent.newBuilder()
        .setKind(PeerEvent.Kind.REMOVED)
        .setPeerId(record.peerId())
        .setReason(reason)
        .setPeer(
            PeerListing.newBuilder()
                .setRegistration(
                    SellerRegistration.newBuilder()
                        .addOfferings(Offering.newBuilder().addAllServiceIds(record.serviceIds()))))
        .build()
        .toByteArray();
  }

  static String joinServiceIds(List<String> serviceIds) {
    return String.join(",", serviceIds);
  }

  /**
   * Decodes a message.
   *
   * @throws InvalidProtocolBufferException if it is malformed
   */
  static StoreEvent decode(byte[] message, RecordCache records) throws InvalidProtocolBufferException {
    int nl = -1;
    for (int i = 1; i < message.length; i++) {
      if (message[i] == '\n') {
        nl = i;
        break;
      }
    }
    if (message.length < 2 || nl < 0) {
      throw new InvalidProtocolBufferException("malformed registry event message");
    }
    char kind = (char) message[0];
    PeerEvent e = PeerEvent.parseFrom(Arrays.copyOfRange(message, nl + 1, message.length));
    switch (kind) {
      case 'R': {
        List<String> svcs = PeerRecord.serviceIdsOf(e.getPeer().getRegistration());
        records.remove(e.getPeerId());
        return StoreEvent.removed(e.getPeerId(), svcs, e.getReason());
      }
      case 'A':
      case 'U': {
        PeerRecord record = records.get(e.getPeerId(), e.getPeer().getSignedRegistration().toByteArray());
        // Events do not carry the deadline; the listing built from them needs only load and last heartbeat.
        LivePeer peer =
            new LivePeer(record, new Liveness(e.getPeer().getLoad(), e.getPeer().getLastHeartbeatMs(), Long.MAX_VALUE));
        if (kind == 'A') {
          return StoreEvent.added(peer);
        }
        String prev = new String(message, 1, nl - 1, StandardCharsets.UTF_8);
        List<String> previous = prev.isEmpty() ? List.of() : List.of(prev.split(","));
        return StoreEvent.updated(peer, previous);
      }
      default:
        throw new InvalidProtocolBufferException("unknown registry event kind");
    }
  }
}
