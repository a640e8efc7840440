package io.logrouter.syslog;

import io.logrouter.tls.TlsContexts;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * A syslog-over-TLS connection (RFC 5425) driven by an {@link SSLEngine} on the listener's selector
 * thread, never blocking: socket bytes go into {@code netIn}, are unwrapped into {@code plain}, which
 * the frame splitter reads exactly as it reads a plain connection's buffer (octet-counting as RFC 5425
 * asks, or LF framing). Handshake messages the engine wants sent are wrapped into {@code netOut}; when
 * the socket cannot take them all, the connection asks for OP_WRITE and goes on when it may.
 *
 * <p>Every call unwraps every complete record it has read and frames the result at once, so nothing
 * decrypted waits inside the connection while the listener pauses reading (back-pressure): what is
 * left is at most a partial record and a partial frame, both waiting for more bytes. Delegated engine
 * tasks (handshake crypto) run inline: a handshake costs about a millisecond of this thread.
 *
 * <p>A failure (a plain-TCP sender, a refused protocol or suite, a bad record) closes only this
 * connection, after a best-effort alert, and is counted in {@link TlsFailures}.
 */
final class TlsConnection implements TcpConnection {
  /** Socket bytes read per call at most: several TLS records, fewer system calls. */
  private static final int NET_IN_BYTES = 64 << 10;
  /** The first byte of a TLS handshake record (content type 22). */
  private static final byte HANDSHAKE_RECORD = 0x16;
  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

  private final SocketChannel channel;
  private final SSLEngine engine;
  private final TlsFailures failures;
  private final FrameSplitter splitter;
  // All three in fill mode between calls: bytes are [0, position).
  private final ByteBuffer netIn;
  private final ByteBuffer plain;
  private final ByteBuffer netOut;
  private boolean outputWaits;
  private boolean established;
  private boolean firstByteSeen;
  private boolean speaksTls = true;
  private final long handshakeDeadlineNanos;

  /** The factory of TLS connections with one context; the suites are computed once, not per connection. */
  static TcpConnection.Factory factory(SSLContext context, int maxFrame, TlsFailures failures,
      Duration handshakeTimeout) {
    String[] suites = TlsContexts.cipherSuites(context);
    long timeoutNanos = handshakeTimeout.toNanos();
    return channel -> new TlsConnection(channel, TlsContexts.serverEngine(context, suites), maxFrame, failures,
        System.nanoTime() + timeoutNanos);
  }

  TlsConnection(SocketChannel channel, SSLEngine engine, int maxFrame, TlsFailures failures,
      long handshakeDeadlineNanos) {
    this.handshakeDeadlineNanos = handshakeDeadlineNanos;
    this.channel = channel;
    this.engine = engine;
    this.failures = failures;
    this.splitter = new FrameSplitter(maxFrame);
    SSLSession session = engine.getSession();
    netIn = ByteBuffer.allocate(Math.max(NET_IN_BYTES, session.getPacketBufferSize()));
    // Room for a partial frame the splitter keeps plus one whole record: unwrap never overflows.
    plain = ByteBuffer.allocate(FrameSplitter.bufferSizeFor(maxFrame) + session.getApplicationBufferSize());
    netOut = ByteBuffer.allocate(session.getPacketBufferSize());
  }

  @Override
  public boolean ready(FrameSplitter.Sink sink) {
    try {
      if (!flush()) {
        return true;
      }
      int n = read();
      boolean open = pump(sink) && n >= 0;
      if (!open) {
        splitter.splitAndCompact(plain, true, sink); // the peer left: its last bytes are its last frame
      }
      return open;
    } catch (SSLException e) {
      failures.failed(!speaksTls ? TlsFailures.Kind.NOT_TLS
          : established ? TlsFailures.Kind.SESSION : TlsFailures.Kind.HANDSHAKE, peer(), e);
      sendAlert();
      splitter.splitAndCompact(plain, true, sink); // frames decrypted before the bad record are kept
      return false;
    } catch (IOException e) {
      splitter.splitAndCompact(plain, true, sink); // reset by the peer: what was decrypted stays, like a close
      return false;
    }
  }

  @Override
  public boolean overdue(long nowNanos) {
    if (established || nowNanos - handshakeDeadlineNanos < 0) {
      return false;
    }
    failures.failed(TlsFailures.Kind.HANDSHAKE_TIMEOUT, peer(),
        new SSLException("no finished handshake within syslog.tls.handshake.timeout"));
    return true;
  }

  @Override
  public int interestOps() {
    return outputWaits ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
  }

  /** @return bytes read, or -1 at end of stream */
  private int read() throws IOException {
    int n = channel.read(netIn);
    if (!firstByteSeen && netIn.position() > 0) {
      firstByteSeen = true;
      speaksTls = netIn.get(0) == HANDSHAKE_RECORD;
    }
    return n;
  }

  /**
   * Runs the engine until it needs bytes the socket has not given yet, or room the socket has not.
   *
   * @return false when the TLS session is closed (the peer sent close_notify)
   */
  private boolean pump(FrameSplitter.Sink sink) throws IOException {
    while (true) {
      switch (engine.getHandshakeStatus()) {
        case NEED_TASK -> runTasks();
        case NEED_WRAP -> {
          if (!wrap()) {
            return true; // the rest goes when the socket is writable
          }
        }
        default -> {
          SSLEngineResult r = unwrap();
          if (r.bytesProduced() > 0) {
            splitter.splitAndCompact(plain, false, sink);
          }
          switch (r.getStatus()) {
            case BUFFER_UNDERFLOW:
              return true; // a partial record: wait for more bytes
            case CLOSED:
              sendAlert(); // answers the peer's close_notify with ours
              return false;
            case BUFFER_OVERFLOW:
              throw new SSLException("a record larger than the engine's announced application buffer");
            default:
              if (r.bytesConsumed() == 0 && r.bytesProduced() == 0
                  && r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                return true;
              }
          }
        }
      }
    }
  }

  private SSLEngineResult unwrap() throws SSLException {
    netIn.flip();
    try {
      SSLEngineResult r = engine.unwrap(netIn, plain);
      established |= r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED;
      return r;
    } finally {
      netIn.compact();
    }
  }

  /** @return false when output waits for the socket */
  private boolean wrap() throws IOException {
    if (!flush()) {
      return false;
    }
    SSLEngineResult r = engine.wrap(NOTHING, netOut);
    established |= r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED;
    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
      throw new SSLException("a handshake message larger than the engine's announced packet buffer");
    }
    return flush();
  }

  /** Writes what {@code netOut} holds. @return true when it is empty */
  private boolean flush() throws IOException {
    if (netOut.position() > 0) {
      netOut.flip();
      try {
        channel.write(netOut);
      } finally {
        netOut.compact();
      }
    }
    outputWaits = netOut.position() > 0;
    return !outputWaits;
  }

  private void runTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
  }

  /** Sends the engine's alert or close_notify if the socket takes it now; the connection closes either way. */
  private void sendAlert() {
    try {
      engine.closeOutbound();
      while (!engine.isOutboundDone() && flush()) {
        if (engine.wrap(NOTHING, netOut).bytesProduced() == 0) {
          break;
        }
      }
      flush();
    } catch (IOException | RuntimeException e) {
      // best effort: the peer is gone or the engine has nothing left to say
    }
  }

  private SocketAddress peer() {
    try {
      return channel.getRemoteAddress();
    } catch (IOException e) {
      return null;
    }
  }
}
