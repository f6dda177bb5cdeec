package org.openshard.buyer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.openshard.buyer.credential.CredentialService;
import org.openshard.buyer.credential.RingCredentialService;
import org.openshard.proto.v1.ChatChunk;
import org.openshard.proto.v1.ChatCompletion;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ListModelsResponse;
import org.openshard.proto.v1.RequestSummary;
import org.openshard.proto.v1.RoutingOptions;

/**
 * Private chat completions from Java code, in-process (no gateway hop). The client discovers
 * sellers through the registry, seals each request in a privacy envelope with a ring proof of its
 * credential, fails over before the first token, decrypts the answer and checks the seller's
 * receipt. Thread-safe; one instance per process is enough.
 *
 * <pre>{@code
 * try (BuyerClient client = BuyerClient.builder()
 *     .registry("127.0.0.1:7000")
 *     .credentialFile(Path.of("buyer.credential"))   // created (mode 0600) if absent
 *     .options(BuyerOptions.builder().ringSize(8).maxOutputPrice(2_000_000).build())
 *     .build()) {
 *   ChatResult r = client.chat("{\"model\":\"llama-3.1-8b\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
 *   System.out.println(r.content() + " (served by " + r.summary().getSellerId() + ")");
 *
 *   try (ChatStream s = client.stream("{\"model\":\"llama-3.1-8b\",\"stream\":true,\"messages\":[...]}")) {
 *     for (ChatCompletionEvent e; (e = s.next()) != null; ) {
 *       if (e.hasChunk()) System.out.print(e.getChunk().getContentDelta());
 *     }
 *   }
 * }
 * }</pre>
 *
 * Failures are {@link BuyerException}s carrying an {@link ErrorCode}: {@code NO_SELLER_AVAILABLE},
 * {@code PINNED_PEER_UNAVAILABLE}, {@code ALL_SELLERS_FAILED}, {@code INVALID_ARGUMENT}, or the
 * seller's own code when it failed after tokens had started.
 */
public final class BuyerClient implements AutoCloseable {
  private final BuyerRuntime runtime;

  private BuyerClient(BuyerRuntime runtime) {
    this.runtime = runtime;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A chat completion, blocking until it is complete. */
  public ChatResult chat(String openaiJson) throws BuyerException {
    return chat(openaiJson, RoutingOptions.getDefaultInstance());
  }

  /** A chat completion with routing options (pin, price ceilings, capability), blocking. */
  public ChatResult chat(String openaiJson, RoutingOptions routing) throws BuyerException {
    CompletableFuture<ChatResult> done = new CompletableFuture<>();
    List<ChatChunk> chunks = new ArrayList<>();
    ChatCompletion[] completion = new ChatCompletion[1];
    ChatHandle h =
        chat(
            openaiJson,
            routing,
            new ChatListener() {
              @Override
              public void onChunk(ChatChunk chunk) {
                chunks.add(chunk);
              }

              @Override
              public void onCompletion(ChatCompletion c) {
                completion[0] = c;
              }

              @Override
              public void onSummary(RequestSummary summary) {
                done.complete(new ChatResult(completion[0], chunks, summary));
              }

              @Override
              public void onError(BuyerException error) {
                done.completeExceptionally(error);
              }
            });
    try {
      return done.get();
    } catch (InterruptedException e) {
      h.cancel();
      Thread.currentThread().interrupt();
      throw BuyerException.of(ErrorCode.CANCELLED, "interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof BuyerException ? (BuyerException) c : BuyerException.of(ErrorCode.INTERNAL, String.valueOf(c));
    }
  }

  /**
   * A chat completion delivered to {@code listener} as it happens (chunks as they are decrypted).
   * Returns at once; {@link ChatHandle#cancel()} stops it.
   */
  public ChatHandle chat(String openaiJson, RoutingOptions routing, ChatListener listener) {
    return runtime.engine().execute(openaiJson, routing, null, null, listener);
  }

  /** A chat completion read as a blocking sequence of events (see {@link ChatStream}). */
  public ChatStream stream(String openaiJson) {
    return stream(openaiJson, RoutingOptions.getDefaultInstance());
  }

  public ChatStream stream(String openaiJson, RoutingOptions routing) {
    ChatStream s = new ChatStream();
    s.attach(chat(openaiJson, routing, s.listener()));
    return s;
  }

  /** The models offered by live sellers, aggregated from the local index. */
  public ListModelsResponse models() {
    return runtime.catalog().list();
  }

  @Override
  public void close() {
    runtime.close();
  }

  /** Builder of a {@link BuyerClient}. */
  public static final class Builder {
    private final BuyerConfig.Builder config = BuyerConfig.builder();
    private Path credentialFile;
    private BuyerOptions options = BuyerOptions.defaults();

    private Builder() {}

    /** A registry's gRPC target {@code host:port}; several may be given (failover order). */
    public Builder registry(String target) {
      config.registry(Objects.requireNonNull(target));
      return this;
    }

    /**
     * The credential file; created with a fresh secret (mode 0600) if absent. Without one, a
     * throw-away credential is generated for this process (it must be enrolled again each run).
     */
    public Builder credentialFile(Path file) {
      credentialFile = file;
      config.credentialFile(file);
      return this;
    }

    public Builder options(BuyerOptions o) {
      options = Objects.requireNonNull(o);
      config.options(o);
      return this;
    }

    /** How long {@link #build()} waits for the registry and an anchor set. Default 30 s. */
    public Builder readyTimeout(Duration d) {
      config.readyTimeout(d);
      return this;
    }

    /** Starts the client: enrols the credential, follows the registry, and waits until ready. */
    public BuyerClient build() throws IOException, BuyerException {
      return build(RingCredentialService.open(credentialFile, options.ringSize()));
    }

    BuyerClient build(CredentialService credential) throws BuyerException {
      return new BuyerClient(BuyerRuntime.start(config.build(), credential));
    }
  }
}
