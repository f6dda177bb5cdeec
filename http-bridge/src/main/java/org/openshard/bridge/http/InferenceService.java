package org.openshard.bridge.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.openshard.bridge.backend.ChatBackend;
import org.openshard.bridge.backend.RequestContext;
import org.openshard.bridge.e2ee.E2eeException;
import org.openshard.bridge.e2ee.E2eeMode;
import org.openshard.bridge.e2ee.E2eeNegotiator;
import org.openshard.bridge.e2ee.E2eeSession;
import org.openshard.bridge.e2ee.Endpoint;
import org.openshard.bridge.receipts.ReceiptDraft;
import org.openshard.bridge.replay.ReplayStoreUnavailableException;
import org.reactivestreams.Publisher;

/**
 * {@code POST /v1/chat/completions} and {@code POST /v1/completions}: content-type check, E2EE
 * header validation, body parsing, decryption (off the event loop), forwarding to the backend, and
 * the response as JSON or SSE with its fields sealed for E2EE clients.
 */
final class InferenceService implements HttpService {
  static final String PEER_HEADER = "x-openshard-peer";

  private final Endpoint endpoint;
  private final ChatBackend backend;
  private final E2eeNegotiator negotiator;
  private final long maxRequestBytes;

  InferenceService(Endpoint endpoint, ChatBackend backend, E2eeNegotiator negotiator, long maxRequestBytes) {
    this.endpoint = endpoint;
    this.backend = backend;
    this.negotiator = negotiator;
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    ReceiptDraft draft = ctx.attr(ReceiptDecorator.DRAFT);
    MediaType ct = req.contentType();
    if (ct == null || !ct.is(MediaType.JSON)) {
      req.abort();
      return ApiError.unsupportedMediaType().response();
    }
    RequestHeaders headers = req.headers();
    E2eeSession session;
    try {
      session = negotiator.negotiate(name -> headers.get(name), endpoint);
    } catch (E2eeException e) {
      req.abort();
      return ApiError.e2ee(e).response();
    }
    if (draft != null) {
      draft.e2eeMode(session.mode().name().toLowerCase(Locale.ROOT));
    }
    Executor executor = session.mode() == E2eeMode.PLAIN ? ctx.eventLoop() : ctx.blockingTaskExecutor();
    CompletableFuture<HttpResponse> f =
        req.aggregate()
            .handleAsync(
                (agg, err) -> {
                  if (err != null) {
                    return BackendErrors.unwrap(err) instanceof ContentTooLargeException
                        ? ApiError.tooLarge(maxRequestBytes).response()
                        : ApiError.invalidRequest("could not read the request body", null, null).response();
                  }
                  return handle(ctx, agg, session, draft);
                },
                executor);
    return HttpResponse.of(f);
  }

  private HttpResponse handle(ServiceRequestContext ctx, AggregatedHttpRequest agg, E2eeSession session, ReceiptDraft draft) {
    byte[] body = agg.content().array();
    if (body.length == 0) {
      return ApiError.invalidRequest("request body is empty; send a JSON object", null, null).response();
    }
    JsonNode parsed;
    try {
      parsed = BridgeJson.MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      return ApiError.invalidRequest("request body is not valid JSON", null, "invalid_json").response();
    }
    if (parsed == null || !parsed.isObject()) {
      return ApiError.invalidRequest("request body must be a JSON object", null, null).response();
    }
    ObjectNode request = (ObjectNode) parsed;
    if (session.mode() != E2eeMode.ACI_V2 && !request.path("model").isTextual()) {
      return missingModel();
    }
    ObjectNode restored;
    try {
      restored = session.openRequest(request);
    } catch (E2eeException e) {
      return ApiError.e2ee(e).response();
    } catch (ReplayStoreUnavailableException e) {
      return ApiError.replayUnavailable().response();
    }
    if (!restored.path("model").isTextual()) {
      return missingModel();
    }
    if (draft != null) {
      draft.model(restored.get("model").textValue());
      draft.requestReceived(BridgeJson.bytes(restored));
    }
    RequestContext rc =
        new RequestContext(
            draft == null ? "" : draft.receiptId(),
            agg.headers().get(PEER_HEADER),
            session.mode() != E2eeMode.PLAIN,
            draft == null ? null : receiptListener(draft));
    RequestMeta meta = ctx.attr(RequestMeta.KEY);
    if (meta != null) {
      meta.model(restored.get("model").textValue());
      meta.context(rc);
    }
    JsonNode stream = restored.get("stream");
    boolean streaming = stream != null && stream.isBoolean() && stream.booleanValue();
    if (!streaming) {
      CompletableFuture<ObjectNode> call =
          endpoint == Endpoint.COMPLETIONS ? backend.completion(restored, rc) : backend.chatCompletion(restored, rc);
      cancelWhenResponseEnds(ctx, call);
      return HttpResponse.of(
          call.handle(
              (resp, err) -> {
                if (err != null) {
                  return BackendErrors.toApiError(err).response();
                }
                if (meta != null) {
                  meta.usageFrom(resp);
                }
                if (draft != null && resp.path("id").isTextual()) {
                  draft.chatIdIfAbsent(resp.get("id").textValue());
                }
                ObjectNode sealed = session.sealResponse(resp);
                ResponseHeadersBuilder h =
                    withE2ee(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.JSON_UTF_8), session);
                rc.summary().ifPresent(sum -> ServingHeaders.of(sum).forEach(h::add));
                return HttpResponse.of(h.build(), HttpData.wrap(BridgeJson.bytes(sealed)));
              }));
    }
    boolean includeUsage = restored.path("stream_options").path("include_usage").isBoolean()
        && restored.path("stream_options").path("include_usage").booleanValue();
    CompletableFuture<Publisher<ObjectNode>> call =
        endpoint == Endpoint.COMPLETIONS ? backend.streamCompletion(restored, rc) : backend.streamChatCompletion(restored, rc);
    cancelWhenResponseEnds(ctx, call);
    return HttpResponse.of(
        call.handle(
            (pub, err) -> {
              if (err != null) {
                return BackendErrors.toApiError(err).response();
              }
              return sse(pub, session, draft, includeUsage, rc, meta);
            }));
  }

  /** Hashes forwarded bytes into the receipt, and retargets the event at whoever finally served. */
  private static RequestContext.ForwardListener receiptListener(ReceiptDraft draft) {
    return new RequestContext.ForwardListener() {
      @Override
      public void forwarded(byte[] exactBytes, String target) {
        draft.requestForwarded(exactBytes, target);
      }

      @Override
      public void servedBy(String target) {
        draft.forwardedTarget(target);
      }
    };
  }

  /**
   * When the response ends for any reason (the client went away included) and the backend call is
   * still pending, cancel it; a stream handed over but not drained is aborted. Both are no-ops after
   * a normal end.
   */
  private static void cancelWhenResponseEnds(ServiceRequestContext ctx, CompletableFuture<?> call) {
    ctx.log()
        .whenComplete()
        .thenRun(
            () -> {
              if (!call.cancel(false)) {
                call.thenAccept(
                    v -> {
                      if (v instanceof StreamMessage) {
                        ((StreamMessage<?>) v).abort();
                      }
                    });
              }
            });
  }

  private static HttpResponse sse(
      Publisher<ObjectNode> pub,
      E2eeSession session,
      ReceiptDraft draft,
      boolean includeUsage,
      RequestContext rc,
      RequestMeta meta) {
    StreamMessage<ObjectNode> chunks = StreamMessage.of(pub);
    if (meta != null) {
      chunks = chunks.peek(meta::usageFrom);
    }
    if (!includeUsage) {
      chunks = chunks.filter(c -> !isUsageOnly(c));
    }
    StreamMessage<HttpData> events =
        chunks
            .map(
                c -> {
                  if (draft != null && c.path("id").isTextual()) {
                    draft.chatIdIfAbsent(c.get("id").textValue());
                  }
                  return SseFraming.event(session.sealChunk(c));
                })
            .recoverAndResume(err -> StreamMessage.of(SseFraming.event(BackendErrors.toApiError(err).json())));
    StreamMessage<HttpData> body = StreamMessage.concat(events, StreamMessage.of(SseFraming.done()));
    ResponseHeaders h =
        withE2ee(
                ResponseHeaders.builder(HttpStatus.OK)
                    .contentType(MediaType.EVENT_STREAM)
                    .add(HttpHeaderNames.CACHE_CONTROL, "no-cache"),
                session)
            .build();
    // Who served and what it cost is known only at the end of the stream: send it as trailers.
    return HttpResponse.of(
        h, body, cause -> rc.summary().map(ServingHeaders::trailers).orElse(HttpHeaders.of()));
  }

  /** A chunk with no choices and a usage object (the include_usage chunk). */
  private static boolean isUsageOnly(ObjectNode c) {
    JsonNode choices = c.get("choices");
    JsonNode usage = c.get("usage");
    return choices != null && choices.isArray() && choices.size() == 0 && usage != null && usage.isObject();
  }

  private static ResponseHeadersBuilder withE2ee(ResponseHeadersBuilder b, E2eeSession session) {
    for (Map.Entry<String, String> e : session.responseHeaders().entrySet()) {
      b.add(e.getKey(), e.getValue());
    }
    return b;
  }

  private static HttpResponse missingModel() {
    return ApiError.invalidRequest("you must provide a model parameter (a string)", "model", "missing_required_parameter")
        .response();
  }
}
