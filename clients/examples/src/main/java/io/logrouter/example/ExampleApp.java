package io.logrouter.example;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Logs a few events through SLF4J; logback.xml sends them to the router at $LOGROUTER_URL. */
public final class ExampleApp {
  private static final Logger LOG = LoggerFactory.getLogger(ExampleApp.class);

  private ExampleApp() {
  }

  public static void main(String[] args) {
    MDC.put("request_id", "r-42");
    LOG.info("order {} paid", 1001);
    LOG.atWarn().addKeyValue("amount", 12.5).addKeyValue("currency", "EUR").log("refund requested");
    LOG.error("payment failed", new IllegalStateException("card declined"));
    MDC.clear();
    // No explicit flush: the appender's shutdown hook flushes the buffer when main returns.
  }
}
