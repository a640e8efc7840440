package io.logrouter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shipped logback.xml, in its own logger context: text by default, JSON lines on request. */
class LogFormatTest {
  private static String logOnce(String format) throws Exception {
    LoggerContext context = new LoggerContext();
    // A context built by hand has no MDC adapter; SLF4J installs one only for the default context.
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    if (format != null) {
      // Context properties win over the environment in ${...}, like LOGROUTER_LOG_FORMAT would.
      context.putProperty("LOGROUTER_LOG_FORMAT", format);
    }
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
      context.getLogger("io.logrouter.Example").info("flushed {} rows \"quoted\"", 42);
    } finally {
      context.stop();
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void jsonFormatWritesOneJsonObjectPerLine() throws Exception {
    String out = logOnce("json").strip();
    assertEquals(1, out.lines().count(), out);
    JsonNode line = new ObjectMapper().readTree(out);
    assertEquals("INFO", line.get("level").asText());
    assertEquals("io.logrouter.Example", line.get("loggerName").asText());
    assertTrue(line.has("formattedMessage"), out);
    assertEquals("flushed 42 rows \"quoted\"", line.get("formattedMessage").asText(), out);
    assertTrue(line.get("timestamp").asLong() > 0);
  }

  @Test
  void textIsTheDefault() throws Exception {
    String out = logOnce(null);
    assertTrue(out.contains(" INFO  [") && out.endsWith("flushed 42 rows \"quoted\"" + System.lineSeparator()), out);
  }
}
