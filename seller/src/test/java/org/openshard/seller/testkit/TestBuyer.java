package org.openshard.seller.testkit;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.SecureRandoms;
import org.openshard.crypto.envelope.ChunkOpener;
import org.openshard.crypto.envelope.EnvelopeSealer;
import org.openshard.crypto.envelope.KeyAnnouncements;
import org.openshard.crypto.envelope.SealedEnvelope;
import org.openshard.crypto.envelope.VerifiedKeyAnnouncement;
import org.openshard.proto.v1.BuyerCommitment;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.GetInfoRequest;
import org.openshard.proto.v1.NullifierScope;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.SellerEvent;
import org.openshard.proto.v1.SellerGrpc;
import org.openshard.proto.v1.SellerInfo;
import org.openshard.proto.v1.SignedKeyAnnouncement;
import org.openshard.proto.v1.ZkProof;
import org.openshard.runtime.Errors;

/**
 * The buyer side for seller tests: fetches and verifies the seller's key, seals real envelopes
 * (EnvelopeSealer) and runs Infer streams, decrypting the response with the session's opener.
 * Proofs are the test kit's stand-ins (see {@link FakeEnvelopes}) until real ring proofs are used.
 */
public final class TestBuyer {
  private final ManagedChannel channel;
  private final String sellerId;

  public TestBuyer(ManagedChannel channel, String sellerId) {
    this.channel = channel;
    this.sellerId = sellerId;
  }

  public SellerInfo info() {
    return SellerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).getInfo(GetInfoRequest.getDefaultInstance());
  }

  /** The seller's current key, verified. */
  public VerifiedKeyAnnouncement currentKey() throws CryptoException {
    return verify(info().getEncryptionKeys(0));
  }

  public VerifiedKeyAnnouncement verify(SignedKeyAnnouncement a) throws CryptoException {
    return KeyAnnouncements.verify(a, sellerId, Instant.now());
  }

  /** A sealed envelope and the proof attached to it. */
  public record Sealed(SealedEnvelope sealed, PrivacyEnvelope envelope) {
    public ChunkOpener opener() throws CryptoException {
      return sealed.session().responseOpener();
    }
  }

  public Sealed seal(VerifiedKeyAnnouncement key, SealedQuery query, boolean validProof) throws CryptoException {
    return seal(key, query, validProof ? FakeEnvelopes.VALID_CHALLENGE : FakeEnvelopes.INVALID_CHALLENGE, SecureRandoms.bytes(33));
  }

  public Sealed seal(VerifiedKeyAnnouncement key, SealedQuery query, ByteString challenge, byte[] keyImage) throws CryptoException {
    SealedEnvelope s = EnvelopeSealer.seal(key, query, Instant.now());
    ZkProof proof =
        ZkProof.newBuilder()
            .setScope(NullifierScope.newBuilder().setSellerId(sellerId).setEpoch(1))
            .setChallenge(challenge)
            .setKeyImage(ByteString.copyFrom(keyImage))
            .build();
    return new Sealed(s, s.toProto(BuyerCommitment.newBuilder().setAnchorSetEpoch(1).addMemberIndices(0).build(), proof));
  }

  /**
   * Seals {@code query} to {@code key} and attaches a real ring proof (bLSAG over the envelope's
   * transcript digest) by {@code credential}, a ring of {@code ringSize} members of {@code set}, in
   * nullifier {@code epoch} and {@code slot}.
   */
  public Sealed sealWithRingProof(
      VerifiedKeyAnnouncement key, SealedQuery query, org.openshard.credentials.BuyerCredential credential,
      org.openshard.credentials.anchors.AnchorSet set, int ringSize, long epoch, int slot) throws Exception {
    SealedEnvelope s = EnvelopeSealer.seal(key, query, Instant.now());
    java.util.List<Integer> ring =
        org.openshard.credentials.ring.RingSelector.choose(set, credential.anchor(), ringSize, SecureRandoms.get());
    org.openshard.credentials.ring.RingProof proof =
        org.openshard.credentials.ring.RingProofs.prove(
            credential, set, ring, org.openshard.credentials.Scope.of(sellerId, epoch, slot), s.transcriptDigest(), SecureRandoms.get());
    return new Sealed(s, s.toProto(proof.commitment(), proof.proof()));
  }

  /** One Infer stream's outcome. */
  public static final class Result {
    public final List<SellerEvent> events = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Status> status = new CompletableFuture<>();
    public volatile Throwable error;
    volatile ClientCallStreamObserver<BuyerFrame> requests;

    public Status await() throws Exception {
      return status.get(30, TimeUnit.SECONDS);
    }

    /** Sends a frame on the running stream. */
    public void send(BuyerFrame f) {
      requests.onNext(f);
    }

    /** Cancels the stream (the RPC), as a buyer that goes away. */
    public void cancelRpc() {
      requests.cancel("buyer went away", null);
    }

    public org.openshard.proto.v1.ErrorDetail detail() {
      return error == null ? null : Errors.detail(error).orElse(null);
    }
  }

  /** Starts an Infer stream with {@code first} as the first frame; {@code onEvent} sees each event. */
  public Result infer(BuyerFrame first, long deadlineMillis, Consumer<SellerEvent> onEvent) {
    Result r = new Result();
    var stub = SellerGrpc.newStub(channel);
    if (deadlineMillis > 0) {
      stub = stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
    }
    stub.infer(
        new ClientResponseObserver<BuyerFrame, SellerEvent>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<BuyerFrame> requestStream) {
            r.requests = requestStream;
          }

          @Override
          public void onNext(SellerEvent value) {
            r.events.add(value);
            if (onEvent != null) {
              onEvent.accept(value);
            }
          }

          @Override
          public void onError(Throwable t) {
            r.error = t;
            r.status.complete(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            r.status.complete(Status.OK);
          }
        });
    r.requests.onNext(first);
    return r;
  }

  public Result infer(PrivacyEnvelope envelope) {
    return infer(BuyerFrame.newBuilder().setEnvelope(envelope).build(), 0, null);
  }
}
