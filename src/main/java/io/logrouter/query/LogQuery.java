package io.logrouter.query;

import java.time.LocalDateTime;

/**
 * One page request against {@code logs}. Null fields do not filter. Times are UTC; {@code from}
 * and {@code to} are inclusive; {@code after} is the cursor of the previous page.
 */
record LogQuery(LocalDateTime from, LocalDateTime to, String level, String source, String contains,
                SqlFragment filter, int limit, Cursor after) {
  /** Without a limit a client would get millions of rows in one answer. */
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1_000;

  static LogQuery all(int limit) {
    return new LogQuery(null, null, null, null, null, null, limit, null);
  }
}
