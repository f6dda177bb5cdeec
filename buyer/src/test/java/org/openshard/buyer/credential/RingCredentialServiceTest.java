package org.openshard.buyer.credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.envelope.NullifierSlot;
import org.openshard.buyer.envelope.ProvenScope;
import org.openshard.buyer.envelope.TranscriptDigest;
import org.openshard.buyer.fakes.FakeRegistry;
import org.openshard.credentials.Anchor;
import org.openshard.credentials.BuyerCredential;
import org.openshard.credentials.Nullifier;
import org.openshard.credentials.anchors.TrustedAnchorSets;
import org.openshard.credentials.ring.RingProofs;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.SecureRandoms;
import org.openshard.proto.v1.ErrorCode;

class RingCredentialServiceTest {
  @TempDir Path dir;
  private final FakeRegistry registry = new FakeRegistry("anchors-" + System.nanoTime());
  private final ManagedChannel channel = InProcessChannelBuilder.forName(registry.name).build();
  private RingCredentialService service;

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
    channel.shutdownNow();
    registry.close();
  }

  @Test
  void enrolsWaitsForItsAnchorAndProvesOverTheTranscript() throws Exception {
    registry.start();
    for (int i = 0; i < 11; i++) {
      registry.others.add(BuyerCredential.generate().anchor());
    }
    service = RingCredentialService.open(dir.resolve("buyer.credential"), 8);
    String seller = "0x" + "11".repeat(20);
    NullifierSlot slot = new NullifierSlot(seller, 480_000, 3);
    byte[] transcript = SecureRandoms.bytes(32);
    BuyerException early = assertThrows(BuyerException.class, () -> service.prove(slot, new TranscriptDigest(transcript)));
    assertEquals(ErrorCode.UNKNOWN_ANCHOR_SET, early.code());

    service.start(channel);
    service.ready().get(10, TimeUnit.SECONDS);
    assertEquals(1, registry.anchors.size());
    Anchor mine = registry.anchors.iterator().next();
    assertEquals(Bytes.hex(mine.toBytes()), service.anchorHex());
    assertTrue(service.anchorSet().contains(mine));

    ProvenScope p = service.prove(slot, new TranscriptDigest(transcript));
    assertEquals(8, p.commitment().getMemberIndicesCount());
    assertEquals(3, p.proof().getScope().getSlot());
    TrustedAnchorSets trusted = new TrustedAnchorSets(4);
    trusted.add(service.anchorSet());
    Nullifier n = RingProofs.verify(p.commitment(), p.proof(), trusted, seller, 480_000, 8, transcript);
    assertEquals(n.hashHex(), p.nullifierHashHex());

    ProvenScope again = service.prove(slot, new TranscriptDigest(SecureRandoms.bytes(32)));
    assertEquals(p.nullifierHashHex(), again.nullifierHashHex(), "same scope, same nullifier");
    ProvenScope other = service.prove(new NullifierSlot(seller, 480_000, 4), new TranscriptDigest(transcript));
    assertFalse(p.nullifierHashHex().equals(other.nullifierHashHex()), "another slot, another nullifier");
  }

  @Test
  void aDeadFirstReplicaIsFailedOverForEnrolmentAndAnchorSets() throws Exception {
    registry.start();
    ManagedChannel dead = InProcessChannelBuilder.forName("no-registry-" + System.nanoTime()).build();
    try {
      service = RingCredentialService.open(null, 8);
      service.start(java.util.List.of(dead, channel));
      service.ready().get(15, TimeUnit.SECONDS);
      assertEquals(1, registry.anchors.size(), "enrolled through the second replica");
      assertTrue(service.anchorSet().contains(registry.anchors.iterator().next()));
    } finally {
      dead.shutdownNow();
    }
  }

  @Test
  void theSameFileGivesTheSameAnchorAndRingsAreCappedBySetSize() throws Exception {
    registry.start();
    Path file = dir.resolve("c");
    service = RingCredentialService.open(file, 16);
    String anchor = service.anchorHex();
    service.start(channel);
    service.ready().get(10, TimeUnit.SECONDS);
    ProvenScope p = service.prove(new NullifierSlot("0x" + "22".repeat(20), 1, 0), new TranscriptDigest(new byte[32]));
    assertEquals(1, p.commitment().getMemberIndicesCount(), "only one anchor enrolled");
    service.close();
    service = RingCredentialService.open(file, 16);
    assertEquals(anchor, service.anchorHex());
  }

  @Test
  void aFreshlyPublishedSetIsAdoptedOnlyAfterTheDelay() throws Exception {
    registry.start();
    service = RingCredentialService.open(null, 8);
    service.start(channel);
    service.ready().get(10, TimeUnit.SECONDS);
    long first = service.anchorSet().epoch();
    registry.others.add(BuyerCredential.generate().anchor());
    service.fetchOnce(0);
    assertEquals(first + 1, service.anchorSet().epoch(), "the newer set is known");
    ProvenScope p = service.prove(new NullifierSlot("0x" + "33".repeat(20), 1, 0), new TranscriptDigest(new byte[32]));
    assertEquals(first, p.commitment().getAnchorSetEpoch(), "but proofs stay on the set sellers already trust");
    assertEquals(first, service.setForProof().epoch());
  }

  @Test
  void retriesEnrolmentUntilTheRegistryAnswers() throws Exception {
    registry.enrollUnavailable = true;
    registry.start();
    service = RingCredentialService.open(null, 4);
    service.start(channel);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (registry.enrollCalls.get() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(registry.enrollCalls.get() >= 2, "retried");
    assertFalse(service.ready().isDone());
    registry.enrollUnavailable = false;
    service.ready().get(15, TimeUnit.SECONDS);
  }
}
