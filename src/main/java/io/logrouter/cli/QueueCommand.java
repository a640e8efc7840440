package io.logrouter.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.logrouter.buffer.Batch;
import io.logrouter.buffer.DamagedDocument;
import io.logrouter.buffer.QueueInspector;
import io.logrouter.config.ConfigException;
import io.logrouter.config.ConfigKeys;
import io.logrouter.config.RouterConfig;
import io.logrouter.event.LogEvent;
import io.logrouter.event.Timestamps;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code log-router queue verify|dump ...}: offline inspection of a queue directory (stop the router
 * first, or point at a copy). {@code verify} prints per cycle file the documents, events, bytes and
 * every damaged document, and the committed index when a database is configured; {@code dump} prints
 * documents as NDJSON.
 */
public final class QueueCommand {
  static final String USAGE = String.join("\n",
      "usage: log-router queue verify [--dir DIR] [--config FILE]",
      "       log-router queue dump --from INDEX [--limit N] [--dir DIR] [--config FILE]",
      "  DIR defaults to queue.dir of the configuration; INDEX is decimal or 0x-hexadecimal (as in the logs);",
      "  dump prints documents from INDEX on (default limit 100). verify exits 0 when clean, 1 when damaged.");
  private static final JsonFactory JSON = new JsonFactory();

  private QueueCommand() {}

  /** @return the process exit code: 0 clean, 1 damage found, 2 usage error */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options = new HashMap<>();
    String action = args.length == 0 ? "" : args[0];
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        err.println("log-router queue: unexpected argument " + args[i] + "\n" + USAGE);
        return 2;
      }
      options.put(args[i].substring(2), args[++i]);
    }
    try {
      RouterConfig config = RouterConfig.load(configFile(options.get("config")), System.getenv(), Map.of());
      Path dir = Path.of(options.getOrDefault("dir", config.get(ConfigKeys.QUEUE_DIR)));
      switch (action) {
        case "verify":
          return verify(dir, config, out);
        case "dump":
          if (!options.containsKey("from")) {
            err.println("log-router queue dump: --from INDEX is required\n" + USAGE);
            return 2;
          }
          return dump(dir, config, parseIndex(options.get("from")), Long.parseLong(options.getOrDefault("limit", "100")), out);
        default:
          err.println(USAGE);
          return 2;
      }
    } catch (ConfigException | IllegalArgumentException e) {
      err.println("log-router queue: " + e.getMessage());
      return 2;
    }
  }

  private static int verify(Path dir, RouterConfig config, PrintStream out) {
    long damaged = 0;
    long start = System.nanoTime();
    long bytes = 0;
    try (QueueInspector queue = QueueInspector.open(dir, config.get(ConfigKeys.QUEUE_ROLL_CYCLE))) {
      out.println("queue " + dir.toAbsolutePath());
      Map<Integer, QueueInspector.CycleReport> cycles;
      try {
        cycles = queue.verify();
      } catch (RuntimeException | InternalError e) {
        // Read-only, a file shorter than Chronicle maps it (truncated) faults where the JVM notices.
        out.println("DAMAGED: the queue cannot be read to its end (" + e + "); a truncated cycle file? "
            + "The router itself reads on past such damage and reports it in logs_rejected.");
        return 1;
      }
      for (QueueInspector.CycleReport r : cycles.values()) {
        out.printf("%s: %d documents, %d events, %d bytes, %d damaged%n", r.file, r.documents, r.events, r.bytes,
            r.damaged.size());
        for (DamagedDocument d : r.damaged) {
          out.printf("  DAMAGED index %s (%s bytes): %s%n", QueueInspector.hex(d.index()),
              d.bytes() < 0 ? "unknown" : Long.toString(d.bytes()), d.reason());
        }
        damaged += r.damaged.size();
        bytes += r.bytes;
      }
    }
    out.println(committedLine(config));
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf("%s: %d damaged documents; read %d bytes in %.2f s%n", damaged == 0 ? "clean" : "DAMAGED", damaged,
        bytes, seconds);
    return damaged == 0 ? 0 : 1;
  }

  private static int dump(Path dir, RouterConfig config, long from, long limit, PrintStream out) {
    long[] printed = {0};
    try (QueueInspector queue = QueueInspector.open(dir, config.get(ConfigKeys.QUEUE_ROLL_CYCLE))) {
      queue.dump(from - 1, limit, batch -> {
        for (String line : documentLines(queue, batch)) {
          if (printed[0]++ < limit) {
            out.println(line);
          }
        }
      });
    }
    return 0;
  }

  /** One NDJSON line per document of the batch, damaged ones included, in index order. */
  private static List<String> documentLines(QueueInspector queue, Batch batch) {
    Map<Long, String> lines = new java.util.TreeMap<>();
    QueueInspector.byDocument(batch).forEach((index, events) -> lines.put(index, json(g -> {
      header(g, queue, index);
      g.writeArrayFieldStart("events");
      for (LogEvent e : events) {
        event(g, e);
      }
      g.writeEndArray();
    })));
    for (DamagedDocument d : batch.damaged()) {
      lines.put(d.index(), json(g -> {
        header(g, queue, d.index());
        g.writeStringField("damaged", d.reason());
        g.writeNumberField("bytes", d.bytes());
      }));
    }
    return new ArrayList<>(lines.values());
  }

  private static void header(JsonGenerator g, QueueInspector queue, long index) throws IOException {
    g.writeNumberField("index", index);
    g.writeStringField("index_hex", QueueInspector.hex(index));
    g.writeNumberField("cycle", queue.cycleOf(index));
  }

  private static void event(JsonGenerator g, LogEvent e) throws IOException {
    g.writeStartObject();
    g.writeStringField("timestamp", Timestamps.format(e.tsMicros()));
    g.writeStringField("received_at", Timestamps.format(e.receivedMicros()));
    g.writeStringField("level", e.level());
    g.writeStringField("source", e.source());
    g.writeStringField("message", e.message());
    g.writeFieldName("attributes");
    g.writeRawValue(e.attributes());
    g.writeEndObject();
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private static String json(Fields fields) {
    java.io.StringWriter w = new java.io.StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static String committedLine(RouterConfig config) {
    String url = config.get(ConfigKeys.DB_URL);
    String routerId = config.get(ConfigKeys.ROUTER_ID);
    if (url.isBlank()) {
      return "committed index: unknown (no db.url configured)";
    }
    DriverManager.setLoginTimeout(5);
    try (Connection c = DriverManager.getConnection(url, config.get(ConfigKeys.DB_USER), config.get(ConfigKeys.DB_PASSWORD));
        PreparedStatement ps = c.prepareStatement(
            "SELECT lane, last_index FROM router_offsets WHERE router_id = ? ORDER BY lane")) {
      ps.setString(1, routerId);
      StringBuilder lanes = new StringBuilder();
      int count = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          lanes.append(count++ == 0 ? "" : ", ").append("lane ").append(rs.getInt(1)).append(' ')
              .append(rs.getLong(2) < 0 ? "none" : QueueInspector.hex(rs.getLong(2)));
        }
      }
      // One lane (the default) prints just its index; flush lanes each commit their own share of the queue.
      String text = count == 0 ? "none (nothing committed yet)" : count == 1 ? lanes.substring("lane 0 ".length()) : lanes.toString();
      return "committed index of router " + routerId + ": " + text;
    } catch (SQLException e) {
      return "committed index of router " + routerId + ": unknown (" + e.getMessage() + ")";
    }
  }

  static long parseIndex(String text) {
    try {
      return text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--from " + text + ": a queue index, decimal or 0x-hexadecimal");
    }
  }

  private static Path configFile(String option) {
    if (option != null) {
      Path p = Path.of(option);
      if (!Files.exists(p)) {
        throw new IllegalArgumentException("--config " + option + ": no such file");
      }
      return p;
    }
    String fromEnv = System.getenv("LOGROUTER_CONFIG");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    Path local = Path.of("config", "log-router.properties");
    return Files.exists(local) ? local : null;
  }
}
