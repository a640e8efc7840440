package io.logrouter.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Tells before start-up whether the router can listen where it is told to: a port in use must stop
 * the process with one line naming host and port, not a stack trace and a half-started router.
 */
public final class ListenCheck {
  private ListenCheck() {}

  /** @return null when {@code host:port} can be bound (or port is 0), else the line to print */
  public static String problem(String host, int port) {
    if (port == 0) {
      return null;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true); // as Undertow does: a socket in TIME_WAIT is no conflict
      s.bind(new InetSocketAddress(host, port));
      return null;
    } catch (IOException e) {
      return host + ":" + port + ": cannot listen: " + e.getMessage();
    }
  }
}
