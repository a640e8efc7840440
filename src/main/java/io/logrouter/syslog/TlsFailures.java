package io.logrouter.syslog;

import io.logrouter.metrics.RouterMetrics;
import io.micrometer.core.instrument.Counter;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syslog-over-TLS connections that failed, by kind: each one is counted
 * ({@code logrouter_syslog_tls_failures_total{kind}}), and each kind is logged as one ERROR line at most
 * once a minute, so a flood of bad clients (a port scanner, a sender configured for plain TCP) is a few
 * lines, not one per connection. Listener thread only.
 */
final class TlsFailures {
  private static final Logger LOG = LoggerFactory.getLogger(TlsFailures.class);
  private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

  /** How a connection failed. */
  enum Kind {
    /** The first bytes were not a TLS record: a plain-TCP sender on the TLS port. */
    NOT_TLS("not_tls", "spoke no TLS (a sender configured for plain TCP?)"),
    /** Refused during the handshake: an old protocol, no common cipher suite, an untrusted peer. */
    HANDSHAKE("handshake", "failed its TLS handshake"),
    /** No finished handshake by syslog.tls.handshake.timeout: a silent or stalled peer. */
    HANDSHAKE_TIMEOUT("handshake_timeout", "did not finish its TLS handshake in time"),
    /** A bad record after the handshake (tampered, or a refused renegotiation). */
    SESSION("session", "broke its TLS session");

    final String tag;
    final String what;

    Kind(String tag, String what) {
      this.tag = tag;
      this.what = what;
    }
  }

  private final Counter[] counters = new Counter[Kind.values().length];
  private final long[] lastLogNanos = new long[Kind.values().length];
  private final long[] unlogged = new long[Kind.values().length];
  private final boolean[] logged = new boolean[Kind.values().length];

  TlsFailures(RouterMetrics metrics) {
    for (Kind kind : Kind.values()) {
      counters[kind.ordinal()] = metrics.counter("logrouter.syslog.tls.failures",
          "Syslog TLS connections closed because they failed", "kind", kind.tag);
    }
  }

  void failed(Kind kind, SocketAddress peer, Exception cause) {
    int k = kind.ordinal();
    counters[k].increment();
    long now = System.nanoTime();
    if (logged[k] && now - lastLogNanos[k] < LOG_INTERVAL_NANOS) {
      unlogged[k]++;
      return;
    }
    LOG.error("syslog: a TLS connection from {} {} and was closed: {}{}; such failures are counted in "
            + "logrouter_syslog_tls_failures_total{kind=\"{}\"} and logged at most once a minute",
        peer, kind.what, cause.getMessage(), unlogged[k] > 0 ? " (" + unlogged[k] + " more since the last line)" : "",
        kind.tag);
    logged[k] = true;
    lastLogNanos[k] = now;
    unlogged[k] = 0;
  }
}
