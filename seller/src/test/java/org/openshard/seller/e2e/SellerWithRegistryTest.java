package org.openshard.seller.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.credentials.BuyerCredential;
import org.openshard.credentials.NullifierEpochs;
import org.openshard.credentials.anchors.AnchorEnrollments;
import org.openshard.credentials.anchors.AnchorSet;
import org.openshard.credentials.replay.FileReplayCache;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.envelope.ChunkOpener;
import org.openshard.crypto.envelope.KeyAnnouncements;
import org.openshard.crypto.envelope.VerifiedKeyAnnouncement;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.proto.v1.DiscoverResponse;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.PeerListing;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.SellerEvent;
import org.openshard.proto.v1.StreamPayload;
import org.openshard.registry.RegistryConfig;
import org.openshard.registry.RegistryServer;
import org.openshard.registry.client.RegistryClient;
import org.openshard.runtime.ListenAddress;
import org.openshard.seller.SellerNode;
import org.openshard.seller.offering.OfferingFlags;
import org.openshard.seller.testkit.ConnectedSeller;
import org.openshard.seller.testkit.FakeOpenAiServer;
import org.openshard.seller.testkit.TestBuyer;

/**
 * A seller with everything real except the model: registry (registration, heartbeats, anchor sets,
 * deregistration), ring proofs, a file replay cache, envelopes and an HTTP upstream.
 */
class SellerWithRegistryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final NullifierEpochs EPOCHS = NullifierEpochs.defaults();

  @TempDir Path dir;
  private final FakeOpenAiServer upstream = new FakeOpenAiServer();
  private RegistryServer registry;
  private RegistryClient registryClient;
  private FileReplayCache replay;
  private SellerNode node;
  private ConnectedSeller seller;
  private TestBuyer buyer;
  private final List<BuyerCredential> credentials = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    registry =
        RegistryServer.builder()
            .listen(ListenAddress.loopback(0))
            .config(RegistryConfig.builder().heartbeatInterval(Duration.ofMillis(200)).build())
            .start();
    registryClient = RegistryClient.connect(registry.target());
    for (int i = 0; i < 5; i++) {
      BuyerCredential c = BuyerCredential.generate();
      registryClient.enrollAnchor(AnchorEnrollments.create(c, System.currentTimeMillis()));
      credentials.add(c);
    }
    replay = FileReplayCache.open(dir.resolve("seller.replay"));
    seller =
        ConnectedSeller.start(
            SellerNode.builder()
                .identityKey(Secp256k1PrivateKey.generate())
                .offerings(List.of(OfferingFlags.parse("id=llama,service=llama-3.1-8b,model=meta-llama/Llama-3.1-8B-Instruct")))
                .upstream(upstream.baseUrl(), null)
                .registries(List.of(registry.target()))
                .replayCache(replay)
                .maxConcurrency(7));
    node = seller.node();
    buyer = seller.buyer();
  }

  @AfterEach
  void stop() throws Exception {
    seller.close();
    registryClient.close();
    registry.close();
    upstream.close();
  }

  private DiscoverResponse discover() {
    return registryClient.discover(DiscoverRequest.newBuilder().setServiceId("llama-3.1-8b").build());
  }

  private AnchorSet latestAnchors() throws Exception {
    return AnchorSet.fromProto(registryClient.anchorSet(0));
  }

  private static SealedQuery query() {
    return SealedQuery.newBuilder().setServiceId("llama-3.1-8b")
        .setOpenaiRequestJson("{\"model\":\"llama-3.1-8b\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
        .build();
  }

  private long epoch() {
    return EPOCHS.epochAt(Instant.now());
  }

  @Test
  void discoveredSellerServesARingProvedEnvelopeAndRefusesItsReplay() throws Exception {
    PeerListing listing = discover().getPeers(0);
    assertEquals(node.peerId(), listing.getRegistration().getPeerId());
    assertEquals(node.target(), listing.getRegistration().getEndpoint());
    VerifiedKeyAnnouncement key =
        KeyAnnouncements.verify(listing.getRegistration().getEncryptionKey(), node.peerId(), Instant.now());

    AnchorSet set = latestAnchors();
    TestBuyer.Sealed s = buyer.sealWithRingProof(key, query(), credentials.get(2), set, 4, epoch(), 0);
    assertEquals(4, s.envelope().getBuyerCommitment().getMemberIndicesCount());
    TestBuyer.Result r = buyer.infer(s.envelope());
    assertEquals(Status.Code.OK, r.await().getCode(), String.valueOf(r.error));
    ChunkOpener opener = s.opener();
    StringBuilder text = new StringBuilder();
    for (SellerEvent e : r.events) {
      if (e.hasChunk()) {
        StreamPayload p = opener.open(e.getChunk());
        if (p.hasOpenaiChunkJson()) {
          JsonNode c = JSON.readTree(p.getOpenaiChunkJson()).get("choices").get(0).get("delta").get("content");
          text.append(c == null ? "" : c.asText());
        }
      }
    }
    opener.finish();
    assertEquals("Hello wörld", text.toString());
    assertEquals(1, replay.size());

    // The same envelope again, and a new envelope in the same (credential, epoch, slot): replays.
    TestBuyer.Result again = buyer.infer(s.envelope());
    assertEquals(Status.Code.PERMISSION_DENIED, again.await().getCode());
    assertEquals(ErrorCode.NULLIFIER_REPLAYED, again.detail().getCode());
    TestBuyer.Result sameSlot = buyer.infer(buyer.sealWithRingProof(key, query(), credentials.get(2), set, 4, epoch(), 0).envelope());
    assertEquals(Status.Code.PERMISSION_DENIED, sameSlot.await().getCode());
    assertEquals(ErrorCode.NULLIFIER_REPLAYED, sameSlot.detail().getCode());
    // The next slot is a fresh, unlinkable nullifier.
    assertEquals(Status.Code.OK,
        buyer.infer(buyer.sealWithRingProof(key, query(), credentials.get(2), set, 4, epoch(), 1).envelope()).await().getCode());
    assertEquals(2, replay.size());
    assertEquals(2, upstream.started.get());
  }

  @Test
  void forgedOrMisScopedProofsNeverTouchTheReplayCache() throws Exception {
    VerifiedKeyAnnouncement key = buyer.currentKey();
    AnchorSet set = latestAnchors();
    // A valid proof moved onto another envelope (its transcript digest differs).
    TestBuyer.Sealed a = buyer.sealWithRingProof(key, query(), credentials.get(0), set, 3, epoch(), 0);
    TestBuyer.Sealed b = buyer.seal(key, query(), true);
    var moved = b.envelope().toBuilder().setBuyerCommitment(a.envelope().getBuyerCommitment()).setZkProof(a.envelope().getZkProof()).build();
    TestBuyer.Result r = buyer.infer(moved);
    assertEquals(Status.Code.PERMISSION_DENIED, r.await().getCode());
    assertEquals(ErrorCode.PROOF_INVALID, r.detail().getCode());
    // A slot beyond K.
    TestBuyer.Result slot = buyer.infer(buyer.sealWithRingProof(key, query(), credentials.get(0), set, 3, epoch(), EPOCHS.slotsPerEpoch()).envelope());
    assertEquals(Status.Code.PERMISSION_DENIED, slot.await().getCode());
    assertEquals(ErrorCode.SCOPE_INVALID, slot.detail().getCode());
    // An epoch from long ago.
    TestBuyer.Result old = buyer.infer(buyer.sealWithRingProof(key, query(), credentials.get(0), set, 3, epoch() - 5, 0).envelope());
    assertEquals(Status.Code.PERMISSION_DENIED, old.await().getCode());
    assertEquals(ErrorCode.SCOPE_INVALID, old.detail().getCode());
    assertEquals(0, replay.size());
    assertEquals(0, upstream.started.get());
  }

  @Test
  void anchorSetsPublishedAfterStartAreFetchedOnDemand() throws Exception {
    BuyerCredential late = BuyerCredential.generate();
    registryClient.enrollAnchor(AnchorEnrollments.create(late, System.currentTimeMillis()));
    AnchorSet newer = latestAnchors();
    TestBuyer.Result r = buyer.infer(buyer.sealWithRingProof(buyer.currentKey(), query(), late, newer, 6, epoch(), 0).envelope());
    assertEquals(Status.Code.OK, r.await().getCode(), String.valueOf(r.error));
  }

  @Test
  void heartbeatsCarryLoadRotationReRegistersAndCloseDeregisters() throws Exception {
    waitFor(() -> discover().getPeers(0).getLoad().getCapacity() == 7);
    String firstKey =
        KeyAnnouncements.verify(discover().getPeers(0).getRegistration().getEncryptionKey(), node.peerId(), Instant.now()).keyId();
    node.rotateKeys();
    waitFor(() -> !firstKey.equals(listedKeyId()));
    assertEquals(buyer.currentKey().keyId(), listedKeyId());
    assertNotEquals(firstKey, buyer.currentKey().keyId());
    // Heartbeats go on after the re-registration.
    long before = discover().getPeers(0).getLastHeartbeatMs();
    waitFor(() -> discover().getPeers(0).getLastHeartbeatMs() > before);
    node.close();
    assertEquals(0, discover().getPeersCount());
  }

  private String listedKeyId() {
    try {
      return KeyAnnouncements.verify(discover().getPeers(0).getRegistration().getEncryptionKey(), node.peerId(), Instant.now()).keyId();
    } catch (org.openshard.crypto.CryptoException e) {
      throw new IllegalStateException(e);
    }
  }

  static void waitFor(BooleanSupplier cond) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < end) {
      try {
        if (cond.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // not yet
      }
      Thread.sleep(50);
    }
    assertTrue(cond.getAsBoolean());
  }
}
