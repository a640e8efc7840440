package io.logrouter.syslog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** A plain-TCP syslog connection: one socket read per call, straight into the frame splitter. */
final class PlainConnection implements TcpConnection {
  private final SocketChannel channel;
  private final ByteBuffer buffer;
  private final FrameSplitter splitter;

  PlainConnection(SocketChannel channel, int maxFrame) {
    this.channel = channel;
    buffer = ByteBuffer.allocate(FrameSplitter.bufferSizeFor(maxFrame));
    splitter = new FrameSplitter(maxFrame);
  }

  @Override
  public boolean ready(FrameSplitter.Sink sink) {
    int n;
    try {
      n = channel.read(buffer);
    } catch (IOException e) {
      n = -1; // reset by the peer: what was read stays, like a close
    }
    boolean end = n < 0;
    splitter.splitAndCompact(buffer, end, sink);
    return !end;
  }

  @Override
  public int interestOps() {
    return SelectionKey.OP_READ;
  }
}
