package io.logrouter.sink;

import io.logrouter.event.Timestamps;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The events of one flush counted per UTC minute, level and source, added to {@code log_minute_counts}
 * and {@code log_source_minute_counts} (V4) in the flush's own transaction, so the counts are exactly
 * the committed rows. Only rows really stored are added: the caller adds a row once the statement that
 * carried it succeeded.
 *
 * <p>The LOAD DATA path adds straight from the queue record's UTF-8 bytes, one hash look-up per row:
 * a flush holds few distinct (minute, level, source) keys, and only a new key allocates. Keys compare
 * by bytes here; the database merges keys its collation finds equal (case, trailing spaces) on upsert,
 * as its own GROUP BY over {@code logs} would.
 *
 * <p>Single use, one flush attempt; the flusher thread only.
 */
final class MinuteCounts {
  private static final long MICROS_PER_MINUTE = 60_000_000L;
  /** Keys per multi-row upsert: well inside max_allowed_packet, few round trips. */
  private static final int CHUNK = 500;
  /** {@code yyyy-MM-dd HH:mm:ss}: the minute's text without the fraction. */
  private static final int MINUTE_TEXT_LENGTH = 19;
  private static final byte[] NO_BYTES = new byte[0];
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  /** An odd 64-bit constant (2^64 / golden ratio): multiplying by it spreads every input bit upward. */
  private static final long MIX = 0x9E3779B97F4A7C15L;
  private static final String SOURCE_UPSERT = "INSERT INTO log_source_minute_counts (source, minute, level, router_id,"
      + " lane, events) VALUES %s ON DUPLICATE KEY UPDATE events = events + VALUES(events)";
  private static final String MINUTE_UPSERT = "INSERT INTO log_minute_counts (minute, level, router_id, lane, events)"
      + " VALUES %s ON DUPLICATE KEY UPDATE events = events + VALUES(events)";

  /** Open addressing; a power of two in size, at most half full. */
  private int[] slots = new int[64];
  private int size;
  private long[] minutes = new long[32];
  /** Level bytes, then source bytes; {@code sourceLengths} says where the source starts. */
  private byte[][] keys = new byte[32][];
  private int[] sourceLengths = new int[32];
  private long[] counts = new long[32];
  private long total;

  /**
   * Adds one stored row. Level and source are UTF-8 ranges ({@code sourceLength} -1 for no source,
   * counted under '' as V4 documents).
   */
  void add(long tsMicros, byte[] level, int levelOffset, int levelLength, byte[] source, int sourceOffset,
      int sourceLength) {
    add(Math.floorDiv(tsMicros, MICROS_PER_MINUTE), level, levelOffset, levelLength, source, sourceOffset,
        Math.max(0, sourceLength), 1);
  }

  /** Adds one stored row given as text (the INSERT path, which has the events decoded already). */
  void add(long tsMicros, String level, String source) {
    byte[] levelBytes = level.getBytes(StandardCharsets.UTF_8);
    byte[] sourceBytes = source == null ? NO_BYTES : source.getBytes(StandardCharsets.UTF_8);
    add(tsMicros, levelBytes, 0, levelBytes.length, sourceBytes, 0, sourceBytes.length);
  }

  /** Rows added. */
  long total() {
    return total;
  }

  /** Adds the counts to both tables under this writer's key. Nothing to do for an empty flush. */
  void write(Connection c, String routerId, short lane) throws SQLException {
    upsert(c, SOURCE_UPSERT, true, routerId, lane);
    MinuteCounts perMinute = new MinuteCounts();
    for (int i = 0; i < size; i++) {
      perMinute.add(minutes[i], keys[i], 0, levelLength(i), NO_BYTES, 0, 0, counts[i]);
    }
    perMinute.upsert(c, MINUTE_UPSERT, false, routerId, lane);
  }

  private void add(long minute, byte[] level, int levelOffset, int levelLength, byte[] source, int sourceOffset,
      int sourceLength, long events) {
    int hash = hash(minute, level, levelOffset, levelLength, source, sourceOffset, sourceLength);
    int mask = slots.length - 1;
    for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
      int entry = slots[slot] - 1;
      if (entry < 0) {
        insert(slot, minute, level, levelOffset, levelLength, source, sourceOffset, sourceLength, events);
        break;
      }
      if (minutes[entry] == minute
          && sameKey(entry, level, levelOffset, levelLength, source, sourceOffset, sourceLength)) {
        counts[entry] += events;
        break;
      }
    }
    total += events;
  }

  /** One multi-row upsert per {@link #CHUNK} keys: [source,] minute, level, router_id, lane, events. */
  private void upsert(Connection c, String sql, boolean withSource, String routerId, short lane) throws SQLException {
    int columns = withSource ? 6 : 5;
    for (int from = 0; from < size; from += CHUNK) {
      int to = Math.min(size, from + CHUNK);
      try (PreparedStatement ps = c.prepareStatement(String.format(sql, rows(columns, to - from)))) {
        int p = 1;
        for (int i = from; i < to; i++) {
          if (withSource) {
            ps.setString(p++, new String(keys[i], levelLength(i), sourceLengths[i], StandardCharsets.UTF_8));
          }
          ps.setString(p++, Timestamps.toSqlText(minutes[i] * MICROS_PER_MINUTE).substring(0, MINUTE_TEXT_LENGTH));
          ps.setString(p++, new String(keys[i], 0, levelLength(i), StandardCharsets.UTF_8));
          ps.setString(p++, routerId);
          ps.setShort(p++, lane);
          ps.setLong(p++, counts[i]);
        }
        ps.executeUpdate();
      }
    }
  }

  private static String rows(int columns, int rows) {
    String row = "(" + "?, ".repeat(columns - 1) + "?)";
    return (row + ", ").repeat(rows - 1) + row;
  }

  private int levelLength(int entry) {
    return keys[entry].length - sourceLengths[entry];
  }

  private boolean sameKey(int entry, byte[] level, int levelOffset, int levelLength, byte[] source, int sourceOffset,
      int sourceLength) {
    byte[] key = keys[entry];
    return sourceLengths[entry] == sourceLength && key.length == levelLength + sourceLength
        && sameBytes(key, 0, level, levelOffset, levelLength)
        && sameBytes(key, levelLength, source, sourceOffset, sourceLength);
  }

  private void insert(int slot, long minute, byte[] level, int levelOffset, int levelLength, byte[] source,
      int sourceOffset, int sourceLength, long events) {
    if (size == minutes.length) {
      minutes = Arrays.copyOf(minutes, size * 2);
      keys = Arrays.copyOf(keys, size * 2);
      sourceLengths = Arrays.copyOf(sourceLengths, size * 2);
      counts = Arrays.copyOf(counts, size * 2);
    }
    byte[] key = new byte[levelLength + sourceLength];
    System.arraycopy(level, levelOffset, key, 0, levelLength);
    System.arraycopy(source, sourceOffset, key, levelLength, sourceLength);
    minutes[size] = minute;
    keys[size] = key;
    sourceLengths[size] = sourceLength;
    counts[size] = events;
    slots[slot] = ++size;
    if (size * 2 > slots.length) {
      rehash();
    }
  }

  private void rehash() {
    slots = new int[slots.length * 2];
    int mask = slots.length - 1;
    for (int entry = 0; entry < size; entry++) {
      byte[] key = keys[entry];
      int slot = hash(minutes[entry], key, 0, levelLength(entry), key, levelLength(entry), sourceLengths[entry]) & mask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = entry + 1;
    }
  }

  /** A multiply-xor mix over 8-byte words: a byte loop was a tenth of the flush threads' time. */
  private static int hash(long minute, byte[] level, int levelOffset, int levelLength, byte[] source, int sourceOffset,
      int sourceLength) {
    long h = mix(minute * MIX + levelLength, level, levelOffset, levelLength);
    h = mix(h + sourceLength, source, sourceOffset, sourceLength); // "AB"+"C" and "A"+"BC" hash apart
    return (int) (h ^ (h >>> 32));
  }

  private static long mix(long h, byte[] bytes, int offset, int length) {
    int words = length & ~7;
    for (int i = 0; i < words; i += 8) {
      h = (h ^ (long) LONG.get(bytes, offset + i)) * MIX;
    }
    h = (h ^ tail(bytes, offset + words, length - words)) * MIX;
    return h ^ (h >>> 29);
  }

  /** The last {@code length} (0-7) bytes as a number. */
  private static long tail(byte[] bytes, int offset, int length) {
    if (length >= 4) { // two ints, overlapping when under 8 bytes
      return (long) (int) INT.get(bytes, offset) << 32 ^ ((int) INT.get(bytes, offset + length - 4) & 0xffffffffL);
    }
    long tail = 0;
    for (int i = 0; i < length; i++) {
      tail = tail << 8 | (bytes[offset + i] & 0xff);
    }
    return tail;
  }

  /**
   * {@code a[aOffset..+length) == b[bOffset..+length)} in words, the last one overlapping the one before
   * (keys are short, and Arrays.equals' set-up dominated).
   */
  static boolean sameBytes(byte[] a, int aOffset, byte[] b, int bOffset, int length) {
    if (length >= 8) {
      int last = length - 8;
      for (int i = 0; i < last; i += 8) {
        if ((long) LONG.get(a, aOffset + i) != (long) LONG.get(b, bOffset + i)) {
          return false;
        }
      }
      return (long) LONG.get(a, aOffset + last) == (long) LONG.get(b, bOffset + last);
    }
    if (length >= 4) {
      return (int) INT.get(a, aOffset) == (int) INT.get(b, bOffset)
          && (int) INT.get(a, aOffset + length - 4) == (int) INT.get(b, bOffset + length - 4);
    }
    for (int i = 0; i < length; i++) {
      if (a[aOffset + i] != b[bOffset + i]) {
        return false;
      }
    }
    return true;
  }
}
