package io.logrouter.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in router on a real loopback socket: answers {@code POST /log} and, when given a table,
 * stores the events in MySQL the way the router does, optionally losing or duplicating some seqs.
 */
final class FakeRouter implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CANONICAL = Set.of("timestamp", "unix_ts", "level", "source", "message");

    final AtomicLong requests = new AtomicLong();
    final AtomicLong events = new AtomicLong();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private volatile int status = 202;
    private volatile int errorEvery;
    private volatile boolean chunked;
    private volatile long delayMillis;
    private volatile String table;
    private volatile Set<Long> dropSeqs = Set.of();
    private volatile Set<Long> duplicateSeqs = Set.of();

    FakeRouter() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/log", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/log");
    }

    FakeRouter answer(int code) { this.status = code; return this; }
    FakeRouter failEvery(int n) { this.errorEvery = n; return this; }
    FakeRouter chunked() { this.chunked = true; return this; }
    FakeRouter delay(long millis) { this.delayMillis = millis; return this; }
    FakeRouter storeIn(String t) { this.table = t; return this; }
    FakeRouter drop(Long... seqs) { this.dropSeqs = Set.of(seqs); return this; }
    FakeRouter duplicate(Long... seqs) { this.duplicateSeqs = Set.of(seqs); return this; }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long n = requests.incrementAndGet();
            List<JsonNode> batch = parse(exchange);
            events.addAndGet(batch.size());
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            int code = errorEvery > 0 && n % errorEvery == 0 ? 500 : status;
            if (code / 100 == 2 && table != null) {
                store(batch);
            }
            byte[] body = ("{\"accepted\":" + batch.size() + "}").getBytes(StandardCharsets.UTF_8);
            // Length 0 makes the JDK server answer chunked: both framings must be read right.
            exchange.sendResponseHeaders(code, chunked ? 0 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    private static List<JsonNode> parse(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readAllBytes();
        }
        List<JsonNode> out = new ArrayList<>();
        if (String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).contains("ndjson")) {
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        }
        JsonNode root = JSON.readTree(bytes);
        if (root.isArray()) {
            root.forEach(out::add);
        } else {
            out.add(root);
        }
        return out;
    }

    private void store(List<JsonNode> batch) throws SQLException, IOException {
        String sql = "INSERT INTO " + table + " (ts, level, source, message, attributes, received_at, router_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'fake')";
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (JsonNode e : batch) {
                long seq = e.get("seq").asLong();
                if (dropSeqs.contains(seq)) {
                    continue;
                }
                int copies = duplicateSeqs.contains(seq) ? 2 : 1;
                for (int i = 0; i < copies; i++) {
                    bind(ps, e);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static void bind(PreparedStatement ps, JsonNode e) throws SQLException, IOException {
        Instant ts = e.has("timestamp") ? Instant.parse(e.get("timestamp").asText())
                : Instant.ofEpochSecond(e.get("unix_ts").asLong());
        ObjectNode attributes = e.deepCopy();
        attributes.remove(CANONICAL);
        ps.setObject(1, LocalDateTime.ofInstant(ts, ZoneOffset.UTC));
        ps.setString(2, e.has("level") ? e.get("level").asText() : "INFO");
        ps.setString(3, e.has("source") ? e.get("source").asText() : null);
        ps.setString(4, e.has("message") ? e.get("message").asText() : null);
        ps.setString(5, JSON.writeValueAsString(attributes));
        ps.setTimestamp(6, Timestamp.from(Instant.now()));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
