package org.openshard.seller.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.envelope.ChunkOpener;
import org.openshard.crypto.envelope.SealedResumedRequest;
import org.openshard.crypto.envelope.SessionResumption;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.Receipt;
import org.openshard.proto.v1.ResumedRequest;
import org.openshard.proto.v1.SellerEvent;
import org.openshard.proto.v1.SessionTicket;
import org.openshard.proto.v1.StreamPayload;
import org.openshard.seller.SellerNode;
import org.openshard.seller.testkit.ConnectedSeller;
import org.openshard.seller.testkit.FakeEnvelopes;
import org.openshard.seller.testkit.FakeOpenAiServer;
import org.openshard.seller.testkit.MemoryNullifierStore;
import org.openshard.seller.testkit.TestBuyer;

/** Session resumption (docs/protocol.md section 5a) at a real seller over loopback gRPC. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResumedSessionTest {
  private static final String JSON =
      "{\"model\":\"llama-free\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private final FakeOpenAiServer upstream = new FakeOpenAiServer();
  private List<String> log;
  private MemoryNullifierStore store;
  private SellerNode node;
  private ConnectedSeller seller;
  private TestBuyer buyer;

  private void start(Duration ttl, int maxRequests) throws Exception {
    seller =
        ConnectedSeller.start(
            SellerServiceTest.fakeProofSeller(Secp256k1PrivateKey.generate(), upstream, "", log, store)
                .sessionResumption(ttl, maxRequests));
    node = seller.node();
    buyer = seller.buyer();
  }

  @BeforeEach
  void fresh() {
    upstream.reset();
    log = FakeEnvelopes.log();
    store = new MemoryNullifierStore(log);
  }

  @AfterEach
  void stop() throws Exception {
    if (seller != null) {
      seller.close();
    }
  }

  @AfterAll
  void stopUpstream() {
    upstream.close();
  }

  /** Opens a session with a real envelope; returns its ticket and the buyer's resumption secret. */
  private Session open() throws Exception {
    TestBuyer.Sealed s = buyer.seal(buyer.currentKey(), SellerServiceTest.query("llama-free", JSON), true);
    TestBuyer.Result r = buyer.infer(s.envelope());
    assertEquals(Status.Code.OK, r.await().getCode(), String.valueOf(r.error));
    assertTrue(r.events.get(0).hasAccepted());
    return new Session(r.events.get(0).getAccepted(), s.sealed().session().resumption());
  }

  private record Session(org.openshard.proto.v1.Accepted accepted, SessionResumption resumption) {
    SessionTicket ticket() {
      return accepted.getSession();
    }

    SealedResumedRequest seal(long n, String service) throws Exception {
      return resumption.seal(ticket().getTicket().toByteArray(), n, SellerServiceTest.query(service, JSON));
    }
  }

  private TestBuyer.Result send(ResumedRequest req) throws Exception {
    TestBuyer.Result r = buyer.infer(BuyerFrame.newBuilder().setResume(req).build(), 0, null);
    r.await();
    return r;
  }

  @Test
  void aResumedRequestSkipsProofNullifierAndKeyAgreementAndIsServedEncrypted() throws Exception {
    start(Duration.ofMinutes(5), 100);
    Session s = open();
    assertTrue(s.accepted().hasSession());
    assertEquals(16, s.ticket().getTicket().size());
    assertEquals(100, s.ticket().getMaxRequests());
    assertTrue(s.ticket().getExpiresAtMs() > System.currentTimeMillis());
    List<String> afterEnvelope = List.copyOf(log);

    SealedResumedRequest req = s.seal(1, "llama-free");
    TestBuyer.Result r = send(req.toProto());
    assertEquals(Status.Code.OK, r.status.get().getCode(), String.valueOf(r.error));
    assertEquals(afterEnvelope, log, "no proof check and no nullifier claim for a resumed request");
    assertEquals(1, store.size());
    assertFalse(r.events.get(0).getAccepted().hasSession(), "a resumed request gets no ticket of its own");
    assertEquals(s.accepted().getNullifierHash(), r.events.get(0).getAccepted().getNullifierHash());

    ChunkOpener opener = req.session().responseOpener();
    StringBuilder text = new StringBuilder();
    SellerEvent receiptEvent = null;
    for (SellerEvent ev : r.events) {
      if (ev.hasChunk()) {
        StreamPayload p = opener.open(ev.getChunk());
        text.append(p.getOpenaiChunkJson());
      } else if (ev.hasReceipt()) {
        receiptEvent = ev;
      }
    }
    opener.finish();
    assertTrue(text.length() > 0);
    Receipt receipt = Receipt.parseFrom(receiptEvent.getReceipt().getReceipt());
    assertArrayEquals(
        Hashes.sha256(req.toProto().getTicket().toByteArray(), req.toProto().getEncryptedQuery().toByteArray()),
        receipt.getRequestHash().toByteArray());
    assertEquals(2, upstream.started.get());
  }

  @Test
  void aRepeatedNumberIsAReplayAndATamperedQueryDoesNotBurnItsNumber() throws Exception {
    start(Duration.ofMinutes(5), 100);
    Session s = open();
    ResumedRequest good = s.seal(2, "llama-free").toProto();
    byte[] ct = good.getEncryptedQuery().toByteArray();
    ct[20] ^= 1;
    TestBuyer.Result tampered = send(good.toBuilder().setEncryptedQuery(ByteString.copyFrom(ct)).build());
    assertEquals(ErrorCode.DECRYPTION_FAILED, tampered.detail().getCode());

    assertEquals(Status.Code.OK, send(good).status.get().getCode());
    TestBuyer.Result again = send(good);
    assertEquals(Status.Code.PERMISSION_DENIED, again.status.get().getCode());
    assertEquals(ErrorCode.SESSION_REQUEST_REPLAYED, again.detail().getCode());
    assertFalse(again.events.stream().anyMatch(SellerEvent::hasChunk));
    assertEquals(2, upstream.started.get(), "the envelope and request 2, nothing else");
  }

  @Test
  void unknownTicketsNumbersPastTheLimitAndUsedUpSessionsAreSessionUnknown() throws Exception {
    start(Duration.ofMinutes(5), 2);
    Session s = open();
    ResumedRequest past = s.seal(3, "llama-free").toProto();
    assertEquals(ErrorCode.SESSION_UNKNOWN, send(past).detail().getCode());
    ResumedRequest unknown = past.toBuilder().setTicket(ByteString.copyFrom(new byte[16])).build();
    TestBuyer.Result u = send(unknown);
    assertEquals(Status.Code.FAILED_PRECONDITION, u.status.get().getCode());
    assertEquals(ErrorCode.SESSION_UNKNOWN, u.detail().getCode());
    assertEquals(ErrorCode.INVALID_ARGUMENT, send(past.toBuilder().setTicket(ByteString.copyFrom(new byte[5])).build()).detail().getCode());

    assertEquals(Status.Code.OK, send(s.seal(2, "llama-free").toProto()).status.get().getCode());
    assertEquals(Status.Code.OK, send(s.seal(1, "llama-free").toProto()).status.get().getCode(), "numbers may arrive out of order");
    // Both numbers used: the session is gone, so a fresh (never used) number is unknown too.
    assertEquals(ErrorCode.SESSION_UNKNOWN, send(s.seal(2, "llama-free").toProto()).detail().getCode());
    assertEquals(3, upstream.started.get());
  }

  @Test
  void anExpiredSessionIsSessionUnknown() throws Exception {
    start(Duration.ofMillis(300), 100);
    Session s = open();
    Thread.sleep(600);
    assertEquals(ErrorCode.SESSION_UNKNOWN, send(s.seal(1, "llama-free").toProto()).detail().getCode());
    assertEquals(1, upstream.started.get());
  }

  @Test
  void aResumedRequestForAPricedOfferingStillNeedsPayment() throws Exception {
    start(Duration.ofMinutes(5), 100);
    Session s = open();
    TestBuyer.Result r = send(s.seal(1, "llama-paid").toProto());
    assertEquals(ErrorCode.PAYMENT_UNSUPPORTED, r.detail().getCode());
    assertEquals(1, upstream.started.get());
  }

  @Test
  void withResumptionOffNoTicketIsOffered() throws Exception {
    start(Duration.ofMinutes(5), 0);
    Session s = open();
    assertFalse(s.accepted().hasSession());
    ResumedRequest guess =
        s.resumption().seal(new byte[16], 1, SellerServiceTest.query("llama-free", JSON)).toProto();
    assertEquals(ErrorCode.SESSION_UNKNOWN, send(guess).detail().getCode());
  }
}
