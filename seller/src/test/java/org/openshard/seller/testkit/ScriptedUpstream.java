package org.openshard.seller.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.openshard.proto.v1.Usage;
import org.openshard.seller.pipeline.StageException;
import org.openshard.seller.upstream.FlowControl;
import org.openshard.seller.upstream.Upstream;
import org.openshard.seller.upstream.UpstreamCall;
import org.openshard.seller.upstream.UpstreamListener;
import org.openshard.seller.upstream.UpstreamRequest;

/**
 * An in-memory upstream: answers with scripted chunks (or a response), usage or an error, or
 * hangs until cancelled. Logs "upstream" for each call; counts cancellations.
 */
public final class ScriptedUpstream implements Upstream {
  private final List<String> log;
  private final List<UpstreamRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger cancellations = new AtomicInteger();
  private volatile List<String> chunks = List.of("{\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}");
  private volatile String response = "{\"choices\":[{\"message\":{\"content\":\"hi\"}}]}";
  private volatile Usage usage = Usage.newBuilder().setPromptTokens(5).setCompletionTokens(2).build();
  private volatile StageException error;
  private volatile boolean hang;

  public ScriptedUpstream(List<String> log) {
    this.log = log;
  }

  public ScriptedUpstream chunks(List<String> c) {
    this.chunks = List.copyOf(c);
    return this;
  }

  public ScriptedUpstream usage(Usage u) {
    this.usage = u;
    return this;
  }

  public ScriptedUpstream failWith(StageException e) {
    this.error = e;
    return this;
  }

  public ScriptedUpstream hang() {
    this.hang = true;
    return this;
  }

  public List<UpstreamRequest> requests() {
    return requests;
  }

  public int cancellations() {
    return cancellations.get();
  }

  @Override
  public UpstreamCall start(UpstreamRequest request, UpstreamListener listener, FlowControl flow) {
    log.add("upstream");
    requests.add(request);
    AtomicInteger cancelled = new AtomicInteger();
    UpstreamCall call = () -> {
      if (cancelled.getAndIncrement() == 0) {
        cancellations.incrementAndGet();
      }
    };
    if (hang) {
      return call;
    }
    Thread t =
        new Thread(
            () -> {
              if (error != null) {
                listener.onError(error);
                return;
              }
              if (request.request().stream()) {
                List<String> left = new ArrayList<>(chunks);
                for (String c : left) {
                  if (cancelled.get() > 0) {
                    return;
                  }
                  listener.onChunk(c);
                }
              } else {
                listener.onResponse(response);
              }
              listener.onComplete(usage);
            },
            "scripted-upstream");
    t.start();
    return call;
  }
}
