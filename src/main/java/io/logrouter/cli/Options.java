package io.logrouter.cli;

import io.logrouter.config.ConfigKey;
import io.logrouter.config.ConfigKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

/**
 * The command line: {@code [--config FILE]} to run the router, {@code --help}, {@code --version},
 * or {@code queue ...} (the offline queue tools). Parsing only; Main acts on the result.
 */
public record Options(Action action, Path configFile, String[] commandArgs) {
  /** What the process does. */
  public enum Action { RUN, HELP, VERSION, QUEUE }

  /** @throws UsageException for an unknown option or a missing value (one line, exit code 2) */
  public static Options parse(String[] args) {
    if (args.length > 0 && args[0].equals("queue")) {
      return new Options(Action.QUEUE, null, Arrays.copyOfRange(args, 1, args.length));
    }
    Path config = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-h", "--help" -> {
          return new Options(Action.HELP, null, new String[0]);
        }
        case "-V", "--version" -> {
          return new Options(Action.VERSION, null, new String[0]);
        }
        case "--config" -> {
          if (i + 1 == args.length) {
            throw new UsageException("--config: needs a file name");
          }
          config = Path.of(args[++i]);
        }
        default -> throw new UsageException(args[i] + ": unknown option; see --help");
      }
    }
    return new Options(Action.RUN, config, new String[0]);
  }

  /** {@code --config}, else {@code LOGROUTER_CONFIG}, else null (Main then tries the default file). */
  public Path configFileOr(String fromEnv) {
    if (configFile != null) {
      return configFile;
    }
    return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
  }

  public static String version() {
    try (InputStream in = Options.class.getResourceAsStream("/io/logrouter/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  public static String help() {
    StringBuilder sb = new StringBuilder();
    sb.append("log-router ").append(version()).append(": HTTP log ingest, durable on local disk, flushed to MySQL exactly once.\n\n");
    sb.append("Usage:\n");
    sb.append("  java -jar log-router.jar [--config FILE]     run the router (SIGTERM/SIGINT stop it, SIGUSR1 flushes)\n");
    sb.append("  java -jar log-router.jar queue verify [--dir D]             check a queue directory offline\n");
    sb.append("  java -jar log-router.jar queue dump --from INDEX --limit N   print queue records offline\n");
    sb.append("  java -jar log-router.jar --help | --version\n\n");
    sb.append("Options:\n");
    sb.append("  --config FILE   properties file (else LOGROUTER_CONFIG, else config/log-router.properties if present)\n");
    sb.append("  -h, --help      this text\n");
    sb.append("  -V, --version   the version\n\n");
    sb.append("Configuration: every key below can be set in the file or by an environment variable: upper case,\n");
    sb.append("dots to underscores, prefix LOGROUTER_ (http.port -> LOGROUTER_HTTP_PORT); the variable wins.\n");
    sb.append("Sizes need a unit (10MB, 512KB, 100B), durations too (30s, 500ms, 5m, 1h). An unknown key or\n");
    sb.append("LOGROUTER_ variable, or a wrong value, stops start-up. Other variables: LOGROUTER_CONFIG,\n");
    sb.append("LOGROUTER_LOG_FORMAT (text|json), LOGROUTER_LOG_LEVEL.\n\n");
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      sb.append(String.format("  %-30s default %s%n", key.name(), key.defaultValue().isEmpty() ? "(empty)" : key.defaultValue()));
    }
    sb.append("\nEach key is documented in config/log-router.properties and the README.\n");
    return sb.toString();
  }

  /** A mistake on the command line; its message is the one line the user sees. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }
}
