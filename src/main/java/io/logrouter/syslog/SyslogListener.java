package io.logrouter.syslog;

import io.logrouter.buffer.BacklogGate;
import io.logrouter.threads.RouterThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The syslog listeners on one selector thread: TCP (accept and read every connection, plain or TLS:
 * {@link TcpConnection}) and UDP. Each select round reads at most one buffer per connection (fair
 * between senders) and appends everything read in the round as one queue document ({@link SyslogBatch}).
 *
 * <p>Back-pressure instead of loss: while the backlog gate refuses (backlog limit, disk floor) or an
 * append waits for a retry, no socket is read at all. TCP senders then fill their socket buffers and
 * block; UDP datagrams stay in the kernel's receive buffer, which drops new ones when full (UDP can
 * lose by nature). The gate is polled every {@link #PAUSED_POLL_MS} while paused.
 */
final class SyslogListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyslogListener.class);
  /** The gate re-evaluates every 50 ms; polling it at the same pace costs nothing. */
  private static final long PAUSED_POLL_MS = 50;
  private static final long OVERDUE_CHECK_NANOS = 1_000_000_000L;
  /** Largest UDP payload (65,535 less IP and UDP headers). */
  private static final int MAX_DATAGRAM = 65_507;
  /** Datagrams taken per round before the other channels get their turn. */
  private static final int DATAGRAMS_PER_ROUND = 512;
  private static final int UDP_RECEIVE_BUFFER = 8 << 20;

  private final Selector selector;
  private final ServerSocketChannel tcp;
  private final DatagramChannel udp;
  private final BacklogGate gate;
  private final SyslogBatch batch;
  private final int maxFrame;
  private final TcpConnection.Factory connections;
  private final ByteBuffer datagram = ByteBuffer.allocate(MAX_DATAGRAM);
  private final Thread thread;
  private volatile boolean running = true;
  private boolean paused;
  private long lastOverdueCheckNanos = System.nanoTime();

  /**
   * @param tcpPort 0 = no TCP listener; udpPort likewise
   * @param connections plain TCP or TLS, for every accepted connection
   */
  SyslogListener(String host, int tcpPort, int udpPort, int maxFrame, TcpConnection.Factory connections,
      BacklogGate gate, SyslogBatch batch) {
    this.connections = connections;
    this.gate = gate;
    this.batch = batch;
    this.maxFrame = maxFrame;
    try {
      selector = Selector.open();
      tcp = tcpPort == 0 ? null : ServerSocketChannel.open();
      if (tcp != null) {
        tcp.bind(new InetSocketAddress(host, tcpPort), 1024);
        tcp.configureBlocking(false);
        tcp.register(selector, SelectionKey.OP_ACCEPT);
      }
      udp = udpPort == 0 ? null : DatagramChannel.open();
      if (udp != null) {
        // A burst of datagrams must wait in the kernel while a round is appended: ask for a large
        // buffer (the kernel caps it at net.core.rmem_max); past it datagrams are lost, as UDP does.
        udp.setOption(java.net.StandardSocketOptions.SO_RCVBUF, UDP_RECEIVE_BUFFER);
        udp.bind(new InetSocketAddress(host, udpPort));
        udp.configureBlocking(false);
        udp.register(selector, SelectionKey.OP_READ);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the syslog listener on " + host + " (tcp " + tcpPort + ", udp "
          + udpPort + ")", e);
    }
    thread = RouterThreads.newThread("syslog-listener", this::run, true);
  }

  void start() {
    thread.start();
  }

  /** True when started, not closed and its thread has died (an Error escaped a round). */
  boolean dead() {
    return running && thread.getState() == Thread.State.TERMINATED;
  }

  int tcpPort() {
    return tcp == null ? 0 : tcp.socket().getLocalPort();
  }

  int udpPort() {
    return udp == null ? 0 : udp.socket().getLocalPort();
  }

  private void run() {
    while (running) {
      try {
        round();
      } catch (IOException | RuntimeException e) {
        RouterThreads.failed("syslog listener round", e);
      }
    }
    batch.commit();
  }

  private void round() throws IOException {
    boolean shouldPause = gate.refusal() != null || (batch.pending() && !batch.commit());
    if (shouldPause != paused) {
      paused = shouldPause;
      setReading(!paused);
    }
    selector.select(paused ? PAUSED_POLL_MS : 1000);
    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
    while (keys.hasNext()) {
      SelectionKey key = keys.next();
      keys.remove();
      if (!key.isValid()) {
        continue;
      }
      if (key.isAcceptable()) {
        accept();
      } else if (!paused && key.channel() == udp) {
        readDatagrams();
      } else if (!paused && (key.isReadable() || key.isWritable())) {
        serve(key);
      }
      if (batch.full()) {
        batch.commit();
      }
    }
    batch.commit();
    closeOverdue();
  }

  /** About once a second: closes connections that missed a deadline (a TLS handshake never finished). */
  private void closeOverdue() {
    long now = System.nanoTime();
    if (now - lastOverdueCheckNanos < OVERDUE_CHECK_NANOS) {
      return;
    }
    lastOverdueCheckNanos = now;
    for (SelectionKey key : selector.keys()) {
      if (key.isValid() && key.attachment() instanceof TcpConnection c && c.overdue(now)) {
        key.cancel();
        closeQuietly(key.channel());
      }
    }
  }

  private void accept() throws IOException {
    SocketChannel channel;
    while ((channel = tcp.accept()) != null) {
      channel.configureBlocking(false);
      channel.socket().setKeepAlive(true);
      TcpConnection connection = connections.open(channel);
      channel.register(selector, paused ? 0 : connection.interestOps(), connection);
    }
  }

  private void serve(SelectionKey key) {
    TcpConnection connection = (TcpConnection) key.attachment();
    if (!connection.ready(batch)) {
      key.cancel();
      closeQuietly(key.channel());
    } else if (key.interestOps() != connection.interestOps()) {
      key.interestOps(connection.interestOps());
    }
  }

  private void readDatagrams() throws IOException {
    for (int i = 0; i < DATAGRAMS_PER_ROUND; i++) {
      datagram.clear();
      if (udp.receive(datagram) == null) {
        return;
      }
      int length = Math.min(datagram.position(), maxFrame);
      if (length > 0) {
        batch.frame(datagram.array(), 0, length, datagram.position() > maxFrame);
      }
    }
  }

  private void setReading(boolean reading) {
    for (SelectionKey key : selector.keys()) {
      if (key.isValid() && key.channel() != tcp) {
        int ops = key.channel() == udp ? SelectionKey.OP_READ : ((TcpConnection) key.attachment()).interestOps();
        key.interestOps(reading ? ops : 0);
      }
    }
    if (!reading) {
      LOG.warn("syslog: not reading from senders (TCP back-pressure): {}",
          gate.refusal() != null ? gate.refusal() : "the disk queue cannot be written");
    } else {
      LOG.info("syslog: reading from senders again");
    }
  }

  /** Stops reading: what was read is appended before this returns; open connections are closed. */
  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SelectionKey key : selector.keys()) {
      closeQuietly(key.channel());
    }
    closeQuietly(selector);
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing on shutdown or after the peer left: nothing to do
    }
  }
}
