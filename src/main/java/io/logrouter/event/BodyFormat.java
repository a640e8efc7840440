package io.logrouter.event;

/** How a request body holds its events. */
public enum BodyFormat {
  /** One JSON object or one JSON array of objects. */
  JSON,
  /** Newline-delimited JSON: one object per line. */
  NDJSON
}
