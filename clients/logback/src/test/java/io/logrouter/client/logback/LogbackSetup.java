package io.logrouter.client.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Configures the test JVM's Logback from a logback.xml text, as an application would. */
final class LogbackSetup {
  private LogbackSetup() {
  }

  /** A logback.xml with one LogRouterAppender named ROUTER; {@code options} become child elements. */
  static LoggerContext configure(String url, Map<String, String> options) {
    return configure("ROUTER", url, options);
  }

  static LoggerContext configure(String name, String url, Map<String, String> options) {
    StringBuilder xml = new StringBuilder("<configuration>\n")
        .append("  <appender name=\"").append(name).append("\" class=\"io.logrouter.client.logback.LogRouterAppender\">\n")
        .append("    <urls>").append(url).append("</urls>\n");
    options.forEach((k, v) -> xml.append("    <").append(k).append('>').append(v).append("</").append(k).append(">\n"));
    xml.append("  </appender>\n  <root level=\"INFO\"><appender-ref ref=\"").append(name).append("\"/></root>\n</configuration>\n");
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    JoranConfigurator j = new JoranConfigurator();
    j.setContext(ctx);
    try {
      j.doConfigure(new ByteArrayInputStream(xml.toString().getBytes(StandardCharsets.UTF_8)));
      ctx.start(); // as Logback's own initializer does; a context not started ignores stop()
    } catch (JoranException e) {
      throw new IllegalStateException(e);
    }
    if (appender(ctx, name) == null || !appender(ctx, name).isStarted()) {
      throw new IllegalStateException("appender not started: " + ctx.getStatusManager().getCopyOfStatusList());
    }
    return ctx;
  }

  static LogRouterAppender appender(LoggerContext ctx) {
    return appender(ctx, "ROUTER");
  }

  static LogRouterAppender appender(LoggerContext ctx, String name) {
    return (LogRouterAppender) ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(name);
  }

  static java.util.List<String> senderThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .filter(t -> t.getName().startsWith("log-router-"))
        .map(t -> t.getName() + " " + t.getState() + " " + java.util.Arrays.toString(t.getStackTrace())).toList();
  }
}
