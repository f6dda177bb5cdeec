package org.openshard.buyer.gateway;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/** Reads the {@code x-openshard-peer} call metadata (the peer pin) into the call's context. */
public final class PeerPin implements ServerInterceptor {
  public static final String HEADER = "x-openshard-peer";
  public static final Metadata.Key<String> KEY = Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);
  static final Context.Key<String> CONTEXT = Context.key("openshard-peer-pin");

  /** The pin of the current call, or null. */
  public static String current() {
    return CONTEXT.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String pin = headers.get(KEY);
    if (pin == null || pin.isBlank()) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(Context.current().withValue(CONTEXT, pin.trim()), call, headers, next);
  }
}
