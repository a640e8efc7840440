package io.logrouter.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** What the router logs (every logger, through the root) while this is open: for asserting on ERROR lines. */
public final class CapturedLogs implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public CapturedLogs() {
    appender.start();
    root.addAppender(appender);
  }

  /** The events logged at {@code level} so far; the appender appends under its own lock. */
  public List<ILoggingEvent> at(Level level) {
    synchronized (appender) {
      return appender.list.stream().filter(e -> e.getLevel() == level).collect(Collectors.toList());
    }
  }

  /** Whether a line at {@code level} contains {@code text}. */
  public boolean has(Level level, String text) {
    return at(level).stream().anyMatch(e -> e.getFormattedMessage().contains(text));
  }

  @Override
  public void close() {
    root.detachAppender(appender);
  }
}
