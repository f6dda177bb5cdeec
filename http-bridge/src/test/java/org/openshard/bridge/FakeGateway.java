package org.openshard.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openshard.echo.EchoText;
import org.openshard.proto.v1.Capability;
import org.openshard.proto.v1.ChatChunk;
import org.openshard.proto.v1.ChatCompletion;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.ChatCompletionRequest;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.GatewayGrpc;
import org.openshard.proto.v1.ListModelsRequest;
import org.openshard.proto.v1.ListModelsResponse;
import org.openshard.proto.v1.ModelInfo;
import org.openshard.proto.v1.Pricing;
import org.openshard.proto.v1.RequestSummary;
import org.openshard.proto.v1.Usage;
import org.openshard.runtime.Errors;
import org.openshard.runtime.GrpcServer;
import org.openshard.runtime.ListenAddress;

/**
 * A fake buyer Gateway for tests, on a real gRPC server on a loopback port. It answers like the echo
 * upstream (the last user message's text; streamed word by word; usage counts words) and ends every
 * successful call with a summary naming {@link #SELLER} (or the pinned peer). Knobs in the request
 * body's {@code "x_fake"} object:
 *
 * <ul>
 *   <li>{@code error_code}: fail before any event with that {@link ErrorCode} (and {@code field},
 *       {@code grpc_status}, default FAILED_PRECONDITION);
 *   <li>{@code bare_status}: fail with that gRPC status code name and no ErrorDetail;
 *   <li>{@code fail_after_chunks}: fail with UPSTREAM_ERROR after that many chunks;
 *   <li>{@code token_delay_ms}: pause between chunks;
 *   <li>{@code hang}: never answer (until cancelled).
 * </ul>
 *
 * Records every request, its {@code x-openshard-peer} metadata, and every call the client cancelled.
 */
final class FakeGateway extends GatewayGrpc.GatewayImplBase implements AutoCloseable {
  static final String SELLER = "0x00000000000000000000000000000000000000a1";
  static final String RECEIPT = "ab".repeat(16);
  static final String NULLIFIER = "cd".repeat(32);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Context.Key<String> PEER = Context.key("peer");
  private static final Metadata.Key<String> PEER_MD = Metadata.Key.of("x-openshard-peer", Metadata.ASCII_STRING_MARSHALLER);

  /** One call as the fake saw it. */
  record Seen(ChatCompletionRequest request, String metadataPeer) {}

  final List<Seen> seen = new CopyOnWriteArrayList<>();
  final AtomicInteger cancelled = new AtomicInteger();
  final AtomicInteger modelCalls = new AtomicInteger();
  volatile CountDownLatch started = new CountDownLatch(1);
  volatile CountDownLatch cancelledLatch = new CountDownLatch(1);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final GrpcServer server;

  FakeGateway() throws IOException {
    ServerInterceptor peerCapture =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String p = headers.get(PEER_MD);
            return Contexts.interceptCall(Context.current().withValue(PEER, p), call, headers, next);
          }
        };
    this.server = GrpcServer.builder(ListenAddress.loopback(0)).addService(this).intercept(peerCapture).start();
  }

  /** {@code 127.0.0.1:port}. */
  String target() {
    return server.target();
  }

  /** Resets the latches for the next test. */
  void reset() {
    started = new CountDownLatch(1);
    cancelledLatch = new CountDownLatch(1);
  }

  Seen last() {
    return seen.get(seen.size() - 1);
  }

  @Override
  public void chatCompletion(ChatCompletionRequest req, StreamObserver<ChatCompletionEvent> out) {
    seen.add(new Seen(req, PEER.get()));
    ServerCallStreamObserver<ChatCompletionEvent> obs = (ServerCallStreamObserver<ChatCompletionEvent>) out;
    obs.setOnCancelHandler(
        () -> {
          cancelled.incrementAndGet();
          cancelledLatch.countDown();
        });
    started.countDown();
    JsonNode body;
    try {
      body = JSON.readTree(req.getOpenaiRequestJson());
    } catch (IOException e) {
      out.onError(Errors.status(Status.Code.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT, "not JSON", "openai_request_json"));
      return;
    }
    JsonNode knobs = body.path("x_fake");
    if (knobs.has("error_code")) {
      Status.Code grpc = Status.Code.valueOf(knobs.path("grpc_status").asText("FAILED_PRECONDITION"));
      out.onError(
          Errors.status(
              grpc, ErrorCode.valueOf(knobs.get("error_code").asText()), "fake failure " + knobs.get("error_code").asText(),
              knobs.path("field").asText("")));
      return;
    }
    if (knobs.has("bare_status")) {
      out.onError(Status.fromCode(Status.Code.valueOf(knobs.get("bare_status").asText())).withDescription("bare").asRuntimeException());
      return;
    }
    if (knobs.path("hang").asBoolean(false)) {
      return;
    }
    String model = body.path("model").asText();
    String answer = EchoText.lastUserText(body.path("messages"));
    int promptTokens = EchoText.promptTokens(body.path("messages"));
    int completionTokens = EchoText.countTokens(answer);
    String pin = req.getRouting().getPeerId().isEmpty() ? SELLER : req.getRouting().getPeerId();
    RequestSummary summary =
        RequestSummary.newBuilder()
            .setSellerId(pin)
            .setOfferingId("fake-offering")
            .setUsage(Usage.newBuilder().setPromptTokens(promptTokens).setCompletionTokens(completionTokens))
            .setAmountCharged(1000L + completionTokens)
            .setReceiptId(RECEIPT)
            .setNullifierHash(NULLIFIER)
            .setAttempts(1)
            .build();
    ObjectNode usage = JSON.createObjectNode();
    usage.put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
    if (!body.path("stream").asBoolean(false)) {
      ObjectNode resp = JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion")
          .put("created", 1700000000).put("model", model);
      resp.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
          .putObject("message").put("role", "assistant").put("content", answer);
      resp.set("usage", usage);
      out.onNext(ChatCompletionEvent.newBuilder()
          .setCompletion(ChatCompletion.newBuilder().setOpenaiResponseJson(resp.toString()).setContent(answer)).build());
      out.onNext(ChatCompletionEvent.newBuilder().setSummary(summary).build());
      out.onCompleted();
      return;
    }
    List<ObjectNode> chunks = new java.util.ArrayList<>();
    chunks.add(chunk(model, JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
    for (String piece : EchoText.pieces(answer)) {
      chunks.add(chunk(model, JSON.createObjectNode().put("content", piece), null));
    }
    chunks.add(chunk(model, JSON.createObjectNode(), "stop"));
    if (body.path("stream_options").path("include_usage").asBoolean(false)) {
      ObjectNode u = JSON.createObjectNode().put("id", "chatcmpl-fake-s").put("object", "chat.completion.chunk")
          .put("created", 1700000000).put("model", model);
      u.putArray("choices");
      u.set("usage", usage);
      chunks.add(u);
    }
    int failAfter = knobs.path("fail_after_chunks").asInt(-1);
    long delay = knobs.path("token_delay_ms").asLong(0);
    emit(obs, chunks, 0, failAfter, delay, summary);
  }

  private void emit(
      ServerCallStreamObserver<ChatCompletionEvent> obs, List<ObjectNode> chunks, int i, int failAfter, long delay,
      RequestSummary summary) {
    if (obs.isCancelled()) {
      return;
    }
    if (i == failAfter) {
      obs.onError(Errors.status(Status.Code.UNAVAILABLE, ErrorCode.UPSTREAM_ERROR, "seller upstream failed", null));
      return;
    }
    if (i == chunks.size()) {
      obs.onNext(ChatCompletionEvent.newBuilder().setSummary(summary).build());
      obs.onCompleted();
      return;
    }
    ObjectNode c = chunks.get(i);
    obs.onNext(ChatCompletionEvent.newBuilder()
        .setChunk(ChatChunk.newBuilder().setOpenaiChunkJson(c.toString())
            .setContentDelta(c.path("choices").path(0).path("delta").path("content").asText("")))
        .build());
    if (delay > 0) {
      timer.schedule(() -> emit(obs, chunks, i + 1, failAfter, delay, summary), delay, TimeUnit.MILLISECONDS);
    } else {
      emit(obs, chunks, i + 1, failAfter, delay, summary);
    }
  }

  private static ObjectNode chunk(String model, ObjectNode delta, String finish) {
    ObjectNode c = JSON.createObjectNode().put("id", "chatcmpl-fake-s").put("object", "chat.completion.chunk")
        .put("created", 1700000000).put("model", model);
    ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    if (finish == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finish);
    }
    return c;
  }

  @Override
  public void listModels(ListModelsRequest req, StreamObserver<ListModelsResponse> out) {
    modelCalls.incrementAndGet();
    out.onNext(ListModelsResponse.newBuilder()
        .addModels(ModelInfo.newBuilder().setId("echo").setCapability(Capability.CAPABILITY_INFERENCE).setSellerCount(3)
            .setLowestPrice(Pricing.newBuilder().setInputPerMillion(150).setOutputPerMillion(600)))
        .addModels(ModelInfo.newBuilder().setId("agent-x").setCapability(Capability.CAPABILITY_AGENT).setSellerCount(1))
        .build());
    out.onCompleted();
  }

  /** Body knobs as a JSON member to append: {@code ,"x_fake":{...}}. */
  static String knobs(Map<String, Object> k) {
    return ",\"x_fake\":" + JSON.valueToTree(k).toString();
  }

  @Override
  public void close() {
    server.close();
    timer.shutdownNow();
  }
}
