package io.logrouter.client.bench;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import io.logrouter.client.logback.LogRouterAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.appender.HttpAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.Logger;

/**
 * Application-thread cost of {@code log.info("... {}", arg)}: the LogRouterAppender against
 * Logback's AsyncAppender over a FileAppender, and Log4j2's HttpAppender, in one run. The two
 * asynchronous appenders are compared in pairs that lose alike:
 * <ul>
 *   <li>loss-free: {@code logrouter} (overflow=block) and {@code logback-async-file-lossless}
 *       (discardingThreshold=0: blocks when its queue is full);
 *   <li>defaults, which may drop: {@code logrouter-drop} (overflow=drop, counted) and
 *       {@code logback-async-file} (AsyncAppender's default discards TRACE/DEBUG/INFO events, uncounted,
 *       once less than 20 % of its 256-slot queue is free).
 * </ul>
 * Counters printed at tear-down show what the LogRouterAppender sent and dropped.
 */
@State(Scope.Benchmark)
public class AppenderBench {
  @Param({"logrouter", "logrouter-drop", "logback-async-file-lossless", "logback-async-file", "log4j2-http", "logback-floor"})
  public String appender;

  /** The LogRouterAppender's {@code bufferBytes} (its default here); no effect on the others. */
  @Param({"8388608"})
  public String routerBufferBytes;

  private AcceptingServer server;
  private LoggerContext logback;
  private org.apache.logging.log4j.core.LoggerContext log4j;
  private Logger slf4j;
  private org.apache.logging.log4j.Logger log4jLogger;
  private LogRouterAppender router;
  private Path dir;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = new AcceptingServer();
    dir = Files.createTempDirectory("appender-bench");
    switch (appender) {
      case "logrouter", "logrouter-drop" -> {
        logback = newLogbackContext();
        router = new LogRouterAppender();
        router.setContext(logback);
        router.setName("bench");
        router.setUrls(server.url());
        router.setOverflow(appender.equals("logrouter") ? "block" : "drop");
        router.setBufferBytes(routerBufferBytes);
        router.setShutdownHook("false");
        router.start();
        attach(router);
      }
      case "logback-async-file", "logback-async-file-lossless" -> {
        logback = newLogbackContext();
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(logback);
        enc.setPattern("%d{ISO8601} %-5level [%thread] %logger - %msg%n");
        enc.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(logback);
        file.setFile(dir.resolve("bench.log").toString());
        file.setEncoder(enc);
        file.start();
        AsyncAppender async = new AsyncAppender();
        async.setContext(logback);
        async.addAppender(file);
        if (appender.equals("logback-async-file-lossless")) {
          async.setDiscardingThreshold(0); // never discard: block when the queue is full
        }
        async.start();
        attach(async);
      }
      case "logback-floor" -> {
        logback = newLogbackContext();
        FloorAppender floor = new FloorAppender();
        floor.setContext(logback);
        floor.start();
        attach(floor);
      }
      case "log4j2-http" -> {
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.add(b.newAppender("http", "Http").addAttribute("url", server.url())
            .add(b.newLayout("JsonLayout").addAttribute("compact", true).addAttribute("eventEol", true)));
        b.add(b.newRootLogger(org.apache.logging.log4j.Level.INFO).add(b.newAppenderRef("http")));
        log4j = Configurator.initialize(b.build());
        log4jLogger = log4j.getLogger("bench.App");
        HttpAppender.class.getName(); // the appender under test
      }
      default -> throw new IllegalArgumentException(appender);
    }
  }

  /**
   * The floor under every Logback appender here: Logback makes the event and the appender takes
   * what an asynchronous appender must (formatted message, thread name, MDC), then keeps nothing.
   */
  private static final class FloorAppender extends ch.qos.logback.core.UnsynchronizedAppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      event.prepareForDeferredProcessing();
    }
  }

  /** A context as SLF4J's provider sets it up (with an MDC adapter, which both appenders read). */
  private static LoggerContext newLogbackContext() {
    LoggerContext ctx = new LoggerContext();
    ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    return ctx;
  }

  private void attach(ch.qos.logback.core.Appender<ILoggingEvent> a) {
    ch.qos.logback.classic.Logger root = logback.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(ch.qos.logback.classic.Level.INFO);
    root.addAppender(a);
    logback.start();
    slf4j = logback.getLogger("bench.App");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (router != null) {
      var c = router.client().counters();
      System.out.printf("%n[logrouter] sent %d events in %d requests, dropped %d%n", c.sentEvents(), c.sentBatches(), c.droppedTotal());
    }
    if (logback != null) {
      logback.stop();
    }
    if (log4j != null) {
      log4j.stop();
    }
    System.out.printf("[%s] server saw %d requests%n", appender, server.requests.get());
    server.close();
  }

  @Benchmark
  public void logInfo(ThreadArg arg) {
    if (log4jLogger != null) {
      log4jLogger.info("order {} paid", arg.next());
    } else {
      slf4j.info("order {} paid", arg.next());
    }
  }

  /** A per-thread argument, so the call formats a fresh value like real code does. */
  @State(Scope.Thread)
  public static class ThreadArg {
    long n;

    Long next() {
      return ++n; // boxed like any SLF4J argument; small values come from the Long cache
    }
  }

  static final TimeUnit UNIT = TimeUnit.NANOSECONDS;
}
