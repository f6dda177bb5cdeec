package org.openshard.registry.store.redis;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;

/**
 * Keeps one subscription to the events channel on a dedicated connection and thread, reconnecting
 * with backoff. Every time the subscription drops, {@code onInterrupted} runs (events may have been
 * lost). A watchdog PINGs the subscription; if no PONG or message arrives for 15 s the connection is
 * dropped and re-established.
 */
final class RedisEventSubscriber implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisEventSubscriber.class);
  private static final long STALE_MS = 15_000;

  private final Supplier<Jedis> connect;
  private final byte[] channel;
  private final Consumer<byte[]> onMessage;
  private final Consumer<String> onInterrupted;
  private final Thread thread;
  private final CountDownLatch firstSubscribe = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile boolean connected;
  private volatile boolean failing;
  private volatile long lastSeenMs;
  private volatile Jedis current;
  private volatile Sub sub;

  private final class Sub extends BinaryJedisPubSub {
    @Override
    public void onSubscribe(byte[] channel, int subscribedChannels) {
      lastSeenMs = System.currentTimeMillis();
      if (failing) {
        LOG.info("registry event subscription restored");
      }
      failing = false;
      connected = true;
      firstSubscribe.countDown();
    }

    @Override
    public void onMessage(byte[] channel, byte[] message) {
      lastSeenMs = System.currentTimeMillis();
      onMessage.accept(message);
    }

    @Override
    public void onPong(byte[] pattern) {
      lastSeenMs = System.currentTimeMillis();
    }
  }

  RedisEventSubscriber(Supplier<Jedis> connect, byte[] channel, Consumer<byte[]> onMessage, Consumer<String> onInterrupted) {
    this.connect = connect;
    this.channel = channel;
    this.onMessage = onMessage;
    this.onInterrupted = onInterrupted;
    this.thread = new Thread(this::loop, "registry-redis-events");
    this.thread.setDaemon(true);
  }

  /** Starts the thread and waits up to {@code timeoutMs} for the first subscription. */
  boolean start(long timeoutMs) throws InterruptedException {
    thread.start();
    return firstSubscribe.await(timeoutMs, TimeUnit.MILLISECONDS);
  }

  boolean connected() {
    return connected;
  }

  private void loop() {
    long backoff = 100;
    while (!closed) {
      try (Jedis j = connect.get()) {
        current = j;
        Sub s = new Sub();
        sub = s;
        j.subscribe(s, channel);
      } catch (RuntimeException e) {
        if (!closed) {
          if (connected || !failing) {
            LOG.warn("registry event subscription lost: {} (reconnecting)", e.getMessage());
          } else {
            LOG.debug("registry event subscription retry failed: {}", e.getMessage());
          }
          failing = true;
        }
      }
      boolean was = connected;
      connected = false;
      current = null;
      if (closed) {
        return;
      }
      onInterrupted.accept(was ? "redis subscription lost" : "redis subscription failed");
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        return;
      }
      backoff = Math.min(2_000, backoff * 2);
      if (was) {
        backoff = 100;
      }
    }
  }

  /** Called periodically: pings the subscription and drops it if it went silent. */
  void watchdog() {
    Sub s = sub;
    Jedis j = current;
    if (!connected || s == null || j == null) {
      return;
    }
    if (System.currentTimeMillis() - lastSeenMs > STALE_MS) {
      LOG.warn("registry event subscription silent for {} ms; reconnecting", STALE_MS);
      try {
        j.disconnect();
      } catch (RuntimeException ignored) {
        // the loop notices
      }
      return;
    }
    try {
      s.ping();
    } catch (RuntimeException e) {
      try {
        j.disconnect();
      } catch (RuntimeException ignored) {
        // the loop notices
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Sub s = sub;
    try {
      if (s != null && s.isSubscribed()) {
        s.unsubscribe();
      }
    } catch (RuntimeException ignored) {
      // connection already gone
    }
    Jedis j = current;
    if (j != null) {
      try {
        j.disconnect();
      } catch (RuntimeException ignored) {
        // already closed
      }
    }
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
