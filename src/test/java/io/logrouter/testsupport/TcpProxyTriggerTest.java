package io.logrouter.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The kill rules on their own: exact byte budgets and matches split over two chunks. */
final class TcpProxyTriggerTest {
  private static final byte[] NONE = new byte[0];

  @Test
  void byteBudgetForwardsExactlyNBytesOverSeveralChunks() {
    TcpProxyTrigger t = TcpProxyTrigger.afterBytes(10);
    assertFalse(t.inspect(NONE, new byte[6], 6).kill());
    TcpProxyTrigger.Verdict v = t.inspect(NONE, new byte[6], 6);
    assertTrue(v.kill());
    assertEquals(4, v.forward());
    assertFalse(v.gracefulToServer());
  }

  @Test
  void budgetEndingOnAChunkBoundaryKillsAfterThatChunk() {
    TcpProxyTrigger.Verdict v = TcpProxyTrigger.afterBytes(6).inspect(NONE, new byte[6], 6);
    assertTrue(v.kill());
    assertEquals(6, v.forward());
  }

  @Test
  void patternSplitOverChunksMatchesWithCaseFolding() {
    TcpProxyTrigger before = TcpProxyTrigger.onPattern(bytes("commit"), TcpProxy.KillPoint.BEFORE_FORWARD, true);
    TcpProxyTrigger after = TcpProxyTrigger.onPattern(bytes("commit"), TcpProxy.KillPoint.AFTER_FORWARD, true);
    byte[] recent = bytes("xxCOM");
    byte[] chunk = bytes("MITyy");
    TcpProxyTrigger.Verdict b = before.inspect(recent, chunk, chunk.length);
    assertTrue(b.kill());
    assertEquals(0, b.forward(), "start of the match was already sent: nothing more goes");
    TcpProxyTrigger.Verdict a = after.inspect(recent, chunk, chunk.length);
    assertTrue(a.kill());
    assertTrue(a.gracefulToServer());
    assertEquals(3, a.forward(), "the rest of the match goes, the bytes after it do not");
  }

  @Test
  void exactPatternIgnoresOtherCaseAndUnrelatedBytes() {
    TcpProxyTrigger t = TcpProxyTrigger.onPattern(bytes("commit"), TcpProxy.KillPoint.BEFORE_FORWARD, false);
    byte[] chunk = bytes("COMMIT commi t");
    assertFalse(t.inspect(NONE, chunk, chunk.length).kill());
  }

  @Test
  void mysqlQueryPacketHasHeaderAndCommand() {
    assertEquals("0700000003434f4d4d4954",
        java.util.HexFormat.of().formatHex(TcpProxy.mysqlQueryPacket("COMMIT")));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
