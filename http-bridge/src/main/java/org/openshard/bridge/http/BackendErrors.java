package org.openshard.bridge.http;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.openshard.bridge.backend.BackendException;

/** Maps what a backend failed with to the client's error. */
final class BackendErrors {
  private BackendErrors() {}

  static ApiError toApiError(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof BackendException) {
      BackendException b = (BackendException) c;
      int status = b.status() >= 400 && b.status() <= 599 ? b.status() : 502;
      return new ApiError(status, b.type(), b.getMessage(), b.param(), b.code());
    }
    return new ApiError(502, "upstream_error", "the backend failed (" + c.getClass().getSimpleName() + ")", null, null);
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
