package org.openshard.testing.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.GetInfoRequest;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.SellerEvent;
import org.openshard.proto.v1.SellerGrpc;
import org.openshard.proto.v1.SellerInfo;
import org.openshard.runtime.GrpcServer;
import org.openshard.runtime.ListenAddress;

/**
 * A man in the middle in front of a real seller: the address the seller advertises, forwarding
 * every call and recording the envelopes it sees (what a network observer could capture). Stopping
 * it makes the seller unreachable without deregistering it, like a crash; it can also add latency,
 * rewrite the first frame or payment frames (a forger on the path). Shared by the buyer and SDK
 * end-to-end tests.
 */
public final class RecordingSellerProxy implements AutoCloseable {
  public final List<PrivacyEnvelope> envelopes = new CopyOnWriteArrayList<>();
  public final List<org.openshard.proto.v1.ResumedRequest> resumed = new CopyOnWriteArrayList<>();
  public final List<org.openshard.proto.v1.PaymentAuthorization> payments = new CopyOnWriteArrayList<>();
  public final List<org.openshard.proto.v1.PaymentRequired> paymentRequired = new CopyOnWriteArrayList<>();
  public final List<org.openshard.proto.v1.ErrorDetail> errors = new CopyOnWriteArrayList<>();
  /** Applied to the first frame (envelope or resume) before it is recorded and forwarded. */
  public volatile java.util.function.UnaryOperator<BuyerFrame> tamperFirst = java.util.function.UnaryOperator.identity();
  /** Rewrites the buyer's payment frames before forwarding them (a forger on the path). */
  public volatile java.util.function.UnaryOperator<BuyerFrame> tamperPayment = java.util.function.UnaryOperator.identity();
  private final GrpcServer server;
  private volatile ManagedChannel seller;
  public volatile long addedLatencyMs;

  public RecordingSellerProxy() throws IOException {
    server = GrpcServer.builder(ListenAddress.loopback(0)).addService(new Forwarder()).start();
  }

  public String target() {
    return server.target();
  }

  public void forwardTo(String sellerTarget) {
    ManagedChannel previous = seller;
    seller = NettyChannelBuilder.forTarget(sellerTarget).usePlaintext().build();
    if (previous != null) {
      previous.shutdownNow();
    }
  }

  /** Stops answering at once (open streams are reset). */
  public void kill() {
    server.shutdown(0);
  }

  @Override
  public void close() {
    server.shutdown(0);
    if (seller != null) {
      seller.shutdownNow();
    }
  }

  private final class Forwarder extends SellerGrpc.SellerImplBase {
    @Override
    public void getInfo(GetInfoRequest request, StreamObserver<SellerInfo> out) {
      try {
        out.onNext(SellerGrpc.newBlockingStub(seller).withDeadlineAfter(5, TimeUnit.SECONDS).getInfo(request));
        out.onCompleted();
      } catch (RuntimeException e) {
        out.onError(e);
      }
    }

    @Override
    public StreamObserver<BuyerFrame> infer(StreamObserver<SellerEvent> out) {
      StreamObserver<BuyerFrame> upstream =
          SellerGrpc.newStub(seller)
              .infer(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(SellerEvent ev) {
                      if (ev.hasPaymentRequired()) {
                        paymentRequired.add(ev.getPaymentRequired());
                      } else if (ev.hasError()) {
                        errors.add(ev.getError());
                      }
                      out.onNext(ev);
                    }

                    @Override
                    public void onError(Throwable t) {
                      out.onError(t);
                    }

                    @Override
                    public void onCompleted() {
                      out.onCompleted();
                    }
                  });
      return new StreamObserver<>() {
        @Override
        public void onNext(BuyerFrame frame) {
          if (frame.hasResume() || frame.hasEnvelope()) {
            frame = tamperFirst.apply(frame);
          }
          if (frame.hasEnvelope()) {
            envelopes.add(frame.getEnvelope());
          }
          if (frame.hasResume()) {
            resumed.add(frame.getResume());
          }
          if (frame.hasEnvelope() || frame.hasResume()) {
            long delay = addedLatencyMs;
            if (delay > 0) {
              try {
                Thread.sleep(delay);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
          if (frame.hasPrepaid()) {
            payments.add(frame.getPrepaid());
          }
          if (frame.hasPayment()) {
            frame = tamperPayment.apply(frame);
            payments.add(frame.getPayment());
          }
          upstream.onNext(frame);
        }

        @Override
        public void onError(Throwable t) {
          upstream.onError(t);
        }

        @Override
        public void onCompleted() {
          upstream.onCompleted();
        }
      };
    }
  }
}
