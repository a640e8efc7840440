package io.logrouter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterConfigTest {
  @Test
  void defaultsMatchTheDocumentedOnes() {
    RouterConfig c = RouterConfig.of(Map.of());
    assertEquals(8080, c.get(ConfigKeys.HTTP_PORT));
    assertEquals(10L << 20, c.get(ConfigKeys.FLUSH_MAX_BYTES));
    assertEquals(Duration.ofSeconds(30), c.get(ConfigKeys.FLUSH_INTERVAL));
    assertEquals(8L << 20, c.get(ConfigKeys.HTTP_MAX_BODY_BYTES));
    assertEquals(Durability.PROCESS, c.get(ConfigKeys.QUEUE_DURABILITY));
    assertTrue(!c.get(ConfigKeys.ROUTER_ID).isBlank(), "router.id defaults to the host name");
  }

  @Test
  void environmentOverridesTheFileAndOverridesWinOverBoth(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("r.properties");
    Files.writeString(file, "http.port=9000\nflush.interval=5s\nqueue.dir=/from/file\n");
    RouterConfig c = RouterConfig.load(file, Map.of("LOGROUTER_HTTP_PORT", "9100", "LOGROUTER_FLUSH_MAX_BYTES", "512KB"),
        Map.of("queue.dir", "/override"));
    assertEquals(9100, c.get(ConfigKeys.HTTP_PORT));
    assertEquals(Duration.ofSeconds(5), c.get(ConfigKeys.FLUSH_INTERVAL));
    assertEquals(512L << 10, c.get(ConfigKeys.FLUSH_MAX_BYTES));
    assertEquals("/override", c.get(ConfigKeys.QUEUE_DIR));
  }

  @Test
  void sizesAndDurationsParseTheirUnits() {
    assertEquals(10L << 20, Values.bytes("10MB"));
    assertEquals(1L << 30, Values.bytes("1gb"));
    assertEquals(123, Values.bytes("123B"));
    assertEquals(0, Values.bytes("0"));
    assertEquals(Duration.ofMillis(500), Values.duration("500ms"));
    assertEquals(Duration.ofMinutes(5), Values.duration("5m"));
    assertEquals(Duration.ZERO, Values.duration("0"));
  }

  @Test
  void aNumberWithoutAUnitIsRefusedNotReadAsMillisecondsOrBytes() {
    assertEquals("flush.interval: 30: a duration with a unit, like 30s, 500ms, 5m or 1h",
        message(() -> RouterConfig.load(null, Map.of("LOGROUTER_FLUSH_INTERVAL", "30"), Map.of())));
    assertEquals("flush.max.bytes: 10: a size with a unit, like 10MB, 512KB or 100B",
        message(() -> RouterConfig.of(Map.of("flush.max.bytes", "10"))));
  }

  @Test
  void aWrongValueStopsStartUpWithKeyValueAndWhatIsAllowed() {
    assertEquals("flush.interval: soon: a duration with a unit, like 30s, 500ms, 5m or 1h",
        message(() -> RouterConfig.of(Map.of("flush.interval", "soon"))));
    assertEquals("http.port: 70000: a port is 0..65535 (0 picks a free one)",
        message(() -> RouterConfig.of(Map.of("http.port", "70000"))));
    assertEquals("queue.durability: sync: one of process, fsync",
        message(() -> RouterConfig.of(Map.of("queue.durability", "sync"))));
    assertEquals("db.pool.size: abc: a whole number > 0", message(() -> RouterConfig.of(Map.of("db.pool.size", "abc"))));
    assertEquals("flush.max.bytes: ten: a size with a unit, like 10MB, 512KB or 100B",
        message(() -> RouterConfig.load(null, Map.of("LOGROUTER_FLUSH_MAX_BYTES", "ten"), Map.of())));
    assertTrue(message(() -> RouterConfig.of(Map.of("queue.roll.cycle", "HOURLYY")))
        .startsWith("queue.roll.cycle: HOURLYY: one of "));
  }

  @Test
  void aMistypedKeyOrVariableStopsStartUpNamingTheNearestKnownOne() {
    assertEquals("flush.intervl: 1s: not a log-router key; did you mean flush.interval?",
        message(() -> RouterConfig.of(Map.of("flush.intervl", "1s"))));
    assertEquals("LOGROUTER_FLUSH_INTERVALL: 1s: not a log-router variable; did you mean LOGROUTER_FLUSH_INTERVAL?",
        message(() -> RouterConfig.load(null, Map.of("LOGROUTER_FLUSH_INTERVALL", "1s"), Map.of())));
    // Variables that are not keys but are read elsewhere are no error.
    RouterConfig.load(null, Map.of("LOGROUTER_LOG_FORMAT", "json", "LOGROUTER_CONFIG", "x",
        "LOGROUTER_TEST_SCHEMA_PREFIX", "t_", "OTHER", "1"), Map.of());
  }

  @Test
  void aMissingConfigFileStopsStartUp(@TempDir Path dir) {
    Path missing = dir.resolve("nonexistent.properties");
    assertEquals("--config: " + missing + ": no such file", message(() -> RouterConfig.load(missing, Map.of(), Map.of())));
  }

  private static String message(org.junit.jupiter.api.function.Executable load) {
    return assertThrows(ConfigException.class, load).getMessage();
  }

  @Test
  void thePropertiesFileDocumentsEveryKeyWithItsDefault() throws IOException {
    Properties props = new Properties();
    try (var in = Files.newBufferedReader(Path.of("config", "log-router.properties"))) {
      props.load(in);
    }
    String text = Files.readString(Path.of("config", "log-router.properties"));
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      assertEquals(key.defaultValue(), props.getProperty(key.name()), key.name() + " documented with its default");
      assertTrue(text.contains("# env: " + key.envName()), key.name() + " names its environment variable");
    }
    assertEquals(ConfigKeys.ALL.size(), props.size(), "no stale keys in the file");
  }

  @Test
  void theReadmeConfigTableListsEveryKeyWithItsDefaultAndVariable() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      String row = "| `" + key.name() + "` | `" + key.defaultValue() + "` | `" + key.envName() + "` |";
      assertTrue(readme.contains(row), "README config table lacks or misstates: " + row);
    }
  }
}
