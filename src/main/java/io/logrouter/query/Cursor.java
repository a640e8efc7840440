package io.logrouter.query;

import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Where a page ended: the (ts, id) of its last row. The next page holds the rows strictly after it
 * in (ts DESC, id DESC) order, so pages neither repeat nor skip rows, and a page deep into the
 * result costs what the first one does (no OFFSET). Opaque to clients: base64url of a version byte,
 * ts as epoch microseconds and id, so the format can change behind the version byte.
 */
record Cursor(LocalDateTime ts, long id) {
  private static final byte VERSION = 1;
  private static final int BYTES = 1 + Long.BYTES + Long.BYTES;
  private static final LocalDateTime EPOCH = LocalDateTime.of(1970, 1, 1, 0, 0);
  private static final long MIN_MICROS = ChronoUnit.MICROS.between(EPOCH, Timestamps.MIN);
  private static final long MAX_MICROS = ChronoUnit.MICROS.between(EPOCH, Timestamps.MAX);

  String encode() {
    ByteBuffer buf = ByteBuffer.allocate(BYTES);
    buf.put(VERSION).putLong(ChronoUnit.MICROS.between(EPOCH, ts)).putLong(id);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
  }

  /** @throws IllegalArgumentException when {@code text} is not a cursor this version wrote */
  static Cursor decode(String text) {
    byte[] bytes = Base64.getUrlDecoder().decode(text);
    if (bytes.length != BYTES || bytes[0] != VERSION) {
      throw new IllegalArgumentException("not a cursor of this API");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes, 1, BYTES - 1);
    long micros = buf.getLong();
    long id = buf.getLong();
    // A forged ts outside DATETIME's range would reach SQL as a wrapped year (10000 → 0000).
    if (id < 0 || micros < MIN_MICROS || micros > MAX_MICROS) {
      throw new IllegalArgumentException("not a cursor of this API");
    }
    LocalDateTime ts = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        (int) Math.floorMod(micros, 1_000_000L) * 1_000, ZoneOffset.UTC);
    return new Cursor(ts, id);
  }
}
