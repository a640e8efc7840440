package io.logrouter.syslog;

import io.logrouter.buffer.BacklogGate;
import io.logrouter.buffer.EventQueue;
import io.logrouter.config.ConfigKeys;
import io.logrouter.config.RouterConfig;
import io.logrouter.metrics.RouterMetrics;
import io.logrouter.tls.TlsContexts;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * The syslog receivers ({@code syslog.tcp.port}, TLS-only when {@code syslog.tls.keystore} is set;
 * {@code syslog.udp.port}), or nothing when both ports are 0 (the default). Started after the flusher, stopped before the final flush: {@link #close} returns
 * once everything read has been appended to the queue.
 */
public final class SyslogServer implements AutoCloseable {
  /** Largest frame whatever the config says: a round's document must stay far below the queue's cap. */
  static final int MAX_FRAME_CAP = 4 << 20;
  private static final SyslogServer OFF = new SyslogServer(null, "");

  private final SyslogListener listener;
  /** " (TLS)" when the TCP listener speaks TLS, else "". */
  private final String tcpKind;

  private SyslogServer(SyslogListener listener, String tcpKind) {
    this.listener = listener;
    this.tcpKind = tcpKind;
  }

  public static SyslogServer from(RouterConfig config, EventQueue queue, BacklogGate gate, RouterMetrics metrics) {
    int tcpPort = config.get(ConfigKeys.SYSLOG_TCP_PORT);
    int udpPort = config.get(ConfigKeys.SYSLOG_UDP_PORT);
    if (tcpPort == 0 && udpPort == 0) {
      return OFF;
    }
    long maxMessage = config.get(ConfigKeys.EVENT_MAX_MESSAGE_BYTES);
    int maxFrame = (int) Math.min(Math.min(config.get(ConfigKeys.SYSLOG_MAX_MESSAGE_BYTES), maxMessage), MAX_FRAME_CAP);
    SyslogBatch batch = new SyslogBatch(queue, gate, metrics, maxMessage);
    TcpConnection.Factory connections = connections(config, maxFrame, metrics);
    return new SyslogServer(new SyslogListener(config.get(ConfigKeys.SYSLOG_HOST), tcpPort, udpPort, maxFrame,
        connections, gate, batch), connections instanceof PlainConnections ? "" : " (TLS)");
  }

  /** Plain TCP, or TLS when syslog.tls.keystore is set (a bad keystore stops start-up with one line). */
  private static TcpConnection.Factory connections(RouterConfig config, int maxFrame, RouterMetrics metrics) {
    String keystore = config.get(ConfigKeys.SYSLOG_TLS_KEYSTORE);
    if (keystore.isBlank()) {
      return new PlainConnections(maxFrame);
    }
    TlsContexts.refuseClientRenegotiation();
    SSLContext context = TlsContexts.fromPkcs12(ConfigKeys.SYSLOG_TLS_KEYSTORE, ConfigKeys.SYSLOG_TLS_KEYSTORE_PASSWORD,
        Path.of(keystore), config.get(ConfigKeys.SYSLOG_TLS_KEYSTORE_PASSWORD).toCharArray());
    return TlsConnection.factory(context, maxFrame, new TlsFailures(metrics),
        config.get(ConfigKeys.SYSLOG_TLS_HANDSHAKE_TIMEOUT));
  }

  private record PlainConnections(int maxFrame) implements TcpConnection.Factory {
    @Override
    public TcpConnection open(SocketChannel channel) {
      return new PlainConnection(channel, maxFrame);
    }
  }

  public void start() {
    if (listener != null) {
      listener.start();
    }
  }

  /** Why the syslog receivers take nothing (their thread died), or null; /ready reports it. */
  public String notRunningReason() {
    return listener != null && listener.dead()
        ? "the syslog listener thread is not running: syslog senders are not read" : null;
  }

  /** The bound TCP port, or 0 when off. */
  public int tcpPort() {
    return listener == null ? 0 : listener.tcpPort();
  }

  /** The bound UDP port, or 0 when off. */
  public int udpPort() {
    return listener == null ? 0 : listener.udpPort();
  }

  /** A one-line description for the start-up log, or "" when off. */
  public String describe() {
    return listener == null ? "" : "; syslog on tcp " + tcpPort() + tcpKind + ", udp " + udpPort();
  }

  @Override
  public void close() {
    if (listener != null) {
      listener.close();
    }
  }
}
