package org.openshard.seller.testkit;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.openshard.proto.v1.Accepted;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.SellerEvent;
import org.openshard.proto.v1.SignedReceipt;
import org.openshard.proto.v1.Usage;
import org.openshard.seller.pipeline.InferenceSink;
import org.openshard.seller.pipeline.StageException;

/** Records a pipeline's events as SellerEvents; {@link #done()} completes on the terminal call. */
public final class RecordingSink implements InferenceSink {
  public final List<SellerEvent> events = new CopyOnWriteArrayList<>();
  public final CompletableFuture<SellerEvent> done = new CompletableFuture<>();
  private final List<String> log;

  public RecordingSink(List<String> log) {
    this.log = log;
  }

  @Override
  public void accepted(Accepted accepted) {
    log.add("accepted");
    events.add(SellerEvent.newBuilder().setAccepted(accepted).build());
  }

  @Override
  public void chunk(EncryptedChunk chunk) {
    events.add(SellerEvent.newBuilder().setChunk(chunk).build());
  }

  @Override
  public void usage(Usage usage) {
    events.add(SellerEvent.newBuilder().setUsage(usage).build());
  }

  @Override
  public void completed(SignedReceipt receipt) {
    SellerEvent e = SellerEvent.newBuilder().setReceipt(receipt).build();
    events.add(e);
    if (!done.complete(e)) {
      throw new AssertionError("second terminal event");
    }
  }

  @Override
  public void failed(StageException error) {
    SellerEvent e = SellerEvent.newBuilder().setError(error.toDetail()).build();
    events.add(e);
    if (!done.complete(e)) {
      throw new AssertionError("second terminal event");
    }
  }

  @Override
  public void whenReady(Runnable resume) {
    resume.run();
  }
}
