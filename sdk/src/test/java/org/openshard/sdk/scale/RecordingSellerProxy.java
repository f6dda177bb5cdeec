package org.openshard.sdk.scale;

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
 * it makes the seller unreachable without deregistering it. (Same idea as the buyer e2e proxy.)
 */
final class RecordingSellerProxy implements AutoCloseable {
  final List<PrivacyEnvelope> envelopes = new CopyOnWriteArrayList<>();
  private final GrpcServer server;
  private volatile ManagedChannel seller;

  RecordingSellerProxy() throws IOException {
    server = GrpcServer.builder(ListenAddress.loopback(0)).addService(new Forwarder()).start();
  }

  String target() {
    return server.target();
  }

  void forwardTo(String sellerTarget) {
    seller = NettyChannelBuilder.forTarget(sellerTarget).usePlaintext().build();
  }

  /** Stops answering at once (open streams are reset). */
  void kill() {
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
          if (frame.hasEnvelope()) {
            envelopes.add(frame.getEnvelope());
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
