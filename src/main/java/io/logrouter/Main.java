package io.logrouter;

import io.logrouter.config.ConfigException;
import io.logrouter.config.ConfigKeys;
import io.logrouter.config.RouterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Entry point: reads the config ({@code --config FILE}, else {@code LOGROUTER_CONFIG}, else
 * {@code config/log-router.properties} when present), starts the router and installs signals:
 * SIGTERM/SIGINT stop gracefully and exit 0, SIGUSR1 flushes now.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("queue")) {
      System.exit(io.logrouter.cli.QueueCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out,
          System.err));
    }
    String logFormat = System.getenv("LOGROUTER_LOG_FORMAT");
    if (logFormat != null && !logFormat.equals("text") && !logFormat.equals("json")) {
      // logback.xml picks the appender by this name: any other value would silence every log line.
      System.err.println("log-router: LOGROUTER_LOG_FORMAT=" + logFormat + ": use text or json");
      System.exit(2);
    }
    ChronicleSettings.apply();
    Map<String, String> overrides = Map.of();
    run(args, overrides);
  }

  /** Shared by the dev launcher, which adds the embedded database's URL as an override. */
  static LogRouter run(String[] args, Map<String, String> overrides) {
    Logger log = LoggerFactory.getLogger(Main.class);
    RouterConfig config;
    try {
      config = RouterConfig.load(configFile(args), System.getenv(), overrides);
    } catch (ConfigException e) {
      System.err.println("log-router: configuration error: " + e.getMessage());
      System.exit(2);
      return null;
    }
    if (config.get(ConfigKeys.DB_URL).isBlank()) {
      System.err.println("log-router: db.url is not set (LOGROUTER_DB_URL). For a local trial with an embedded "
          + "MariaDB run: mvn -q test-compile exec:exec");
      System.exit(2);
    }
    LogRouter router = LogRouter.start(config);
    Signal.handle(new Signal("TERM"), s -> stopAndExit(router));
    Signal.handle(new Signal("INT"), s -> stopAndExit(router));
    Signal.handle(new Signal("USR1"), s -> router.flusher().requestFlush()
        .whenComplete((rows, error) -> log.info("SIGUSR1 flush: {}", error == null ? rows + " rows" : error.toString())));
    return router;
  }

  private static void stopAndExit(LogRouter router) {
    router.close();
    System.exit(0);
  }

  private static Path configFile(String[] args) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--config")) {
        return Path.of(args[i + 1]);
      }
    }
    String fromEnv = System.getenv("LOGROUTER_CONFIG");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    Path local = Path.of("config", "log-router.properties");
    return Files.exists(local) ? local : null;
  }
}
