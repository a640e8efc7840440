package io.logrouter.receive;

import io.logrouter.event.EventWriter;
import io.logrouter.event.InvalidEventException;

/**
 * One protocol's way into the router: decode a request body into events (through the shared
 * {@link EventWriter}, so every protocol gets the same level mapping and database limits) and answer
 * in that protocol's own success and error shapes. The HTTP side does everything else alike for all
 * of them: backlog gate, body limits, Content-Encoding, Idempotency-Key, the durable append, fsync.
 * A new protocol is one new class and its test.
 *
 * <p>Receivers are shared by all IO threads: keep per-request state in locals or thread-locals.
 *
 * @param <S> what the answer needs to know of the decoded request (per-item results, rejected counts)
 */
public interface Receiver<S> {
  /** @return null when this receiver reads {@code request}'s media type, else the 415 message */
  String unsupportedType(ReceivedRequest request);

  /**
   * Writes the request's events. All-or-nothing for the request as a whole: throw to refuse it;
   * protocols with per-item results (Elasticsearch bulk, OTLP partial success) skip bad items and
   * report them in the returned state instead.
   */
  S decode(ReceivedRequest request, EventWriter events) throws InvalidEventException;

  /** The success answer, sent once the events are durable. */
  Reply accepted(ReceivedRequest request, S decoded, int events);

  /**
   * A refusal of the whole request: 400/413/415 for bad input, 429/503 when the router cannot take
   * it now (the caller adds Retry-After).
   *
   * @param eventIndex the offending event, or -1
   * @param field the offending field, or null
   */
  Reply refused(ReceivedRequest request, int status, String message, int eventIndex, String field);
}
