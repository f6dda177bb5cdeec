package org.openshard.buyer.fakes;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.openshard.buyer.dispatch.ReceiptVerifier;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.SecureRandoms;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.proto.v1.Accepted;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.Capability;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;
import org.openshard.proto.v1.GetInfoRequest;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.Offering;
import org.openshard.proto.v1.PeerListing;
import org.openshard.proto.v1.Pricing;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.Receipt;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.SellerEvent;
import org.openshard.proto.v1.SellerGrpc;
import org.openshard.proto.v1.SellerInfo;
import org.openshard.proto.v1.SellerRegistration;
import org.openshard.proto.v1.SignedKeyAnnouncement;
import org.openshard.proto.v1.SignedReceipt;
import org.openshard.proto.v1.StreamPayload;
import org.openshard.proto.v1.Usage;
import org.openshard.payments.receipts.Receipts;

/** An in-process Seller whose behaviour a test sets. Speaks the fake envelope format. */
public final class FakeSeller extends SellerGrpc.SellerImplBase implements AutoCloseable {
  /** What the seller does with the next envelopes. */
  public enum Behavior {
    SERVE,
    REFUSE,
    SILENT,
    CLOSE_EMPTY,
    FAIL_AFTER_FIRST_CHUNK,
    SKIP_SEQUENCE,
    NO_FINAL,
    BAD_RECEIPT,
    STALL_AFTER_FIRST_CHUNK
  }

  public final Secp256k1PrivateKey identity = Secp256k1PrivateKey.generate();
  public final String peerId = identity.publicKey().ethereumAddress();
  public final String endpoint;
  public final List<Offering> offerings;
  public final SignedKeyAnnouncement key;
  public volatile Behavior behavior = Behavior.SERVE;
  public volatile ErrorCode refuseCode = ErrorCode.OVERLOADED;
  /** With {@link Behavior#REFUSE}: runs just before the refusal is sent. */
  public volatile Runnable beforeRefusing = () -> {};
  public volatile int slotsPerEpoch = 8;
  /** Refuse this many envelopes with refuseCode before behaving as {@link #behavior} says. */
  public final AtomicInteger refuseTimes = new AtomicInteger();
  public volatile long epochSeconds = 3600;
  public final AtomicInteger envelopes = new AtomicInteger();
  public final AtomicInteger getInfos = new AtomicInteger();
  public final AtomicInteger cancelFrames = new AtomicInteger();
  public final AtomicInteger cancelledCalls = new AtomicInteger();
  public final CountDownLatch cancelSeen = new CountDownLatch(1);
  public final List<SealedQuery> queries = new CopyOnWriteArrayList<>();
  public final List<PrivacyEnvelope> received = new CopyOnWriteArrayList<>();
  private final Set<ByteString> keyImages = ConcurrentHashMap.newKeySet();
  private Server server;

  public FakeSeller(String name, List<Offering> offerings) {
    this.endpoint = name;
    this.offerings = List.copyOf(offerings);
    Instant now = Instant.now();
    this.key = FakeKeys.announce(identity, "k1", now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)));
  }

  public static Offering offering(String id, String service, long inPrice, long outPrice) {
    return Offering.newBuilder()
        .setOfferingId(id)
        .setCapability(Capability.CAPABILITY_INFERENCE)
        .addServiceIds(service)
        .setPricing(Pricing.newBuilder().setInputPerMillion(inPrice).setOutputPerMillion(outPrice))
        .setUpstreamModel("upstream-" + service)
        .build();
  }

  public FakeSeller start() throws IOException {
    server = InProcessServerBuilder.forName(endpoint).addService(this).build().start();
    return this;
  }

  /** Stops serving: new calls to the endpoint fail as unreachable. */
  public void kill() {
    if (server != null) {
      server.shutdownNow();
      server = null;
    }
  }

  @Override
  public void close() {
    kill();
  }

  /** A registry listing of this seller, signed like the real thing. */
  public PeerListing listing(double health, LoadReport load, long timestampMs) {
    SellerRegistration reg =
        SellerRegistration.newBuilder()
            .setPeerId(peerId)
            .setEndpoint(endpoint)
            .addAllOfferings(offerings)
            .setEncryptionKey(key)
            .setTimestampMs(timestampMs)
            .build();
    byte[] bytes = reg.toByteArray();
    return PeerListing.newBuilder()
        .setSignedRegistration(
            RegisterRequest.newBuilder()
                .setRegistration(ByteString.copyFrom(bytes))
                .setSignature(ByteString.copyFrom(IdentitySignatures.sign(identity, "openshard.v1.SellerRegistration", bytes))))
        .setRegistration(reg)
        .setHealth(health)
        .setLoad(load)
        .build();
  }

  public PeerListing listing() {
    return listing(1.0, LoadReport.getDefaultInstance(), System.currentTimeMillis());
  }

  @Override
  public void getInfo(GetInfoRequest request, StreamObserver<SellerInfo> out) {
    getInfos.incrementAndGet();
    out.onNext(
        SellerInfo.newBuilder()
            .setPeerId(peerId)
            .addAllOfferings(offerings)
            .addEncryptionKeys(key)
            .addProtocolVersions(1)
            .setSlotsPerEpoch(slotsPerEpoch)
            .setEpochSeconds(epochSeconds)
            .build());
    out.onCompleted();
  }

  @Override
  public StreamObserver<BuyerFrame> infer(StreamObserver<SellerEvent> observer) {
    ServerCallStreamObserver<SellerEvent> out = (ServerCallStreamObserver<SellerEvent>) observer;
    out.setOnCancelHandler(
        () -> {
          cancelledCalls.incrementAndGet();
          cancelSeen.countDown();
        });
    return new StreamObserver<>() {
      boolean done;

      @Override
      public void onNext(BuyerFrame frame) {
        if (frame.hasEnvelope()) {
          handle(frame.getEnvelope(), out);
        } else if (frame.hasCancel()) {
          cancelFrames.incrementAndGet();
          cancelSeen.countDown();
          if (!done) {
            done = true;
            error(out, ErrorCode.CANCELLED, "cancelled by the buyer");
          }
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  private void handle(PrivacyEnvelope env, ServerCallStreamObserver<SellerEvent> out) {
    envelopes.incrementAndGet();
    received.add(env);
    SealedQuery q;
    try {
      q = SealedQuery.parseFrom(env.getEncryptedQuery());
    } catch (InvalidProtocolBufferException e) {
      error(out, ErrorCode.INVALID_QUERY, "bad query");
      return;
    }
    queries.add(q);
    Behavior b = behavior;
    if (refuseTimes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      error(out, refuseCode, "refused once");
      return;
    }
    if (b == Behavior.SILENT) {
      return;
    }
    if (b == Behavior.CLOSE_EMPTY) {
      out.onCompleted();
      return;
    }
    if (b == Behavior.REFUSE) {
      beforeRefusing.run();
      error(out, refuseCode, "refused");
      return;
    }
    ByteString keyImage = env.getZkProof().getKeyImage();
    if (!keyImages.add(keyImage)) {
      error(out, ErrorCode.NULLIFIER_REPLAYED, "nullifier already used");
      return;
    }
    out.onNext(
        SellerEvent.newBuilder()
            .setAccepted(
                Accepted.newBuilder()
                    .setOfferingId(offerings.get(0).getOfferingId())
                    .setNullifierHash(ByteString.copyFrom(Hashes.sha256(keyImage.toByteArray()))))
            .build());
    boolean stream = q.getOpenaiRequestJson().contains("\"stream\":true");
    List<StreamPayload> payloads =
        stream
            ? List.of(chunk("Hel"), chunk("lo"), chunk(" world"))
            : List.of(
                StreamPayload.newBuilder()
                    .setOpenaiResponseJson("{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello world\"}}]}")
                    .build());
    MessageDigest hash = sha256();
    long seq = 0;
    for (int i = 0; i < payloads.size(); i++) {
      boolean last = i == payloads.size() - 1;
      if (b == Behavior.SKIP_SEQUENCE && i == 1) {
        seq++;
      }
      EncryptedChunk c =
          EncryptedChunk.newBuilder()
              .setSequence(seq++)
              .setFinal(last && b != Behavior.NO_FINAL)
              .setCiphertext(payloads.get(i).toByteString())
              .build();
      hash.update(c.getCiphertext().toByteArray());
      out.onNext(SellerEvent.newBuilder().setChunk(c).build());
      if (i == 0 && b == Behavior.FAIL_AFTER_FIRST_CHUNK) {
        error(out, ErrorCode.UPSTREAM_ERROR, "upstream broke");
        return;
      }
      if (i == 0 && b == Behavior.STALL_AFTER_FIRST_CHUNK) {
        return;
      }
    }
    Usage usage = Usage.newBuilder().setPromptTokens(5).setCompletionTokens(3).build();
    out.onNext(SellerEvent.newBuilder().setUsage(usage).build());
    Receipt r =
        Receipt.newBuilder()
            .setReceiptId(ByteString.copyFrom(SecureRandoms.bytes(16)))
            .setSellerId(peerId)
            .setRequestHash(Receipts.requestHash(env))
            .setResponseHash(ByteString.copyFrom(b == Behavior.BAD_RECEIPT ? new byte[32] : hash.digest()))
            .setUsage(usage)
            .setAmountCharged(42)
            .setOfferingId(offerings.get(0).getOfferingId())
            .setIssuedAtMs(System.currentTimeMillis())
            .build();
    byte[] rb = r.toByteArray();
    out.onNext(
        SellerEvent.newBuilder()
            .setReceipt(
                SignedReceipt.newBuilder()
                    .setReceipt(ByteString.copyFrom(rb))
                    .setSignature(ByteString.copyFrom(IdentitySignatures.sign(identity, Receipts.CONTEXT, rb))))
            .build());
    out.onCompleted();
  }

  private static StreamPayload chunk(String content) {
    return StreamPayload.newBuilder()
        .setOpenaiChunkJson("{\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"}}]}")
        .build();
  }

  private static void error(StreamObserver<SellerEvent> out, ErrorCode code, String message) {
    out.onNext(SellerEvent.newBuilder().setError(ErrorDetail.newBuilder().setCode(code).setMessage(message).setRetryable(true)).build());
    out.onCompleted();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
