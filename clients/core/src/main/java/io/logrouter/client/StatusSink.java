package io.logrouter.client;

/**
 * The logging system's own status channel (Logback's status manager, Log4j2's StatusLogger). The
 * client warns there, never through a logger: a warning routed back into the appender would recurse.
 */
@FunctionalInterface
public interface StatusSink {
  /** Writes nowhere: for embedding without a logging system. */
  StatusSink NONE = (message, error) -> { };

  void warn(String message, Throwable error);
}
