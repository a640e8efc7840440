package io.logrouter.client;

import static io.logrouter.client.Clients.awaitTrue;
import static io.logrouter.client.Clients.fast;
import static io.logrouter.client.Clients.log;
import static io.logrouter.client.Clients.seqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every router unreachable beyond spillAfterMs: batches go to disk, come back in order. */
class SpillTest {
  @TempDir Path dir;

  @Test
  void spillsDuringAnOutageAndReplaysInOrderWithTheOriginalKeys() throws Exception {
    int port = StubRouter.freePort();
    try (StubRouter router = StubRouter.onPort(port)) {
      ClientConfig cfg = fast(router.url()).set(ClientOption.SPILL_DIR, dir.toString())
          .set(ClientOption.SPILL_AFTER_MS, 200).set(ClientOption.BATCH_MAX_EVENTS, 100)
          .set(ClientOption.BUFFER_BYTES, 32 * 1024)
          .set(ClientOption.OVERFLOW, "block").set(ClientOption.BLOCK_MAX_WAIT_MS, 10_000)
          .set(ClientOption.MAX_IN_FLIGHT, 1).build(); // order is promised with one request in flight
      try (LogRouterClient c = new LogRouterClient(cfg, StatusSink.NONE)) {
        int n = 3000; // ~10x what the 32 KB buffer holds: without the spill most would drop
        for (int i = 0; i < n; i++) {
          assertTrue(log(c, i), "the spill makes room: nothing waits out blockMaxWaitMs");
        }
        awaitTrue(() -> c.counters().spilledEvents() > 0, 10_000, "spilled");
        List<String> keysOnDisk = spillKeys();
        assertTrue(keysOnDisk.size() > 1, "one file per batch: " + keysOnDisk.size());
        router.up();
        awaitTrue(() -> c.counters().sentEvents() == n, 20_000, "all sent");
        assertEquals(0, c.counters().droppedTotal());
        assertEquals(LongStream.range(0, n).boxed().toList(), seqs(router.acceptedLines()), "in order, once each");
        List<String> sentKeys = router.requests().stream().filter(r -> r.status() == 202).map(StubRouter.Request::key).toList();
        assertTrue(sentKeys.containsAll(keysOnDisk), "replayed with the keys they were spilled with");
        assertEquals(List.of(), spillKeys(), "files deleted once accepted");
      }
    }
  }

  @Test
  void spillFilesLeftByAPreviousRunAreReplayedOnStart() throws Exception {
    int port = StubRouter.freePort();
    ClientConfig cfg = fast("http://127.0.0.1:" + port + "/log").set(ClientOption.SPILL_DIR, dir.toString())
        .set(ClientOption.SPILL_AFTER_MS, 100).set(ClientOption.SHUTDOWN_TIMEOUT_MS, 300).build();
    LogRouterClient first = new LogRouterClient(cfg, StatusSink.NONE);
    for (int i = 0; i < 50; i++) {
      log(first, i);
    }
    first.close(); // no router: what is left goes to disk rather than being dropped
    assertEquals(0, first.counters().droppedTotal());
    assertTrue(!spillKeys().isEmpty());
    try (StubRouter router = StubRouter.onPort(port)) {
      router.up();
      try (LogRouterClient second = new LogRouterClient(cfg, StatusSink.NONE)) {
        awaitTrue(() -> second.counters().replayedEvents() == 50, 10_000, "replayed by the next run");
      }
      assertEquals(LongStream.range(0, 50).boxed().toList(), seqs(router.acceptedLines()));
    }
  }

  private List<String> spillKeys() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ndjson.gz")).sorted()
          .map(n -> n.substring(n.indexOf('-', n.indexOf('-', 6) + 1) + 1, n.length() - ".ndjson.gz".length())).toList();
    }
  }
}
