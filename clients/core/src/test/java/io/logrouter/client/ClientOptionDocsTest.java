package io.logrouter.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's option table lists exactly the options ClientOption defines, with their defaults. */
class ClientOptionDocsTest {
  @Test
  void readmeTableMatchesClientOption() throws Exception {
    Path readme = Path.of("../../README.md");
    assertTrue(Files.exists(readme), "README.md at the repository root");
    String text = Files.readString(readme);
    String section = text.substring(text.indexOf("## Java client"));
    section = section.substring(0, section.indexOf("\n## ", 3));
    List<String> documented = new ArrayList<>();
    for (String line : section.split("\n")) {
      if (line.startsWith("| `") && line.split("\\|").length >= 4) {
        String[] cells = line.split("\\|");
        String key = cells[1].trim().replace("`", "");
        if (key.startsWith("log-router-")) {
          continue; // the coordinates table
        }
        documented.add(key);
        ClientOption o = ClientOption.byKey(key);
        String def = cells[2].trim();
        assertEquals(o.defaultValue().isEmpty() ? "(empty)" : "`" + o.defaultValue() + "`", def, "default of " + key);
      }
    }
    List<String> defined = new ArrayList<>();
    for (ClientOption o : ClientOption.values()) {
      defined.add(o.key());
    }
    assertEquals(defined, documented, "README option table vs ClientOption");
  }

  @Test
  void defaultsParse() {
    ClientConfig c = ClientConfig.defaults();
    assertEquals(Overflow.DROP, c.overflow());
    assertEquals("http://127.0.0.1:8080/log", c.urls().get(0).toString());
    assertEquals(8 * 1024 * 1024, c.bufferBytes());
  }
}
