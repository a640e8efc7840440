package io.logrouter.syslog;

/**
 * Cuts one TCP connection's byte stream into syslog frames (RFC 6587): octet-counting
 * ({@code 123 <PRI>...}) or non-transparent framing (one message a line, LF-terminated). The framing
 * is chosen by the connection's first byte — a digit means octet-counting, as rsyslog and syslog-ng
 * decide it — and kept for the connection.
 *
 * <p>A frame longer than {@code maxFrame} is cut there and reported truncated; the rest of it is skipped.
 * An octet-counted frame whose length header is malformed is taken up to the next LF, so the stream can
 * get back in step. Not thread-safe: one per connection, used by the listener thread only.
 */
final class FrameSplitter {
  /** Receives each frame; the bytes are only valid during the call. */
  interface Sink {
    void frame(byte[] buf, int off, int len, boolean truncated);
  }

  private enum Framing { UNKNOWN, OCTET_COUNTING, LINES }

  /** A length header longer than this many digits is malformed (RFC 6587 lengths fit in 9). */
  private static final int MAX_LENGTH_DIGITS = 9;

  private final int maxFrame;
  private Framing framing = Framing.UNKNOWN;
  /** Bytes still to discard of an oversized octet-counted frame. */
  private long skipBytes;
  /** Discarding the rest of an oversized line. */
  private boolean skipToLineEnd;

  FrameSplitter(int maxFrame) {
    this.maxFrame = maxFrame;
  }

  /** The buffer a connection needs: a whole frame of maxFrame bytes plus its length header. */
  static int bufferSizeFor(int maxFrame) {
    return maxFrame + MAX_LENGTH_DIGITS + 2;
  }

  /**
   * Hands every complete frame in {@code buf[0, limit)} to {@code sink}.
   *
   * @param endOfStream the peer closed: what is left is the last frame
   * @return how many bytes were consumed (the caller keeps the rest for the next read)
   */
  int split(byte[] buf, int limit, boolean endOfStream, Sink sink) {
    int p = 0;
    while (p < limit) {
      if (skipBytes > 0) {
        int n = (int) Math.min(skipBytes, limit - p);
        p += n;
        skipBytes -= n;
        continue;
      }
      if (skipToLineEnd) {
        int lf = indexOfLf(buf, p, limit);
        p = lf < 0 ? limit : lf + 1;
        skipToLineEnd = lf < 0;
        continue;
      }
      if (framing == Framing.UNKNOWN) {
        framing = isDigit(buf[p]) ? Framing.OCTET_COUNTING : Framing.LINES;
      }
      int next = framing == Framing.OCTET_COUNTING ? octetFrame(buf, p, limit, endOfStream, sink)
          : line(buf, p, limit, endOfStream, sink);
      if (next < 0) {
        break;
      }
      p = next;
    }
    return p;
  }

  /**
   * {@link #split} on a buffer in fill mode (bytes {@code [0, position)}): the bytes not consumed are
   * moved to its start, ready for the next read.
   */
  void splitAndCompact(java.nio.ByteBuffer b, boolean endOfStream, Sink sink) {
    int consumed = split(b.array(), b.position(), endOfStream, sink);
    b.flip().position(consumed);
    b.compact();
  }

  /** @return the position after the frame at p, or -1 when it is not complete yet */
  private int octetFrame(byte[] buf, int p, int limit, boolean endOfStream, Sink sink) {
    if (buf[p] == '\n' || buf[p] == '\r' || buf[p] == ' ' || buf[p] == 0) {
      return p + 1; // stray separators some senders put between frames
    }
    int i = p;
    long length = 0;
    while (i < limit && isDigit(buf[i]) && i - p <= MAX_LENGTH_DIGITS) {
      length = length * 10 + buf[i] - '0';
      i++;
    }
    if (i == limit && i - p <= MAX_LENGTH_DIGITS && !endOfStream) {
      return -1;
    }
    if (i == p || i - p > MAX_LENGTH_DIGITS || i == limit || buf[i] != ' ') {
      return line(buf, p, limit, endOfStream, sink); // not a length header: resynchronize at the next LF
    }
    int body = i + 1;
    if (length > maxFrame) {
      if (limit - body < maxFrame) {
        if (endOfStream) {
          sink.frame(buf, body, limit - body, true);
          return limit;
        }
        return -1;
      }
      sink.frame(buf, body, maxFrame, true);
      skipBytes = length - maxFrame;
      return body + maxFrame;
    }
    if (limit - body < length) {
      if (endOfStream) {
        sink.frame(buf, body, limit - body, true);
        return limit;
      }
      return -1;
    }
    if (length > 0) {
      sink.frame(buf, body, (int) length, false);
    }
    return body + (int) length;
  }

  private int line(byte[] buf, int p, int limit, boolean endOfStream, Sink sink) {
    int lf = indexOfLf(buf, p, Math.min(limit, p + maxFrame + 1));
    if (lf >= 0) {
      emitLine(buf, p, lf - p, false, sink);
      return lf + 1;
    }
    if (limit - p > maxFrame) {
      emitLine(buf, p, maxFrame, true, sink);
      skipToLineEnd = true;
      return p + maxFrame;
    }
    if (endOfStream) {
      emitLine(buf, p, limit - p, false, sink);
      return limit;
    }
    return -1;
  }

  private static void emitLine(byte[] buf, int p, int len, boolean truncated, Sink sink) {
    while (len > 0 && (buf[p + len - 1] == '\r' || buf[p + len - 1] == 0)) {
      len--;
    }
    if (len > 0) {
      sink.frame(buf, p, len, truncated);
    }
  }

  private static int indexOfLf(byte[] buf, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }
}
