package io.logrouter.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** One proxied connection: a client socket, its upstream socket and one pump per direction. */
final class TcpProxyLink {
  /** Read size per chunk: 16 KiB holds a typical MySQL batch packet part without many syscalls. */
  private static final int CHUNK = 16 * 1024;

  private final TcpProxy proxy;
  private final Socket client;
  private final long id;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Directions still open; the link closes when both have seen end of stream. */
  private final AtomicInteger openDirections = new AtomicInteger(2);
  /** The last client bytes forwarded, so a pattern split over two chunks still matches. */
  private final byte[] recent = new byte[TcpProxyTrigger.MAX_PATTERN];
  private int recentLength;
  private volatile Socket upstream;
  private volatile boolean tainted;
  /** Set once the server has its last byte: whatever it still answers is discarded. */
  private volatile boolean severed;

  TcpProxyLink(TcpProxy proxy, Socket client, long id) {
    this.proxy = proxy;
    this.client = client;
    this.id = id;
  }

  long id() {
    return id;
  }

  /** Whether bytes were dropped on this link (blackhole), so its streams have holes. */
  boolean tainted() {
    return tainted;
  }

  /** Copy of the recent client bytes; only the client-to-server pump thread calls this. */
  byte[] recentClientBytes() {
    return java.util.Arrays.copyOf(recent, recentLength);
  }

  /** Pumps both directions; called on the link's own thread once upstream is connected. */
  void run(Socket connected) {
    upstream = connected;
    if (closed.get()) { // aborted while connecting: the connect thread must not resurrect it
      reset(connected);
      return;
    }
    try {
      client.setTcpNoDelay(true); // small MySQL packets must not wait for Nagle: it would add latency
      connected.setTcpNoDelay(true);
    } catch (IOException e) {
      abort();
      return;
    }
    Thread back = new Thread(() -> pump(connected, client, false), Thread.currentThread().getName() + "-s2c");
    back.setDaemon(true);
    back.start();
    pump(client, connected, true);
  }

  /** Resets both sockets (RST, not FIN): the abrupt end a crash or a firewall produces. */
  void abort() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    reset(client);
    Socket up = upstream;
    if (up != null) {
      reset(up);
    }
    proxy.unregister(this);
  }

  /** Closes a socket with SO_LINGER 0, so the peer gets a reset instead of an orderly end. */
  static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // already closed: nothing left to reset
    }
    closeQuietly(socket);
  }

  private void pump(Socket from, Socket to, boolean clientToServer) {
    byte[] buffer = new byte[CHUNK];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (!deliver(buffer, n, out, clientToServer)) {
          return;
        }
      }
      endOfStream(to);
    } catch (IOException e) {
      abort(); // a reset or failed write on one side is passed on to the other as a reset
    }
  }

  /** Forwards one chunk under the current faults; false once the link is finished. */
  private boolean deliver(byte[] buffer, int n, OutputStream out, boolean clientToServer)
      throws IOException {
    if (!waitLatency() || !waitThaw() || proxy.mode() == TcpProxy.Mode.CUT) {
      abort();
      return false;
    }
    if (proxy.mode() == TcpProxy.Mode.BLACKHOLE || (severed && !clientToServer)) {
      tainted |= !severed;
      return true; // keep reading so the sender is not blocked, but drop the bytes
    }
    // Counted before the write: once written, the answer may reach the other side (and a test reading the
    // count) before this thread runs again (CI: a test read the count 13 bytes short).
    if (!clientToServer) {
      proxy.forwarded(false, n);
      out.write(buffer, 0, n);
      return true;
    }
    TcpProxyTrigger.Verdict verdict = proxy.inspect(this, buffer, n);
    int forward = verdict.kill() ? verdict.forward() : n;
    // Severed before the server has the last bytes, not after: its answer can come back before this thread
    // runs again, and the other pump would pass it on (CI: a lost 202 arrived anyway).
    if (verdict.kill() && verdict.gracefulToServer()) {
      severed = true;
    }
    proxy.forwarded(true, forward);
    out.write(buffer, 0, forward);
    remember(buffer, forward);
    if (!verdict.kill()) {
      return true;
    }
    if (verdict.gracefulToServer()) {
      sever();
    } else {
      abort();
    }
    return false;
  }

  /**
   * The server gets an orderly end after its last bytes, so it executes them; the client is reset
   * and never sees the answer, which the server-to-client pump now discards.
   */
  private void sever() throws IOException {
    upstream.shutdownOutput();
    reset(client);
  }

  /** Holds the chunk while the proxy is frozen (reading no further); false if the link is torn down meanwhile. */
  private boolean waitThaw() {
    while (proxy.mode() == TcpProxy.Mode.FREEZE) {
      if (closed.get()) {
        return false;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !closed.get();
  }

  /** Sleeps the configured latency; false if interrupted (the link is being torn down). */
  private boolean waitLatency() {
    long nanos = proxy.latencyNanos();
    if (nanos <= 0) {
      return true;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void remember(byte[] buffer, int n) {
    int keep = Math.min(n, recent.length);
    int carry = Math.min(recentLength, recent.length - keep);
    System.arraycopy(recent, recentLength - carry, recent, 0, carry);
    System.arraycopy(buffer, n - keep, recent, carry, keep);
    recentLength = carry + keep;
  }

  /** Passes an orderly end of stream on as a half-close; the second one closes the link. */
  private void endOfStream(Socket to) {
    try {
      if (!to.isClosed()) {
        to.shutdownOutput();
      }
    } catch (IOException ignored) {
      // the peer is gone already; closing below is all that is left
    }
    if (openDirections.decrementAndGet() == 0 || severed) {
      finish();
    }
  }

  private void finish() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeQuietly(client);
    Socket up = upstream;
    if (up != null) {
      closeQuietly(up);
    }
    proxy.unregister(this);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing useful to do: the socket is unusable either way
    }
  }
}
