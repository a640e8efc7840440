package io.logrouter.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.logrouter.LogRouter;
import io.logrouter.config.RouterConfig;
import io.logrouter.testsupport.SeqSenders;
import io.logrouter.testsupport.TcpProxy;
import io.logrouter.testsupport.TestHttp;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router writing to a real 3-node MariaDB Galera cluster (scripts/galera-cluster.sh) through a
 * Connector/J multi-host URL (failover mode: the first live host in list order takes every write).
 * Each node is reached through a {@link TcpProxy}, so a test can also lose a COMMIT's answer or cut
 * the whole cluster off. Kills are kill -9 of the node the router is writing to, under load.
 * Skipped, with the reason, where mariadbd or galera-4 cannot run. {@code -Dgalera.kills=N} (default 2; scripts/galera-soak.sh runs more).
 */
@org.junit.jupiter.api.Tag("once") // real clients/cluster: the SQL is the flush's, run on both servers elsewhere
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GaleraFailoverTest {
  private static final int KILLS = Integer.getInteger("galera.kills", 2);
  private final String prefix = System.getenv().getOrDefault("LOGROUTER_TEST_SCHEMA_PREFIX", "lrt_");
  private GaleraCluster cluster;
  private final List<TcpProxy> proxies = new ArrayList<>();

  @TempDir
  Path queueDir;

  @BeforeAll
  void startCluster() {
    cluster = GaleraCluster.startOrSkip();
    for (int n = 1; n <= GaleraCluster.NODES; n++) {
      proxies.add(TcpProxy.start("127.0.0.1", GaleraCluster.sqlPort(n)));
    }
  }

  @AfterAll
  void stopCluster() {
    proxies.forEach(TcpProxy::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void killingTheNodeTheRouterWritesToUnderLoadLosesAndDuplicatesNothing() throws Exception {
    String schema = freshSchema("galera_kill");
    BitSet acked;
    List<Integer> nodes = List.of(GaleraCluster.sqlPort(1), GaleraCluster.sqlPort(2), GaleraCluster.sqlPort(3));
    try (LogRouter router = LogRouter.start(routerConfig(schema, "100ms", nodes));
        SeqSenders senders = new SeqSenders(url(router, "/log"), 1);
        AckWatch acks = new AckWatch(senders)) {
      awaitTrue(() -> offset(1, schema) >= 0, 60, "the first flush commits");
      for (int k = 1; k <= KILLS; k++) {
        Thread.sleep(1_500);
        int node = writerNode(schema);
        int survivor = node % GaleraCluster.NODES + 1;
        long offsetAtKill = offset(survivor, schema);
        long ackedAtKill = senders.acked().cardinality();
        acks.resetLongestPause();
        long killedAt = System.nanoTime();
        cluster.kill(node); // in the middle of flushes: one starts every 100 ms under this load
        awaitTrue(() -> offset(survivor, schema) > offsetAtKill, 60, "the router commits again after node " + node
            + " died");
        double resumeSeconds = (System.nanoTime() - killedAt) / 1e9;
        System.out.println("galera failover: " + String.format(Locale.ROOT, "kill %d: node %d, resumed committing after %.2f s, longest ack pause "
            + "%d ms, %d events acked since the kill", k, node, resumeSeconds, acks.longestPauseMillis(),
            senders.acked().cardinality() - ackedAtKill));
        long restartAt = System.nanoTime();
        cluster.restart(node);
        System.out.printf(Locale.ROOT, "galera failover: node %d rejoined (IST) in %.1f s%n", node,
            (System.nanoTime() - restartAt) / 1e9);
      }
      senders.close();
      acked = senders.acked();
      assertEquals(0, senders.failures(), "ingest never failed while nodes died: " + senders.errors());
      // The senders outrun a 3-node cluster on 2 shared cores, so a backlog waits here: its drain takes
      // longer the busier the machine (a fixed 300 s once ran out at load 17 with a LOAD DATA under way).
      // What must hold is progress: the flush fails the test only when the commit point stands still for
      // longer than Connector/J's socketTimeout (120 s) plus a retry.
      java.util.concurrent.CompletableFuture<Long> drained = router.flusher().requestFlush();
      long committed = -2;
      long progressAt = System.nanoTime();
      long drainStart = progressAt;
      while (true) {
        try {
          drained.get(10, java.util.concurrent.TimeUnit.SECONDS);
          System.out.printf(Locale.ROOT, "galera failover: the backlog left at the end drained in %.0f s%n",
              (System.nanoTime() - drainStart) / 1e9);
          break;
        } catch (java.util.concurrent.TimeoutException e) {
          long now = offset(1, schema);
          if (now != committed) {
            committed = now;
            progressAt = System.nanoTime();
          } else if (System.nanoTime() - progressAt > java.util.concurrent.TimeUnit.SECONDS.toNanos(150)) {
            Thread.getAllStackTraces().forEach((t, stack) -> {
              if (t.getName().contains("flusher")) {
                System.out.println("stuck " + t + ":\n  " + java.util.Arrays.stream(stack).map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining("\n  ")));
              }
            });
            System.out.println(cluster.diagnostics(schema));
            System.out.println("flusher: breaker " + router.flusher().dbState() + ", stall "
                + router.flusher().stallReason() + ", last failures: " + router.flusher().lastFailures());
            throw new AssertionError("the final flush made no progress for 150 s (commit point "
                + Long.toHexString(committed) + ")", e);
          }
        }
      }
    }
    GaleraCluster.Seqs seqs = awaitSeqs(schema, acked);
    System.out.printf("galera failover: %d kills, %d events acked, %d lost, %d duplicated%n", KILLS,
        acked.cardinality(), seqs.missingOf(acked), seqs.duplicated());
    assertEquals(0, seqs.missingOf(acked), "acked events missing");
    assertEquals(0, seqs.duplicated(), "events written twice");
  }

  /**
   * The worst case of a failover: the node takes the COMMIT and replicates it, the router never hears
   * back, the node dies, and the node the router fails over to has not applied that commit yet (its
   * applier is held by a global read lock for a few seconds, as under load). The offsets row decides, and
   * it must be read causally: a plain read there says "not committed" and the batch goes in twice.
   */
  @Test
  void commitWhoseAnswerIsLostOnANodeThatThenDiesIsNotWrittenAgainOnALaggingNode() throws Exception {
    String schema = freshSchema("galera_commit");
    BitSet all = new BitSet();
    try (LogRouter router = LogRouter.start(routerConfig(schema, "1h"))) {
      postSeqs(router, 0, 40);
      flush(router);
      int node = writerNode(schema);
      int next = node % GaleraCluster.NODES + 1; // Connector/J fails over to the next host in the list
      postSeqs(router, 40, 60);
      awaitTrue(() -> cluster.alive(next), 60, "node " + next + " (the failover target) answers");
      try (Connection lagging = GaleraCluster.connect(next); Statement lock = lagging.createStatement()) {
        lock.execute("FLUSH TABLES WITH READ LOCK"); // node `next` stops applying the cluster's write-sets
        proxies.get(node - 1).dropOnMysqlCommit(TcpProxy.KillPoint.AFTER_FORWARD);
        CompletableFuture<Void> flushed = CompletableFuture.runAsync(() -> flush(router));
        awaitTrue(() -> proxies.get(node - 1).killsFired() == 1, 30, "the COMMIT went through the proxy");
        Thread.sleep(200); // the node certifies and replicates the write-set
        cluster.kill(node);
        Thread.sleep(3_000); // the router reconnects to `next` and asks the offsets row while it lags
        lock.execute("UNLOCK TABLES");
        flushed.get(120, java.util.concurrent.TimeUnit.SECONDS);
      } finally {
        proxies.get(node - 1).restore();
        cluster.restart(node);
      }
      all.set(0, 60);
      GaleraCluster.Seqs seqs = awaitSeqs(schema, all);
      assertEquals(0, seqs.missingOf(all), "acked events missing");
      assertEquals(0, seqs.duplicated(), "the batch whose COMMIT answer was lost went in twice");
    }
  }

  /** The whole cluster unreachable (every node cut off): /ready says so, ingest goes on, then it drains exactly once. */
  @Test
  void wholeClusterUnreachableShowsOnReadyAndDrainsExactlyOnce() throws Exception {
    String schema = freshSchema("galera_cut");
    try (LogRouter router = LogRouter.start(routerConfig(schema, "100ms"))) {
      postSeqs(router, 0, 20);
      flush(router);
      assertEquals(200, TestHttp.get(url(router, "/ready")).statusCode());
      proxies.forEach(TcpProxy::cut);
      try {
        awaitTrue(() -> TestHttp.get(url(router, "/ready")).statusCode() == 503, 30, "/ready reports the outage");
        postSeqs(router, 20, 40); // still accepted: into the disk queue
      } finally {
        proxies.forEach(TcpProxy::restore);
      }
      awaitTrue(() -> TestHttp.get(url(router, "/ready")).statusCode() == 200, 60, "/ready recovers");
      BitSet all = new BitSet();
      all.set(0, 40);
      GaleraCluster.Seqs seqs = awaitSeqs(schema, all);
      assertEquals(0, seqs.missingOf(all));
      assertEquals(0, seqs.duplicated());
    }
  }

  /**
   * A node cut off from the others (gmcast.isolate, Galera's own partition switch) still accepts
   * connections and answers pings, but refuses writes: /ready names wsrep_ready instead of "up", and
   * comes back once the node rejoins.
   */
  @Test
  void aNodeThatLostQuorumIsNotReady() throws Exception {
    String schema = freshSchema("galera_quorum");
    int node = GaleraCluster.NODES;
    try (LogRouter router = LogRouter.start(config(schema, "100ms", "jdbc:mysql://127.0.0.1:"
        + GaleraCluster.sqlPort(node) + "/" + schema + "?sslMode=DISABLED&allowPublicKeyRetrieval=true"))) {
      postSeqs(router, 0, 10);
      flush(router);
      assertEquals(200, TestHttp.get(url(router, "/ready")).statusCode());
      cluster.execute(node, "SET GLOBAL wsrep_provider_options = 'gmcast.isolate=1'");
      try {
        awaitTrue(() -> TestHttp.get(url(router, "/ready")).body().contains("wsrep_ready"), 30,
            "/ready names wsrep_ready");
        assertEquals(503, TestHttp.get(url(router, "/ready")).statusCode());
      } finally {
        cluster.execute(node, "SET GLOBAL wsrep_provider_options = 'gmcast.isolate=0'");
      }
      awaitTrue(() -> TestHttp.get(url(router, "/ready")).statusCode() == 200, 120, "/ready recovers on rejoin");
    }
  }

  /**
   * The router on the cluster through the proxies (to lose a COMMIT's answer, or cut every node off),
   * with a plain multi-host URL: Connector/J failover mode, the first live host in list order takes the
   * writes, and a connection that failed over stays writable (failOverReadOnly=false, set by
   * DataSources). Through the proxies the load-balanced URL of the kill test failed commits with
   * "Connection is closed" (not understood yet; see docs/SCALING.md), so these two tests use this one.
   */
  private RouterConfig routerConfig(String schema, String flushInterval) {
    String hosts = String.join(",", proxies.stream().map(p -> "127.0.0.1:" + p.port()).toList());
    return config(schema, flushInterval, "jdbc:mysql://" + hosts + "/" + schema
        + "?sslMode=DISABLED&allowPublicKeyRetrieval=true");
  }

  /**
   * The URL the router uses on a Galera cluster (docs/SCALING.md): Connector/J load-balancing with the
   * serverAffinity strategy, so every write goes to the first host in the list that is not blocklisted
   * (one writer node: no certification conflicts between routers); a host that fails a connection or
   * answers 08S01 (a dead node, or a rejoining one: 1047 "WSREP has not yet prepared node") is
   * blocklisted for 5 s and the next host takes the writes.
   */
  private RouterConfig routerConfig(String schema, String flushInterval, List<Integer> ports) {
    String hosts = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    return config(schema, flushInterval, "jdbc:mysql:loadbalance://" + hosts + "/" + schema
        + "?loadBalanceStrategy=serverAffinity&serverAffinityOrder=" + hosts + "&loadBalanceBlocklistTimeout=5000"
        + "&sslMode=DISABLED&allowPublicKeyRetrieval=true");
  }

  private RouterConfig config(String schema, String flushInterval, String url) {
    Map<String, String> c = new HashMap<>();
    c.put("db.url", url);
    c.put("db.user", "root");
    c.put("db.password", "");
    c.put("db.profile", System.getProperty("galera.profile", "galera"));
    c.put("http.host", "127.0.0.1");
    c.put("http.port", "0");
    c.put("queue.dir", queueDir.resolve(schema).toString());
    c.put("router.id", "galera-router");
    c.put("flush.interval", flushInterval);
    c.put("flush.max.bytes", "256KB");
    c.put("flush.retry.initial", "100ms");
    c.put("flush.retry.max", "1s");
    c.put("disk.min.free.bytes", "1MB");
    return RouterConfig.of(c);
  }

  private String freshSchema(String name) {
    String schema = prefix + name;
    cluster.execute(firstAlive(), "DROP DATABASE IF EXISTS " + schema);
    cluster.execute(firstAlive(), "CREATE DATABASE " + schema
        + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci");
    return schema;
  }

  private int firstAlive() {
    return aliveAfter(GaleraCluster.NODES);
  }

  /** The first node after {@code node} (in the ring 1..NODES, ending with itself) that answers. */
  private int aliveAfter(int node) {
    for (int i = 1; i <= GaleraCluster.NODES; i++) {
      int n = (node + i - 1) % GaleraCluster.NODES + 1;
      if (cluster.alive(n)) {
        return n;
      }
    }
    throw new IllegalStateException("no Galera node answers: " + cluster.status());
  }

  /**
   * Polls until every acked seq is there or 2 minutes pass. A read that fails (a node still catching up
   * after its restart can hold a causal read past the socket timeout on a loaded machine) is retried on
   * the next live node: CI once saw the same node hold two reads for 60 s each, and the wait ran out.
   */
  private GaleraCluster.Seqs awaitSeqs(String schema, BitSet acked) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    int node = firstAlive();
    while (true) {
      try {
        GaleraCluster.Seqs seqs = cluster.seqs(node, schema);
        if (seqs.missingOf(acked) == 0 || System.nanoTime() > deadline) {
          return seqs;
        }
      } catch (IllegalStateException readFailed) {
        if (System.nanoTime() > deadline) {
          throw readFailed;
        }
        node = aliveAfter(node);
      }
      Thread.sleep(250);
    }
  }

  /**
   * The node the router writes to, polled: one look can find none on a loaded machine (a processlist
   * read that times out counts as no connections), and CI once went on with node -1, whose "next" node
   * was a port nobody listens on.
   */
  private int writerNode(String schema) throws InterruptedException {
    int[] node = {-1};
    awaitTrue(() -> (node[0] = cluster.nodeWritingTo(schema)) > 0, 30, "the router holds connections to some node");
    return node[0];
  }

  private static long offset(int node, String schema) {
    try (Connection c = GaleraCluster.connect(node); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(last_index), -1) FROM " + schema + ".router_offsets")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1;
    }
  }

  private static String url(LogRouter router, String path) {
    return "http://127.0.0.1:" + router.port() + path;
  }

  private static void postSeqs(LogRouter router, int from, int to) {
    for (int i = from; i < to; i++) {
      TestHttp.Response r = TestHttp.postJson(url(router, "/log"), "{\"message\":\"seq event\",\"seq\":" + i + "}");
      assertEquals(202, r.statusCode(), r.body());
    }
  }

  private static void flush(LogRouter router) {
    TestHttp.Response r = TestHttp.post(url(router, "/admin/flush"), new byte[0], null, null);
    assertEquals(200, r.statusCode(), r.body());
  }

  private static void awaitTrue(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + seconds + " s: " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Samples the acked count every 10 ms and keeps the longest stretch without a new ack. */
  private static final class AckWatch implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long longestPauseNanos;

    AckWatch(SeqSenders senders) {
      thread = new Thread(() -> {
        long last = -1;
        long lastChange = System.nanoTime();
        while (running) {
          long now = System.nanoTime();
          long count = senders.acked().cardinality();
          if (count != last) {
            last = count;
            lastChange = now;
          } else {
            longestPauseNanos = Math.max(longestPauseNanos, now - lastChange);
          }
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "ack-watch");
      thread.setDaemon(true);
      thread.start();
    }

    void resetLongestPause() {
      longestPauseNanos = 0;
    }

    long longestPauseMillis() {
      return longestPauseNanos / 1_000_000;
    }

    @Override
    public void close() {
      running = false;
      thread.interrupt();
    }
  }
}
