package io.logrouter.syslog;

import java.nio.channels.SocketChannel;

/**
 * One accepted syslog TCP connection as the listener sees it: bytes in, frames out. Plain TCP
 * ({@link PlainConnection}) or TLS ({@link TlsConnection}); the listener does not know which.
 * Listener thread only.
 */
interface TcpConnection {
  /** Makes the connection kind the listener was configured with, for each accepted socket. */
  interface Factory {
    TcpConnection open(SocketChannel channel);
  }

  /**
   * The socket is readable (or writable, when {@link #interestOps} asked for it): moves what it can and
   * hands every complete frame to {@code sink}. Never blocks.
   *
   * @return false when the connection is over (the peer closed it, reset it, or it failed); every frame
   *     received before that has been handed over, and the listener then closes the socket
   */
  boolean ready(FrameSplitter.Sink sink);

  /** The selector interest while the listener reads: OP_READ, plus OP_WRITE while output waits for the socket. */
  int interestOps();

  /**
   * Whether the connection missed a deadline it owed (a TLS handshake not finished in time); the listener
   * then closes it. Checked about once a second.
   */
  default boolean overdue(long nowNanos) {
    return false;
  }
}
