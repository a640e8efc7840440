package io.logrouter.client.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP endpoint that reads each request and answers 202, standing in for the router in the
 * application-thread benchmarks (which measure the logging call, not the router). Same JVM.
 */
final class AcceptingServer implements AutoCloseable {
  private final HttpServer server;
  final AtomicLong requests = new AtomicLong();

  AcceptingServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", ex -> {
      ex.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
      requests.incrementAndGet();
      ex.sendResponseHeaders(202, -1);
      ex.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/log";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
