package io.logrouter.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on 127.0.0.1 whose faults a test switches at any moment: the network between the
 * router and MySQL, made controllable without Docker or Toxiproxy.
 *
 * <p>Faults: {@link #cut()} (every connection reset, new ones reset at once), {@link #blackhole()}
 * (connections stay up, every byte silently dropped), {@link #setLatency(Duration)} (each forwarded
 * chunk waits), and one-shot kills in the middle of a stream: {@link #dropAfterClientBytes(long)}
 * and {@link #dropOnClientBytes(byte[], KillPoint)}, with {@link #dropOnMysqlCommit(KillPoint)} for the
 * MySQL commit packet. {@link #restore()} removes every fault.
 *
 * <p>Blocking sockets, two daemon threads per connection: a pump blocks in {@code read}, never
 * spins. All methods are thread-safe.
 */
public final class TcpProxy implements AutoCloseable {
  /** Where a content-triggered kill happens relative to the matching bytes. */
  public enum KillPoint {
    /**
     * The server never receives the match in full: both sides are reset before it. For a commit
     * packet: the transaction is rolled back by the server, the client sees an error.
     */
    BEFORE_FORWARD,
    /**
     * The server receives the match, then a clean end of stream, so it executes it; the client is
     * reset and never sees the answer. For a commit packet: committed, but the client cannot know.
     */
    AFTER_FORWARD
  }

  enum Mode { FORWARD, CUT, BLACKHOLE, FREEZE }

  /** The listen backlog; tests open a handful of connections at a time, 50 is the JDK default. */
  private static final int BACKLOG = 50;
  /** Upstream connect limit: the target is local, so 5 s only ever expires if it is down. */
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final Set<TcpProxyLink> links = ConcurrentHashMap.newKeySet();
  private final AtomicReference<TcpProxyTrigger> armed = new AtomicReference<>();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong killed = new AtomicLong();
  private final AtomicLong triggersFired = new AtomicLong();
  private final AtomicLong clientToServerBytes = new AtomicLong();
  private final AtomicLong serverToClientBytes = new AtomicLong();
  private final AtomicLong linkIds = new AtomicLong();
  private volatile Mode mode = Mode.FORWARD;
  /** Set by {@link #dropOnMysqlCommitThenCut}: the armed kill also takes the database away until restore. */
  private volatile boolean cutWhenFired;
  /** Set by {@link #freezeOnClientBytes}: the armed trigger freezes the proxy instead of killing a link. */
  private volatile boolean freezeWhenFired;
  private volatile long latencyNanos;
  private volatile boolean closed;

  private TcpProxy(InetSocketAddress target, ServerSocket listener) {
    this.target = target;
    this.listener = listener;
  }

  /** Starts a proxy on an ephemeral port of 127.0.0.1 that forwards to {@code host:port}. */
  public static TcpProxy start(String host, int port) {
    Objects.requireNonNull(host, "host");
    try {
      ServerSocket listener = new ServerSocket(0, BACKLOG, InetAddress.getLoopbackAddress());
      TcpProxy proxy = new TcpProxy(new InetSocketAddress(host, port), listener);
      Thread acceptor = new Thread(proxy::acceptLoop, "tcp-proxy-" + listener.getLocalPort() + "-accept");
      acceptor.setDaemon(true);
      acceptor.start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open proxy listener", e);
    }
  }

  /** The local port clients connect to. */
  public int port() {
    return listener.getLocalPort();
  }

  /**
   * Resets every open connection and every new one until {@link #restore()}: what a client sees
   * when the database host dies or a firewall rejects it.
   */
  public void cut() {
    mode = Mode.CUT;
    killed.addAndGet(abortAll());
  }

  /**
   * Keeps connections (old and new) open but drops every byte both ways: a partition, or a commit
   * whose answer never arrives. Only a client-side timeout ends the wait.
   */
  public void blackhole() {
    mode = Mode.BLACKHOLE;
  }

  /**
   * Stops moving bytes, both ways, and loses none: connections stay open, and a sender blocks once the
   * socket buffers between it and the proxy are full. A server that stopped reading (waiting on a full
   * disk), or a partition TCP keeps retransmitting through. {@link #restore()} moves the held bytes on.
   */
  public void freeze() {
    mode = Mode.FREEZE;
  }

  /**
   * Arms a one-shot {@link #freeze()} on the first client-to-server occurrence of {@code pattern}: the chunk
   * holding it is forwarded, nothing after it until {@link #restore()}. Replaces any armed kill.
   */
  public void freezeOnClientBytes(byte[] pattern) {
    cutWhenFired = false;
    freezeWhenFired = true;
    armed.set(TcpProxyTrigger.onPattern(pattern, KillPoint.AFTER_FORWARD, false));
  }

  /**
   * The receive buffer of connections accepted from now on: with a small one (and a small send buffer on
   * the client) a sender blocks soon after a {@link #freeze()}, as it would on a real network, instead of
   * after the megabytes a loopback socket buffers.
   */
  public void receiveBuffer(int bytes) {
    try {
      listener.setReceiveBufferSize(bytes);
    } catch (java.net.SocketException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Removes every fault: forwarding resumes, latency goes back to zero and armed kills are
   * disarmed. Connections that lost bytes in a blackhole are reset: their streams have holes, so
   * no protocol could continue on them (a real TCP stack would have reset them too).
   */
  public void restore() {
    mode = Mode.FORWARD;
    latencyNanos = 0;
    armed.set(null);
    cutWhenFired = false;
    freezeWhenFired = false;
    for (TcpProxyLink link : List.copyOf(links)) {
      if (link.tainted()) {
        link.abort();
        killed.incrementAndGet();
      }
    }
  }

  /** Delays every forwarded chunk, in both directions, by {@code latency} (zero turns it off). */
  public void setLatency(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("negative latency: " + latency);
    }
    latencyNanos = latency.toNanos();
  }

  /**
   * Arms a one-shot kill: once {@code n} more bytes went client to server (over all connections),
   * the connection carrying the n-th byte is reset on both sides and nothing after it is forwarded.
   * Replaces any armed kill.
   */
  public void dropAfterClientBytes(long n) {
    freezeWhenFired = false;
    armed.set(TcpProxyTrigger.afterBytes(n));
  }

  /**
   * Arms a one-shot kill on the first client-to-server occurrence of {@code pattern} (matched across
   * chunk boundaries, at most {@link TcpProxyTrigger#MAX_PATTERN} bytes). Replaces any armed kill.
   * The stream must be plain text for a match: use {@code sslMode=DISABLED} on MySQL URLs.
   */
  public void dropOnClientBytes(byte[] pattern, KillPoint point) {
    freezeWhenFired = false;
    armed.set(TcpProxyTrigger.onPattern(pattern, point, false));
  }

  /**
   * Arms a one-shot kill on the next MySQL {@code commit} statement packet, in any letter case
   * (Connector/J 26 sends {@code COMMIT}). Needs a plain-text stream: {@code sslMode=DISABLED}.
   */
  public void dropOnMysqlCommit(KillPoint point) {
    cutWhenFired = false;
    freezeWhenFired = false;
    armed.set(TcpProxyTrigger.onPattern(mysqlQueryPacket("commit"), point, true));
  }

  /**
   * Like {@link #dropOnMysqlCommit}, and when it fires the database stays unreachable (every other
   * connection reset, new ones refused) until {@link #restore()}: a commit whose answer is lost, then
   * an outage, so the client cannot ask how the commit ended before it must decide what to do next.
   */
  public void dropOnMysqlCommitThenCut(KillPoint point) {
    dropOnMysqlCommit(point);
    cutWhenFired = true;
  }

  /** Whether a kill is armed and has not fired yet. */
  public boolean killArmed() {
    return armed.get() != null;
  }

  /**
   * The whole MySQL wire packet of a text query (3-byte little-endian length, sequence 0,
   * COM_QUERY), e.g. {@code mysqlQueryPacket("COMMIT")}, which is what Connector/J 26 sends for
   * {@code Connection.commit()}. Matching the header too keeps the word inside row data from
   * firing the kill.
   */
  public static byte[] mysqlQueryPacket(String sql) {
    byte[] text = sql.getBytes(StandardCharsets.UTF_8);
    int payload = text.length + 1; // + the command byte
    byte[] packet = new byte[4 + payload];
    packet[0] = (byte) payload;
    packet[1] = (byte) (payload >>> 8);
    packet[2] = (byte) (payload >>> 16);
    packet[3] = 0; // sequence id: a command always starts a new sequence
    packet[4] = 0x03; // COM_QUERY
    System.arraycopy(text, 0, packet, 5, text.length);
    return packet;
  }

  /** Connections accepted while forwarding or blackholed. */
  public long connectionsAccepted() {
    return accepted.get();
  }

  /** Connections reset at accept time because the proxy was cut (or the target was down). */
  public long connectionsRefused() {
    return refused.get();
  }

  /** Connections currently open through the proxy. */
  public int openConnections() {
    return links.size();
  }

  /** Established connections reset by a fault: cut, armed kill, or restore after a blackhole. */
  public long connectionsKilled() {
    return killed.get();
  }

  /** How many armed kills have fired. */
  public long killsFired() {
    return triggersFired.get();
  }

  /** Bytes forwarded (not dropped) from clients to the target. */
  public long bytesClientToServer() {
    return clientToServerBytes.get();
  }

  /** Bytes forwarded (not dropped) from the target to clients. */
  public long bytesServerToClient() {
    return serverToClientBytes.get();
  }

  /** Stops listening and resets every connection. */
  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing is best effort: the acceptor exits on the resulting SocketException anyway
    }
    abortAll();
  }

  // --- package-private hooks for TcpProxyLink ---

  Mode mode() {
    return mode;
  }

  long latencyNanos() {
    return latencyNanos;
  }

  /** The armed trigger's verdict on a client chunk; fires at most once over all connections. */
  TcpProxyTrigger.Verdict inspect(TcpProxyLink link, byte[] chunk, int length) {
    TcpProxyTrigger trigger = armed.get();
    if (trigger == null) {
      return TcpProxyTrigger.Verdict.PASS;
    }
    TcpProxyTrigger.Verdict verdict = trigger.inspect(link.recentClientBytes(), chunk, length);
    if (verdict.kill() && armed.compareAndSet(trigger, null)) {
      triggersFired.incrementAndGet();
      if (freezeWhenFired) {
        mode = Mode.FREEZE; // this chunk goes on whole; the link holds the next one
        return TcpProxyTrigger.Verdict.PASS;
      }
      killed.incrementAndGet();
      if (cutWhenFired) {
        mode = Mode.CUT;
        for (TcpProxyLink other : List.copyOf(links)) {
          if (other != link) { // the firing link itself ends as the kill point says
            other.abort();
            killed.incrementAndGet();
          }
        }
      }
      return verdict;
    }
    return verdict.kill() ? TcpProxyTrigger.Verdict.PASS : verdict;
  }

  void forwarded(boolean clientToServer, int n) {
    (clientToServer ? clientToServerBytes : serverToClientBytes).addAndGet(n);
  }

  void unregister(TcpProxyLink link) {
    links.remove(link);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (SocketException e) {
        return; // the listener was closed by close()
      } catch (IOException e) {
        continue; // a failed handshake of one client must not stop the proxy
      }
      admit(client);
    }
  }

  private void admit(Socket client) {
    if (closed || mode == Mode.CUT) {
      refused.incrementAndGet();
      TcpProxyLink.reset(client);
      return;
    }
    accepted.incrementAndGet();
    TcpProxyLink link = new TcpProxyLink(this, client, linkIds.incrementAndGet());
    links.add(link);
    if (mode == Mode.CUT || closed) { // a cut() that raced with this accept must still reach it
      link.abort();
      return;
    }
    Thread connector = new Thread(() -> connect(link), "tcp-proxy-" + port() + "-link-" + link.id());
    connector.setDaemon(true);
    connector.start();
  }

  private void connect(TcpProxyLink link) {
    Socket upstream = new Socket();
    try {
      upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
    } catch (IOException e) {
      TcpProxyLink.reset(upstream);
      refused.incrementAndGet();
      link.abort();
      return;
    }
    link.run(upstream);
  }

  /** Resets every open connection; returns how many there were. */
  private int abortAll() {
    List<TcpProxyLink> open = new ArrayList<>(links);
    for (TcpProxyLink link : open) {
      link.abort();
    }
    return open.size();
  }
}
