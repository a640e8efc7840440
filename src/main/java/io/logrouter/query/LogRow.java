package io.logrouter.query;

import java.time.LocalDateTime;

/** One row of {@code logs} as read; {@code attributesJson} is the JSON text or null. */
record LogRow(long id, LocalDateTime ts, String level, String source, String message, String attributesJson) {
  Cursor cursor() {
    return new Cursor(ts, id);
  }
}
