package io.logrouter.client;

import static io.logrouter.client.Clients.awaitTrue;
import static io.logrouter.client.Clients.fast;
import static io.logrouter.client.Clients.log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.logrouter.client.metrics.ClientMeters;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: this module's tests run without it on the classpath (the pom excludes
 * it from the test classpath), so an application without Micrometer is what is tested here.
 */
class WithoutMicrometerTest {

  @Test
  void theClientStartsSendsCountsAndStopsWithoutMicrometerOnTheClasspath() throws Exception {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("io.micrometer.core.instrument.MeterRegistry"),
        "this test must run without Micrometer (see the surefire classpathDependencyExcludes in core/pom.xml)");
    assertFalse(ClientMeters.micrometerAvailable());
    try (StubRouter router = StubRouter.start()) {
      LogRouterClient c = new LogRouterClient(fast(router.url()).set(ClientOption.NAME, "no-micrometer").build(), StatusSink.NONE);
      for (int i = 0; i < 100; i++) {
        log(c, i);
      }
      awaitTrue(() -> c.counters().sentEvents() == 100, 10_000, "100 events sent");
      ObjectName bean = new ObjectName("io.logrouter.client:type=LogRouterClient,name=\"no-micrometer\"");
      assertEquals(100L, ManagementFactory.getPlatformMBeanServer().getAttribute(bean, "SentEvents"),
          "the counters are still there, over JMX");
      c.close();
      assertEquals(100, router.acceptedLines().size());
      assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(bean));
    }
  }
}
