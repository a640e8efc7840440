package io.logrouter.testsupport;

import java.util.Arrays;

/** A one-shot kill rule applied to client-to-server chunks of a {@link TcpProxy}. */
final class TcpProxyTrigger {
  /**
   * Longest pattern: the link keeps this many recent bytes to match across chunk boundaries; 64
   * covers any MySQL command packet header plus a short statement such as {@code commit}.
   */
  static final int MAX_PATTERN = 64;

  /** What to do with one chunk: forward its first {@code forward} bytes, then kill or not. */
  record Verdict(int forward, boolean kill, boolean gracefulToServer) {
    static final Verdict PASS = new Verdict(-1, false, false);
  }

  private final byte[] pattern;
  private final TcpProxy.KillPoint point;
  /** ASCII letters compare case-insensitively (drivers differ: Connector/J 26 sends COMMIT). */
  private final boolean ignoreCase;
  /** Byte budget left for {@link #afterBytes}; guarded by this. */
  private long remaining;

  private TcpProxyTrigger(byte[] pattern, TcpProxy.KillPoint point, boolean ignoreCase, long remaining) {
    this.pattern = pattern;
    this.point = point;
    this.ignoreCase = ignoreCase;
    this.remaining = remaining;
  }

  static TcpProxyTrigger afterBytes(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative byte count: " + n);
    }
    return new TcpProxyTrigger(null, null, false, n);
  }

  static TcpProxyTrigger onPattern(byte[] pattern, TcpProxy.KillPoint point, boolean ignoreCase) {
    if (pattern == null || pattern.length == 0 || pattern.length > MAX_PATTERN) {
      throw new IllegalArgumentException("pattern must have 1.." + MAX_PATTERN + " bytes");
    }
    if (point == null) {
      throw new IllegalArgumentException("kill point is required");
    }
    return new TcpProxyTrigger(pattern.clone(), point, ignoreCase, 0);
  }

  /**
   * The verdict for {@code chunk[0, length)} of one connection, whose previous forwarded bytes end
   * with {@code recent}. Synchronized: the byte budget is shared by every connection.
   */
  synchronized Verdict inspect(byte[] recent, byte[] chunk, int length) {
    return pattern == null ? spend(length) : match(recent, chunk, length);
  }

  private Verdict spend(int length) {
    if (remaining > length) {
      remaining -= length;
      return Verdict.PASS;
    }
    int forward = (int) remaining; // < length here, so it fits an int
    remaining = 0;
    return new Verdict(forward, true, false);
  }

  private Verdict match(byte[] recent, byte[] chunk, int length) {
    int tail = Math.min(recent.length, pattern.length - 1); // older bytes cannot start a match
    byte[] window = new byte[tail + length];
    System.arraycopy(recent, recent.length - tail, window, 0, tail);
    System.arraycopy(chunk, 0, window, tail, length);
    int at = indexOf(window, pattern);
    if (at < 0) {
      return Verdict.PASS;
    }
    boolean before = point == TcpProxy.KillPoint.BEFORE_FORWARD;
    int cut = before ? at : at + pattern.length; // window coordinates
    return new Verdict(Math.max(0, cut - tail), true, !before);
  }

  private int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (fold(haystack[i + j]) != fold(needle[j])) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private byte fold(byte b) {
    return ignoreCase && b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
  }

  @Override
  public String toString() {
    return pattern == null ? "after " + remaining + " bytes" : point + " " + Arrays.toString(pattern);
  }
}
