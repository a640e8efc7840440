package io.logrouter.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6587 framing fed in arbitrary pieces, as TCP delivers it. */
class FrameSplitterTest {
  /** Feeds {@code stream} in pieces of {@code step} bytes through a buffer like the listener's. */
  static List<String> split(String stream, int maxFrame, int step) {
    byte[] all = stream.getBytes(StandardCharsets.UTF_8);
    FrameSplitter splitter = new FrameSplitter(maxFrame);
    byte[] buf = new byte[FrameSplitter.bufferSizeFor(maxFrame)];
    int filled = 0;
    int fed = 0;
    List<String> frames = new ArrayList<>();
    FrameSplitter.Sink sink = (b, off, len, truncated) ->
        frames.add((truncated ? "CUT:" : "") + new String(b, off, len, StandardCharsets.UTF_8));
    while (true) {
      int n = Math.min(Math.min(step, all.length - fed), buf.length - filled);
      System.arraycopy(all, fed, buf, filled, n);
      fed += n;
      filled += n;
      boolean end = fed == all.length;
      int consumed = splitter.split(buf, filled, end, sink);
      System.arraycopy(buf, consumed, buf, 0, filled - consumed);
      filled -= consumed;
      if (end) {
        return frames;
      }
    }
  }

  @Test
  void octetCountingInAnyPieces() {
    String stream = "11 <13>1 - - x5 <1>ab\n12 <13>1 héllo";
    for (int step = 1; step <= stream.length(); step++) {
      assertEquals(List.of("<13>1 - - x", "<1>ab", "<13>1 héllo"), split(stream, 100, step), "step " + step);
    }
  }

  @Test
  void linesInAnyPiecesWithCrLfAndBlankLines() {
    String stream = "<13>a\r\n\n<14>b\n<15>c";
    for (int step = 1; step <= stream.length(); step++) {
      assertEquals(List.of("<13>a", "<14>b", "<15>c"), split(stream, 100, step), "step " + step);
    }
  }

  @Test
  void oversizedFramesAreCutAndTheStreamStaysInStep() {
    assertEquals(List.of("CUT:<13>1234", "<14>ok"), split("<13>123456789\n<14>ok\n", 8, 3));
    assertEquals(List.of("CUT:<13>1234", "<14>ok"), split("13 <13>123456789 6 <14>ok", 8, 3));
  }

  @Test
  void aBrokenLengthHeaderResynchronizesAtTheNextLineEnd() {
    assertEquals(List.of("12x garbage", "<14>ok"), split("4 <1>a12x garbage\n6 <14>ok", 100, 4).subList(1, 3));
  }
}
