package io.logrouter.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.buffer.QueueFixture.Doc;
import io.logrouter.cli.QueueCommand;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage done to real queue files the way disks and crashes do it, then a real router on a real
 * database: every undamaged event lands exactly once, every damaged document is reported (logs_rejected,
 * metric, {@code queue verify}), and new events keep flowing.
 */
class DamagedQueueTest {
  private static TestDatabase db;
  @TempDir
  Path dir;
  private boolean truncated;

  @BeforeAll
  static void database() {
    db = TestDatabase.create("damaged_queue");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  /** The router's settings over the damaged queue; {@link DamagedQueueLanesTest} reads it with several lanes. */
  Map<String, String> routerConfig() {
    return Map.of();
  }

  @org.junit.jupiter.api.BeforeEach
  void emptyTables() {
    db.execute("DELETE FROM logs");
    db.execute("DELETE FROM logs_rejected");
    db.execute("DELETE FROM router_offsets");
  }

  /**
   * Cycles half an hour ago: near now, because Chronicle walks back cycle by cycle (recursively) from
   * the current one to find the last, and a test clock years away overflows its stack.
   */
  private static SetTimeProvider clock() {
    long tenMinutes = TimeUnit.MINUTES.toMillis(10);
    long start = (System.currentTimeMillis() / tenMinutes - 3) * tenMinutes;
    return new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(start));
  }

  @Test
  void aBrokenDocumentHeaderIsSkippedThroughTheIndexAndReported() throws Exception {
    List<Doc> docs;
    try (EventQueue queue = QueueFixture.open(dir, clock())) {
      docs = QueueFixture.append(queue, 3, 300, 0);
    }
    // The operator test: 24 bytes of 0xFF just before the second request's document.
    long from = docs.get(1).contentPos() - 24;
    QueueFixture.overwrite(docs.get(1).file(), from, QueueFixture.filled(24, 0xFF));
    expect(docs, lostIn(docs, from, from + 24));
  }

  @Test
  void aFlippedPayloadByteFailsTheChecksum() throws Exception {
    List<Doc> docs;
    try (EventQueue queue = QueueFixture.open(dir, clock())) {
      docs = QueueFixture.append(queue, 5, 20, 0);
    }
    Doc d = docs.get(2);
    long at = d.contentPos() + d.length() / 2;
    QueueFixture.overwrite(d.file(), at, new byte[] {(byte) (QueueFixture.readByte(d.file(), at) ^ 0x10)});
    String verify = expect(docs, Set.of(d));
    assertTrue(verify.contains("checksum mismatch"), verify);
    File[] quarantined = dir.resolve("quarantine").toFile().listFiles();
    assertTrue(quarantined != null && quarantined.length == 1, "the damaged document's raw bytes are kept");
    assertEquals(d.length(), quarantined[0].length());
  }

  @Test
  void anUnknownFormatVersionIsReportedNotGuessed() throws Exception {
    List<Doc> docs;
    try (EventQueue queue = QueueFixture.open(dir, clock())) {
      docs = QueueFixture.append(queue, 4, 10, 0);
    }
    QueueFixture.overwrite(docs.get(3).file(), docs.get(3).contentPos(), new byte[] {9});
    String verify = expect(docs, Set.of(docs.get(3)));
    assertTrue(verify.contains("unknown format version 9"), verify);
  }

  @Test
  void aTornLastDocumentIsReported() throws Exception {
    List<Doc> docs;
    try (EventQueue queue = QueueFixture.open(dir, clock())) {
      docs = QueueFixture.append(queue, 4, 50, 0);
    }
    // Power loss: the last pages of the last document never reached the disk (zeros).
    Doc last = docs.get(3);
    QueueFixture.overwrite(last.file(), last.contentPos() + last.length() / 2, new byte[last.length() - last.length() / 2]);
    expect(docs, Set.of(last));
  }

  @Test
  void aTruncatedCycleFileLosesOnlyWhatWasCutOff() throws Exception {
    SetTimeProvider time = clock();
    List<Doc> first;
    List<Doc> second;
    try (EventQueue queue = QueueFixture.open(dir, time)) {
      first = QueueFixture.append(queue, 20, 10, 0);
      time.advanceMillis(TimeUnit.MINUTES.toMillis(10));
      second = QueueFixture.append(queue, 20, 10, 200);
    }
    Doc cut = first.get(10);
    QueueFixture.truncate(cut.file(), cut.contentPos() + 3);
    truncated = true;
    List<Doc> all = new ArrayList<>(first);
    all.addAll(second);
    Set<Doc> lost = new HashSet<>(first.subList(10, 20));
    Outcome o = run(all, lost);
    assertTrue(o.reports >= 1, "the cut-off region is reported: " + o.reports);
  }

  @Test
  void aMissingMiddleCycleFileIsReportedAndTheRestLands() throws Exception {
    SetTimeProvider time = clock();
    List<Doc> all = new ArrayList<>();
    List<Doc> middle;
    try (EventQueue queue = QueueFixture.open(dir, time)) {
      all.addAll(QueueFixture.append(queue, 5, 10, 0));
      time.advanceMillis(TimeUnit.MINUTES.toMillis(10));
      middle = QueueFixture.append(queue, 5, 10, 50);
      time.advanceMillis(TimeUnit.MINUTES.toMillis(10));
      all.addAll(middle);
      all.addAll(QueueFixture.append(queue, 5, 10, 100));
    }
    Files.delete(middle.get(0).file().toPath());
    Outcome o = run(all, new HashSet<>(middle));
    assertEquals(1, o.reports, "one report for the missing file (its document count is unknown)");
    assertTrue(o.verify.contains("is missing"), o.verify);
  }

  @Test
  void randomBytesAt200OffsetsOf10000NumberedEvents() throws Exception {
    List<Doc> docs;
    try (EventQueue queue = QueueFixture.open(dir, clock())) {
      docs = QueueFixture.append(queue, 1_000, 10, 0);
    }
    Random random = new Random(20261201);
    Set<Doc> lost = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Doc d = docs.get(random.nextInt(docs.size()));
      long at = d.contentPos() + random.nextInt(d.length());
      byte original = QueueFixture.readByte(d.file(), at);
      QueueFixture.overwrite(d.file(), at, new byte[] {(byte) (original ^ (1 + random.nextInt(255)))});
      lost.add(d);
    }
    expect(docs, lost);
  }

  @Test
  void version1DocumentsOfTheFirstReleaseAreStillRead() throws Exception {
    try (EventQueue queue = QueueFixture.open(dir, clock())) {
      // The first release's layout, byte for byte (RecordFormat, version 1): no checksum, no keys.
      java.nio.ByteBuffer v1 = java.nio.ByteBuffer.allocate(256).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      v1.put((byte) 1);
      v1.putInt(1);
      v1.putLong(1_700_000_000_000_000L);
      v1.putLong(1_700_000_000_000_000L);
      for (String s : new String[] {"INFO", "v1-source", "seq event", "{\"seq\":0}"}) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        v1.putInt(b.length);
        v1.put(b);
      }
      queue.append(v1.array(), 0, v1.position());
    }
    try (RouterHarness router = RouterHarness.start(db, dir, routerConfig())) {
      router.flush();
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE source = 'v1-source'"));
    }
  }

  private record Outcome(int reports, String verify) {}

  /** Runs the router over the damaged queue and checks every event; @return the verify output */
  private String expect(List<Doc> docs, Set<Doc> lost) throws Exception {
    Outcome o = run(docs, lost);
    assertEquals(lost.size(), o.reports, "one logs_rejected row per damaged document");
    return o.verify;
  }

  private Outcome run(List<Doc> docs, Set<Doc> lost) throws Exception {
    assertFalse(lost.isEmpty());
    String verify = verify(1);
    Doc first = lost.stream().min(java.util.Comparator.comparingLong(Doc::index)).orElseThrow();
    for (Doc d : truncated ? Set.<Doc>of() : lost) {
      // A region whose index is gone too (a truncated file) is one report from its first document on.
      boolean named = d.file().exists() && (lost.size() < 50 || d == first) && !truncated;
      if (named || d == first && d.file().exists()) {
        assertTrue(verify.contains(Long.toHexString(d.index())),
            "verify names damaged index " + Long.toHexString(d.index()) + ":\n" + verify);
      }
    }
    int reports;
    try (RouterHarness router = RouterHarness.start(db, dir, routerConfig())) {
      router.flush();
      Map<Integer, Integer> seen = seqCounts();
      for (Doc d : docs) {
        for (int s = d.firstSeq(); s < d.firstSeq() + d.events(); s++) {
          int expected = lost.contains(d) ? 0 : 1;
          assertEquals(expected, seen.getOrDefault(s, 0), "seq " + s + " of document " + Long.toHexString(d.index()));
        }
      }
      reports = (int) db.queryLong("SELECT COUNT(*) FROM logs_rejected WHERE error LIKE 'damaged queue document%'");
      String metrics = router.get("/metrics").body();
      assertTrue(metrics.contains("logrouter_queue_damaged_documents_total " + reports + ".0"),
          "metric counts " + reports + ":\n" + metrics.lines().filter(l -> l.contains("damaged")).toList());
      assertEquals(200, router.get("/ready").status(), router.get("/ready").body());
      assertEquals(202, router.post("/log", "{\"message\":\"after the damage\"}").status());
      router.flush();
      assertEquals(1, db.queryLong("SELECT COUNT(*) FROM logs WHERE message = 'after the damage'"), "new events flow");
    }
    return new Outcome(reports, verify);
  }

  private String verify(int expectedExit) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = QueueCommand.run(new String[] {"verify", "--dir", dir.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(expectedExit, exit, text);
    return text;
  }

  private static Set<Doc> lostIn(List<Doc> docs, long from, long to) {
    Set<Doc> lost = new HashSet<>();
    for (Doc d : docs) {
      if (d.overlaps(from, to)) {
        lost.add(d);
      }
    }
    return lost;
  }

  private static Map<Integer, Integer> seqCounts() throws Exception {
    Map<Integer, Integer> counts = new HashMap<>();
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT CAST(JSON_EXTRACT(attributes, '$.seq') AS UNSIGNED), COUNT(*) FROM logs"
            + " WHERE message = 'seq event' GROUP BY 1")) {
      while (rs.next()) {
        counts.put(rs.getInt(1), rs.getInt(2));
      }
    }
    return counts;
  }
}
