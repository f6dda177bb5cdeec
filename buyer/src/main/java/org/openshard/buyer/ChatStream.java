package org.openshard.buyer;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openshard.proto.v1.ChatChunk;
import org.openshard.proto.v1.ChatCompletion;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.RequestSummary;

/**
 * A chat completion read as a blocking sequence of gateway events: chunks or one completion, then
 * the summary. {@link #close()} cancels the request if it is still running.
 *
 * <pre>{@code
 * try (ChatStream s = client.stream(json)) {
 *   for (ChatCompletionEvent e; (e = s.next()) != null; ) {
 *     if (e.hasChunk()) System.out.print(e.getChunk().getContentDelta());
 *   }
 * }
 * }</pre>
 */
public final class ChatStream implements AutoCloseable {
  private static final Object END = new Object();

  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile ChatHandle handle;
  private boolean ended;

  ChatStream() {}

  ChatListener listener() {
    return new ChatListener() {
      @Override
      public void onChunk(ChatChunk chunk) {
        queue.add(ChatCompletionEvent.newBuilder().setChunk(chunk).build());
      }

      @Override
      public void onCompletion(ChatCompletion completion) {
        queue.add(ChatCompletionEvent.newBuilder().setCompletion(completion).build());
      }

      @Override
      public void onSummary(RequestSummary summary) {
        queue.add(ChatCompletionEvent.newBuilder().setSummary(summary).build());
        queue.add(END);
      }

      @Override
      public void onError(BuyerException error) {
        queue.add(error);
      }
    };
  }

  void attach(ChatHandle h) {
    handle = h;
  }

  /**
   * The next event, blocking; null after the summary.
   *
   * @throws BuyerException if the request failed (also after some chunks were delivered)
   */
  public ChatCompletionEvent next() throws BuyerException, InterruptedException {
    return next(Long.MAX_VALUE, TimeUnit.DAYS);
  }

  /** Like {@link #next()}, but gives up after the timeout with DEADLINE_EXCEEDED (request cancelled). */
  public ChatCompletionEvent next(long timeout, TimeUnit unit) throws BuyerException, InterruptedException {
    if (ended) {
      return null;
    }
    Object o = queue.poll(timeout, unit);
    if (o == null) {
      close();
      throw BuyerException.of(org.openshard.proto.v1.ErrorCode.DEADLINE_EXCEEDED, "no event within the timeout");
    }
    if (o == END) {
      ended = true;
      return null;
    }
    if (o instanceof BuyerException) {
      ended = true;
      throw (BuyerException) o;
    }
    return (ChatCompletionEvent) o;
  }

  @Override
  public void close() {
    ChatHandle h = handle;
    if (h != null) {
      h.cancel();
    }
  }
}
