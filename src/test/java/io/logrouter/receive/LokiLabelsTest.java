package io.logrouter.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.logrouter.event.InvalidEventException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LokiLabelsTest {
  @Test
  void parsesPrometheusLabelSets() throws Exception {
    assertEquals(List.of("app", "web", "msg", "say \"hi\"\\\n"),
        LokiLabels.parse(" {app=\"web\",  msg = \"say \\\"hi\\\"\\\\\\n\"} ", 0));
    assertEquals(List.of(), LokiLabels.parse("{}", 0));
  }

  @Test
  void refusesMalformedLabelSets() {
    for (String bad : new String[] {"", "app=\"x\"", "{app=x}", "{app=\"x\"", "{=\"x\"}", "{a=\"x\" b=\"y\"}",
        "{a=\"x\"} tail", "{a=\"x\\"}) {
      assertThrows(InvalidEventException.class, () -> LokiLabels.parse(bad, 0), bad);
    }
  }
}
