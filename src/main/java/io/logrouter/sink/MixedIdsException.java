package io.logrouter.sink;

/**
 * This router lets the server make {@code logs.id} while other routers write writer-made ids into the
 * same database ({@code db.ids}): its ids would collide with theirs. Permanent until the router restarts
 * with another {@code db.ids}; the flusher refuses to start and /ready says why.
 */
public final class MixedIdsException extends RuntimeException {
  MixedIdsException(String message) {
    super(message);
  }
}
