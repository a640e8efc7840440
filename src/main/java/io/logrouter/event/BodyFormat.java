package io.logrouter.event;

/** How a request body holds its events. */
public enum BodyFormat {
  /** One JSON object or one JSON array of objects. */
  JSON,
  /** Newline-delimited JSON: one object per line. */
  NDJSON,
  /**
   * Told apart by the body, whatever the Content-Type says: an array of objects (Fluent Bit
   * {@code format json}, Vector's JSON array framing), or one or more objects one after another,
   * separated by newlines (NDJSON, Fluent Bit {@code json_lines}, Vector's newline-delimited framing)
   * or by nothing at all (Fluent Bit {@code json_stream}). Fluent Bit labels all three
   * {@code application/json} (plugins/out_http/http.c), so the header cannot tell them apart.
   */
  DETECT
}
