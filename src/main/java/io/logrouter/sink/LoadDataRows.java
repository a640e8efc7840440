package io.logrouter.sink;

import io.logrouter.buffer.Batch;
import io.logrouter.event.RecordCursor;
import io.logrouter.event.Timestamps;
import io.logrouter.threads.CoreYield;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The LOAD DATA content of a batch, encoded on demand straight from the queue documents' bytes into
 * the driver's packet buffer: tab-separated {@code ts, level, source, message, attributes,
 * received_at, router_id} and, with writer-made ids, {@code id}: one row per admitted event. No
 * String, no temp file: the text is the UTF-8 the record already holds, escaped byte by byte.
 *
 * <p>Escaping: backslash, tab, newline, carriage return and NUL — what LOAD DATA would read as
 * structure — become {@code \\ \t \n \r \0}; null is {@code \N}. These bytes never occur inside a
 * multi-byte UTF-8 sequence, so escaping bytes is exact.
 *
 * <p>Single use; read by the thread running the LOAD DATA statement.
 */
final class LoadDataRows extends InputStream {
  /** Escape letter of each byte value, 0 for bytes written as they are. */
  private static final byte[] ESCAPE = new byte[256];
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  /** Two timestamps, seven tabs, a newline, \N for each of the four nullable fields, an id's 19 digits. */
  private static final int ROW_OVERHEAD = 2 * Timestamps.SQL_TEXT_LENGTH + 8 + 8 + 19;

  static {
    ESCAPE['\\'] = '\\';
    ESCAPE['\t'] = 't';
    ESCAPE['\n'] = 'n';
    ESCAPE['\r'] = 'r';
    ESCAPE[0] = '0';
  }

  private final List<Batch.Document> documents;
  private final Admission admission;
  private final byte[] routerId;
  private final MinuteCounts counts;
  private final RecordCursor cursor = new RecordCursor();
  private final Timestamps.SqlTextWriter tsText = new Timestamps.SqlTextWriter();
  private final Timestamps.SqlTextWriter receivedText = new Timestamps.SqlTextWriter();
  private int document = -1;
  private int ordinal;
  /** The cursor is on an admitted event not yet written. */
  private boolean rowReady;
  /** A row too large for the caller's buffer, written here and handed out in parts. */
  private byte[] spill = new byte[0];
  private int spillAt;
  private int spillEnd;
  private long rows;
  private RowIds ids = RowIds.SERVER;
  private long firstId;
  /** Encoding rows is the flush's longest stretch on a core: it gives the core up every 0.25 ms of it. */
  private CoreYield coreYield = CoreYield.onThisThread();
  /** When the driver last took bytes (it reads as the socket takes them): the flush-watch thread looks. */
  private volatile long lastTakenNanos = System.nanoTime();
  private volatile boolean ended;

  /** @param counts where each row handed out is counted (kept only if the whole load is) */
  LoadDataRows(Batch batch, Admission admission, byte[] routerId, MinuteCounts counts) {
    this.documents = batch.documentBytes();
    this.admission = admission;
    this.routerId = routerId;
    this.counts = counts;
  }

  /** Ends each row with its writer-made id: the k-th row's is {@code ids.id(firstId + k)}. */
  LoadDataRows withIds(RowIds ids, long firstId) {
    this.ids = ids;
    this.firstId = firstId;
    return this;
  }

  /** Yields the core through {@code coreYield} while encoding rows (tests count the yields). */
  LoadDataRows withCoreYield(CoreYield coreYield) {
    this.coreYield = coreYield;
    return this;
  }

  /** Rows handed out so far. */
  long rows() {
    return rows;
  }

  /**
   * How long the driver has not taken bytes while rows are left: a server (or network) that stopped
   * reading them, since the driver writes each packet before it reads the next from here. 0 once all
   * rows are out: the wait for the answer is a read, which socketTimeout bounds.
   */
  long nanosWithoutProgress(long nowNanos) {
    return ended ? 0 : Math.max(0, nowNanos - lastTakenNanos);
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    lastTakenNanos = System.nanoTime();
    if (spillAt < spillEnd) {
      return fromSpill(b, off, len);
    }
    int at = off;
    int end = off + len;
    coreYield.restart(); // between two reads the driver wrote to the socket, and may have waited on it
    while (rowReady || advance()) {
      coreYield.tick();
      int bound = rowBound();
      if (bound <= end - at) {
        at = writeRow(b, at);
      } else if (at == off) {
        if (spill.length < bound) {
          spill = new byte[bound];
        }
        spillEnd = writeRow(spill, 0);
        spillAt = 0;
        return fromSpill(b, off, len);
      } else {
        break; // the next packet takes it
      }
    }
    if (at == off) {
      ended = true;
      return -1;
    }
    return at - off;
  }

  private int fromSpill(byte[] b, int off, int len) {
    int n = Math.min(len, spillEnd - spillAt);
    System.arraycopy(spill, spillAt, b, off, n);
    spillAt += n;
    return n;
  }

  /** Moves the cursor to the next admitted event. @return false after the last */
  private boolean advance() {
    while (true) {
      if (document >= 0 && cursor.next()) {
        int position = ordinal++;
        if (admission.admits(documents.get(document).index(), position)) {
          rowReady = true;
          return true;
        }
        continue;
      }
      if (++document >= documents.size()) {
        return false;
      }
      Batch.Document d = documents.get(document);
      cursor.open(d.bytes(), d.offset(), d.length());
      ordinal = 0;
    }
  }

  /** The most bytes the current event's row can take: every byte escaped. */
  private int rowBound() {
    return ROW_OVERHEAD + routerId.length + 2 * (Math.max(0, cursor.length(RecordCursor.LEVEL))
        + Math.max(0, cursor.length(RecordCursor.SOURCE)) + Math.max(0, cursor.length(RecordCursor.MESSAGE))
        + Math.max(0, cursor.length(RecordCursor.ATTRIBUTES)));
  }

  private int writeRow(byte[] out, int at) {
    byte[] record = cursor.bytes();
    // A NULL level is refused by the server, and then the load and these counts are dropped.
    counts.add(cursor.tsMicros(), record, cursor.offset(RecordCursor.LEVEL),
        Math.max(0, cursor.length(RecordCursor.LEVEL)), record, cursor.offset(RecordCursor.SOURCE),
        cursor.length(RecordCursor.SOURCE));
    at = tsText.write(cursor.tsMicros(), out, at);
    out[at++] = '\t';
    at = writeField(out, at, RecordCursor.LEVEL);
    at = writeField(out, at, RecordCursor.SOURCE);
    at = writeField(out, at, RecordCursor.MESSAGE);
    at = writeField(out, at, RecordCursor.ATTRIBUTES);
    at = receivedText.write(cursor.receivedMicros(), out, at);
    out[at++] = '\t';
    System.arraycopy(routerId, 0, out, at, routerId.length);
    at += routerId.length;
    if (ids.writerMade()) {
      out[at++] = '\t';
      at = writeDecimal(ids.id(firstId + rows), out, at);
    }
    out[at++] = '\n';
    rowReady = false;
    rows++;
    return at;
  }

  /** Writes a non-negative long in decimal, without a String. */
  private static int writeDecimal(long value, byte[] out, int at) {
    int digits = 1;
    for (long v = value; v >= 10; v /= 10) {
      digits++;
    }
    for (int i = at + digits - 1; i >= at; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return at + digits;
  }

  /**
   * Whether an 8-byte word may hold a byte to escape: one below 14 (NUL, tab, newline and carriage
   * return all are) or a backslash. Log text rarely holds one, so most words are copied whole.
   */
  private static boolean mayNeedEscape(long w) {
    long backslash = w ^ 0x5C5C5C5C5C5C5C5CL;
    return ((((w - 14 * ONES) & ~w) | ((backslash - ONES) & ~backslash)) & HIGHS) != 0;
  }

  /**
   * Writes one field and its tab, escaped, in one pass: whole words are copied as they are read, the
   * bytes of a word that may need escaping one at a time, and a tail shorter than a word as the last
   * word of the field (it overlaps bytes already copied, which are the same bytes in the same place).
   */
  private int writeField(byte[] out, int at, int field) {
    int length = cursor.length(field);
    if (length < 0) {
      out[at++] = '\\';
      out[at++] = 'N';
      out[at++] = '\t';
      return at;
    }
    byte[] src = cursor.bytes();
    int start = cursor.offset(field);
    int end = start + length;
    int i = start;
    while (i < end) {
      while (i + 8 <= end) {
        long w = (long) LONG.get(src, i);
        if (mayNeedEscape(w)) {
          break;
        }
        LONG.set(out, at, w);
        i += 8;
        at += 8;
      }
      if (i < end && i + 8 > end && length >= 8) {
        // Bytes [end - 8, i) were copied verbatim after any escape (else this word would hold it).
        long last = (long) LONG.get(src, end - 8);
        if (!mayNeedEscape(last)) {
          LONG.set(out, at - (i - (end - 8)), last);
          return tab(out, at + (end - i));
        }
      }
      for (int stop = Math.min(i + 8, end); i < stop; i++) {
        byte b = src[i];
        byte letter = ESCAPE[b & 0xff];
        if (letter == 0) {
          out[at++] = b;
        } else {
          out[at++] = '\\';
          out[at++] = letter;
        }
      }
    }
    return tab(out, at);
  }

  private static int tab(byte[] out, int at) {
    out[at++] = '\t';
    return at;
  }
}
