package io.logrouter;

import io.logrouter.cli.ListenCheck;
import io.logrouter.cli.Options;
import io.logrouter.cli.QueueCommand;
import io.logrouter.config.ConfigException;
import io.logrouter.config.ConfigKeys;
import io.logrouter.config.RouterConfig;
import io.logrouter.threads.CompilerThreads;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Entry point: {@code --help}, {@code --version}, {@code queue ...}, or run the router with the
 * config from {@code --config FILE}, else {@code LOGROUTER_CONFIG}, else
 * {@code config/log-router.properties} when present. SIGTERM/SIGINT stop gracefully and exit 0,
 * SIGUSR1 flushes now. Every user error ends the process with one line and no stack trace: exit 2
 * for a usage or config error, 1 for a port in use.
 */
public final class Main {
  static final int EXIT_LISTEN = 1;
  static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    Options options = optionsOrExit(args);
    switch (options.action()) {
      case HELP -> System.out.print(Options.help());
      case VERSION -> System.out.println("log-router " + Options.version());
      case QUEUE -> System.exit(QueueCommand.run(options.commandArgs(), System.out, System.err));
      case RUN -> {
        ChronicleSettings.apply();
        RouterConfig config = configOrExit(options, Map.of());
        if (config.get(ConfigKeys.DB_URL).isBlank()) {
          fail(EXIT_USAGE, "db.url: (empty): a JDBC URL is required (LOGROUTER_DB_URL=jdbc:mysql://host:3306/logs);"
              + " for a local trial with an embedded MariaDB run: mvn -q test-compile exec:exec");
        }
        run(config);
      }
    }
  }

  /** Parses the command line, or ends the process with one line. */
  static Options optionsOrExit(String[] args) {
    try {
      return Options.parse(args);
    } catch (Options.UsageException e) {
      fail(EXIT_USAGE, e.getMessage());
      return null;
    }
  }

  /**
   * Reads and checks the configuration and that its listeners can bind, or ends the process with
   * one line. Shared by the dev launcher, which adds the embedded database as {@code overrides}.
   */
  static RouterConfig configOrExit(Options options, Map<String, String> overrides) {
    String logFormat = System.getenv("LOGROUTER_LOG_FORMAT");
    if (logFormat != null && !logFormat.equals("text") && !logFormat.equals("json")) {
      // logback.xml picks the appender by this name: any other value would silence every log line.
      fail(EXIT_USAGE, "LOGROUTER_LOG_FORMAT: " + logFormat + ": one of text, json");
    }
    RouterConfig config = null;
    try {
      config = RouterConfig.load(configFile(options), System.getenv(), overrides);
    } catch (ConfigException e) {
      fail(EXIT_USAGE, e.getMessage());
    }
    String host = config.get(ConfigKeys.HTTP_HOST);
    String problem = config.get(ConfigKeys.HTTP_ENABLED) ? ListenCheck.problem(host, config.get(ConfigKeys.HTTP_PORT)) : null;
    if (problem == null && !config.get(ConfigKeys.HTTP_TLS_KEYSTORE).isBlank()) {
      problem = ListenCheck.problem(host, config.get(ConfigKeys.HTTP_TLS_PORT));
    }
    if (problem != null) {
      fail(EXIT_LISTEN, problem);
    }
    return config;
  }

  /** Starts the router and installs the signals; a listener that still cannot bind ends the process. */
  static LogRouter run(RouterConfig config) {
    Logger log = LoggerFactory.getLogger(Main.class);
    LogRouter router;
    try {
      router = LogRouter.start(config);
    } catch (RuntimeException e) {
      if (e instanceof ConfigException) {
        fail(EXIT_USAGE, e.getMessage()); // e.g. a TLS keystore that cannot be loaded: one line, no stack trace
      }
      if (causedBy(e, BindException.class)) {
        // Taken between the check and the bind: same answer as the check.
        fail(EXIT_LISTEN, config.get(ConfigKeys.HTTP_HOST) + ":" + config.get(ConfigKeys.HTTP_PORT)
            + ": cannot listen: " + e.getMessage());
      }
      throw e;
    }
    if (config.get(ConfigKeys.JVM_JIT_IDLE)) {
      CompilerThreads.demoteOwnAfterWarmup();
    }
    Signal.handle(new Signal("TERM"), s -> stopInNonDaemonThread(router));
    Signal.handle(new Signal("INT"), s -> stopInNonDaemonThread(router));
    Signal.handle(new Signal("USR1"), s -> router.flusher().requestFlush()
        .whenComplete((rows, error) -> log.info("SIGUSR1 flush: {}", error == null ? rows + " rows" : error.toString())));
    return router;
  }

  /**
   * The JVM runs a signal handler on a daemon thread: once close() has ended the router's own
   * threads (HTTP, flusher) nothing kept the JVM alive, and it exited with 0 before the handler
   * logged "stopped". A non-daemon thread holds it until System.exit.
   */
  private static void stopInNonDaemonThread(LogRouter router) {
    Thread stop = new Thread(() -> stopAndExit(router), "stop");
    stop.setDaemon(false);
    stop.start();
  }

  private static void stopAndExit(LogRouter router) {
    try {
      router.close();
    } catch (Throwable e) {
      // Still the "stopped" line an operator waits for, with the reason the stop was not clean.
      LoggerFactory.getLogger(Main.class).error("stopped after an error while stopping", e);
    } finally {
      System.out.flush();
      System.exit(0);
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** One line on stderr, then exit: what every user error ends with. */
  static void fail(int exitCode, String line) {
    System.err.println("log-router: " + line);
    System.exit(exitCode);
  }

  private static Path configFile(Options options) {
    Path chosen = options.configFileOr(System.getenv("LOGROUTER_CONFIG"));
    if (chosen != null) {
      return chosen;
    }
    Path local = Path.of("config", "log-router.properties");
    return Files.exists(local) ? local : null;
  }
}
