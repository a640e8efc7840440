package io.logrouter.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The 3-node MariaDB Galera cluster of {@code scripts/galera-cluster.sh}, driven from a test: start
 * (installing galera-4 from Debian when missing), kill -9 a node, restart it, inspect it, stop.
 * Node n (1-3) answers SQL on 127.0.0.1:430(5+n) as root with an empty password.
 */
final class GaleraCluster implements AutoCloseable {
  static final int NODES = 3;
  private static final Path SCRIPT = Path.of("scripts", "galera-cluster.sh");
  private final Path dir;

  private GaleraCluster(Path dir) {
    this.dir = dir;
  }

  /**
   * Starts the cluster, or aborts the calling test (skipped, with the reason) where it cannot run here:
   * no mariadbd, not root, galera-4 not installable.
   */
  static GaleraCluster startOrSkip() {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mariadbd")),
        "Galera tests skipped: /usr/sbin/mariadbd is not installed (Debian package mariadb-server)");
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "Galera tests skipped: they start mariadbd as the mysql user and may apt-get install galera-4, which needs root");
    Path dir = Path.of(System.getProperty("galera.dir", "/tmp/logrouter-galera-test"));
    GaleraCluster cluster = new GaleraCluster(dir);
    Result install = cluster.script(600, "install");
    Assumptions.assumeTrue(install.ok(),
        "Galera tests skipped: galera-4 could not be installed (apt-get install galera-4): " + install.output());
    // A cluster left behind by a killed run has no node safe to bootstrap from: always start afresh.
    cluster.script(120, "destroy");
    Result start = cluster.script(600, "start");
    if (!start.ok()) {
      cluster.close();
      throw new IllegalStateException("the Galera cluster did not start: " + start.output());
    }
    return cluster;
  }

  static int sqlPort(int node) {
    return 4305 + node;
  }

  /** kill -9 of node n's mariadbd. */
  void kill(int node) {
    requireOk(script(60, "kill", Integer.toString(node)));
  }

  /** Starts node n again and waits until it has rejoined and is Synced. */
  void restart(int node) {
    requireOk(script(300, "restart", Integer.toString(node)));
  }

  boolean alive(int node) {
    try (Connection c = connect(node)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** A plain connection to node n, no default schema. */
  static Connection connect(int node) throws SQLException {
    return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + sqlPort(node)
        + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true&connectTimeout=3000&socketTimeout=60000", "root", "");
  }

  void execute(int node, String sql) {
    try (Connection c = connect(node); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("node " + node + ": " + sql, e);
    }
  }

  /** Connections other sessions hold to {@code schema} on node n (the router's, found where they are). */
  int connectionsTo(int node, String schema) {
    try (Connection c = connect(node); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '" + schema
            + "' AND ID <> CONNECTION_ID()")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      return 0;
    }
  }

  /** The live node holding most of the router's connections: the one it writes to. */
  int nodeWritingTo(String schema) {
    int best = -1;
    int most = 0;
    for (int n = 1; n <= NODES; n++) {
      int count = connectionsTo(n, schema);
      if (count > most) {
        most = count;
        best = n;
      }
    }
    return best;
  }

  /**
   * Seq events in {@code schema.logs} as seen from node n after it applied everything the cluster
   * committed (wsrep_sync_wait): which seqs are there, and how many are there more than once.
   */
  Seqs seqs(int node, String schema) {
    BitSet present = new BitSet();
    int duplicated = 0;
    try (Connection c = connect(node); Statement st = c.createStatement()) {
      st.execute("SET SESSION wsrep_sync_wait = 1");
      try (ResultSet rs = st.executeQuery("SELECT CAST(JSON_EXTRACT(attributes, '$.seq') AS UNSIGNED), COUNT(*) FROM "
          + schema + ".logs WHERE message = 'seq event' GROUP BY 1")) {
        while (rs.next()) {
          present.set(rs.getInt(1));
          if (rs.getInt(2) > 1) {
            duplicated++;
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new Seqs(present, duplicated);
  }

  record Seqs(BitSet present, int duplicated) {
    int missingOf(BitSet acked) {
      BitSet missing = (BitSet) acked.clone();
      missing.andNot(present);
      return missing.cardinality();
    }
  }

  /** Per live node: its wsrep state and flow control, and what the sessions on {@code schema} are doing. */
  String diagnostics(String schema) {
    StringBuilder sb = new StringBuilder();
    for (int n = 1; n <= NODES; n++) {
      sb.append("node ").append(n).append(':');
      try (Connection c = connect(n); Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
            + " WHERE VARIABLE_NAME IN ('wsrep_local_state_comment','wsrep_flow_control_paused','wsrep_local_recv_queue',"
            + "'wsrep_local_send_queue','wsrep_cluster_size','wsrep_ready')")) {
          while (rs.next()) {
            sb.append(' ').append(rs.getString(1).toLowerCase()).append('=').append(rs.getString(2));
          }
        }
        try (ResultSet rs = st.executeQuery("SELECT ID, COMMAND, TIME, STATE, LEFT(INFO, 60) FROM"
            + " information_schema.PROCESSLIST WHERE DB = '" + schema + "'")) {
          while (rs.next()) {
            sb.append("\n  session ").append(rs.getLong(1)).append(' ').append(rs.getString(2)).append(' ')
                .append(rs.getLong(3)).append("s ").append(rs.getString(4)).append(" | ").append(rs.getString(5));
          }
        }
      } catch (SQLException e) {
        sb.append(" unreachable: ").append(e.getMessage());
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  String status() {
    return script(30, "status").output();
  }

  @Override
  public void close() {
    if (Boolean.getBoolean("galera.keep")) {
      script(120, "stop");
    } else {
      script(120, "destroy");
    }
  }

  private record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private static void requireOk(Result r) {
    if (!r.ok()) {
      throw new IllegalStateException("galera-cluster.sh failed (" + r.exitCode() + "): " + r.output());
    }
  }

  private Result script(int timeoutSeconds, String... args) {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(SCRIPT.toString());
    command.addAll(List.of(args));
    try {
      Path log = Files.createTempFile("galera-script", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("GALERA_DIR", dir.toString());
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", args));
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Files.deleteIfExists(log);
      return new Result(p.exitValue(), output.strip());
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
