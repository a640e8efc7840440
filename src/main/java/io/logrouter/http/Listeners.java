package io.logrouter.http;

import io.logrouter.config.ConfigKeys;
import io.logrouter.tls.TlsContexts;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.net.ssl.SSLContext;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * Builds the Undertow server: a plain-HTTP listener unless {@code http.enabled=false}, an HTTPS
 * listener with HTTP/2 (ALPN) when a keystore is configured, and the timeouts that keep slow
 * clients from holding connections forever.
 *
 * <p>Slowloris: Undertow's IO threads never block on a socket, so a trickling client costs a
 * connection and a buffer, not a thread; {@code REQUEST_PARSE_TIMEOUT} closes a connection whose
 * headers are not complete in time, {@code IDLE_TIMEOUT} one on which no byte moves (a stalled
 * body), and {@link BodyReader} one whose body is still trickling in after http.request.body.timeout or
 * slower than http.request.body.min.rate.
 * http.max.connections caps the connections held at once.
 */
final class Listeners {
  /** Connections the kernel may queue before Undertow accepts them: absorbs bursts of new clients. */
  private static final int ACCEPT_BACKLOG = 1024;
  /**
   * Undertow's read and write buffers. Undertow sizes them from the max heap: 16 KB above 128 MB, 1 KB below it,
   * which the shipped settings (-Xmx96m) fall under. At 1 KB a 220 KB NDJSON body took ~215 socket reads, and
   * reading was a third of the router's ingest CPU; 4 KB cut its CPU per NDJSON event by about a fifth, 16 KB
   * only a few percent more (BENCHMARKS.md, issue 13, session 17). A connection whose headers trickle in
   * holds a buffer: at http.max.connections (10,000) that is 40 MB of direct memory, inside the JVM's default
   * direct-memory limit (the max heap) where 16 KB buffers would not be.
   */
  private static final int BUFFER_BYTES = 4096;

  private Listeners() {}

  /**
   * The IO and worker threads, made here rather than by Undertow so that the start-up warm-up's scratch server
   * can run on the router's own ({@code io.logrouter.warmup}): stopping a server that owns its worker ends its
   * threads' loops, paths HotSpot had not compiled for, and it discarded compiled request-path code there. Made
   * as Undertow 2.4 makes its own: IO threads as configured (default max(cores, 2)), eight worker threads per
   * core (at least 16), TCP_NODELAY and CORK.
   */
  static XnioWorker worker(HttpSettings s) {
    int defaultIo = Math.max(Runtime.getRuntime().availableProcessors(), 2);
    try {
      return Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
          .set(Options.WORKER_IO_THREADS, s.ioThreads() > 0 ? s.ioThreads() : defaultIo)
          .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
          .set(Options.CONNECTION_LOW_WATER, 1_000_000)
          .set(Options.WORKER_TASK_CORE_THREADS, defaultIo * 8)
          .set(Options.WORKER_TASK_MAX_THREADS, defaultIo * 8)
          .set(Options.TCP_NODELAY, true)
          .set(Options.CORK, true)
          .getMap());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the HTTP threads", e);
    }
  }

  /** The server on {@code worker}; stopping it closes its listeners, not the worker. */
  static Undertow build(HttpSettings s, HttpHandler root, XnioWorker worker) {
    int idleMillis = (int) Math.min(Integer.MAX_VALUE, s.idleTimeout().toMillis());
    Undertow.Builder builder = Undertow.builder()
        .setWorker(worker)
        .setHandler(root)
        .setBufferSize(BUFFER_BYTES)
        .setDirectBuffers(true)
        .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT,
            (int) Math.min(Integer.MAX_VALUE, s.requestParseTimeout().toMillis()))
        // Between requests on a keep-alive connection.
        .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, idleMillis)
        // No byte read or written for this long, also mid-request (a body that stopped arriving).
        .setServerOption(UndertowOptions.IDLE_TIMEOUT, idleMillis)
        .setSocketOption(Options.BACKLOG, ACCEPT_BACKLOG)
        // XNIO stops accepting at this many open connections and resumes below it; each IO thread
        // holds an equal share. Beyond it clients wait in the kernel's backlog, not in our memory.
        .setSocketOption(Options.CONNECTION_HIGH_WATER, s.maxConnections())
        .setSocketOption(Options.CONNECTION_LOW_WATER, s.maxConnections());
    if (s.ioThreads() > 0) {
      builder.setIoThreads(s.ioThreads());
    }
    if (s.httpEnabled()) {
      // HTTP/2 stays off here: on plain HTTP it would only mean h2c upgrades, which clients such as
      // java.net.http attempt on every first request.
      builder.addHttpListener(s.port(), s.host());
    }
    if (s.tlsKeystore() != null) {
      TlsContexts.refuseClientRenegotiation();
      SSLContext tls = TlsContexts.fromPkcs12(ConfigKeys.HTTP_TLS_KEYSTORE,
          ConfigKeys.HTTP_TLS_KEYSTORE_PASSWORD, s.tlsKeystore(), s.tlsPassword().toCharArray());
      builder.addListener(new Undertow.ListenerBuilder()
          .setType(Undertow.ListenerType.HTTPS)
          .setHost(s.host())
          .setPort(s.tlsPort())
          .setSslContext(tls)
          .setOverrideSocketOptions(OptionMap.builder()
              .setSequence(Options.SSL_ENABLED_PROTOCOLS, TlsContexts.protocols())
              .setSequence(Options.SSL_ENABLED_CIPHER_SUITES, TlsContexts.cipherSuites(tls))
              .getMap())
          .setHttp2Enabled(true));
    }
    return builder.build();
  }
}
