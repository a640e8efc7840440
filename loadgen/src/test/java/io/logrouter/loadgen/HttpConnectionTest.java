package io.logrouter.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The hand-rolled HTTP/1.1 client against a raw socket server that answers exactly as told. */
class HttpConnectionTest {
    private static final int TIMEOUT_MS = 2_000;

    @Test
    void keepsOneConnectionAliveAcrossRequests() throws Exception {
        try (RawServer server = new RawServer((in, out) -> {
            for (int i = 0; i < 3; i++) {
                readRequest(in);
                write(out, "HTTP/1.1 202 Accepted\r\nContent-Length: 14\r\n\r\n{\"accepted\":1}");
            }
        }); HttpConnection c = new HttpConnection(server.uri(), TIMEOUT_MS, TIMEOUT_MS)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(202, c.post(PayloadFactory.JSON, "{}".getBytes(StandardCharsets.UTF_8)));
            }
            assertEquals(1, server.accepted.get());
        }
    }

    @Test
    void readsChunkedBodiesAndReconnectsAfterConnectionClose() throws Exception {
        try (RawServer server = new RawServer((in, out) -> {
            readRequest(in);
            write(out, "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n0\r\n\r\n");
            readRequest(in);
            write(out, "HTTP/1.1 503 Busy\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: 2\r\n\r\nno");
        }); HttpConnection c = new HttpConnection(server.uri(), TIMEOUT_MS, TIMEOUT_MS)) {
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            assertEquals(202, c.post(PayloadFactory.JSON, body));
            assertEquals(503, c.post(PayloadFactory.JSON, body));
            assertEquals(202, c.post(PayloadFactory.JSON, body), "a new connection after Connection: close");
            assertEquals(2, server.accepted.get());
        }
    }

    @Test
    void anAnswerSentBeforeTheBodyWasReadStillCounts() throws Exception {
        // 8 MB: far more than socket buffers hold, so the write fails once the server has closed.
        byte[] huge = new byte[8 * 1024 * 1024];
        try (RawServer server = new RawServer((in, out) -> {
            readHead(in);
            write(out, "HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        }); HttpConnection c = new HttpConnection(server.uri(), TIMEOUT_MS, TIMEOUT_MS)) {
            assertEquals(413, c.post(PayloadFactory.JSON, huge));
        }
    }

    @Test
    void garbageIsAnIoErrorNotAStatus() throws Exception {
        try (RawServer server = new RawServer((in, out) -> {
            readRequest(in);
            write(out, "SSH-2.0-OpenSSH_9.2\r\n");
        }); HttpConnection c = new HttpConnection(server.uri(), TIMEOUT_MS, TIMEOUT_MS)) {
            assertThrows(IOException.class, () -> c.post(PayloadFactory.JSON, new byte[1]));
        }
    }

    private static void readRequest(InputStream in) {
        int length = readHead(in);
        try {
            in.readNBytes(length);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the request head byte by byte (no read-ahead into the body); returns Content-Length. */
    private static int readHead(InputStream in) {
        try {
            int length = 0;
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1; c = in.read()) {
                if (c != '\n') {
                    if (c != '\r') {
                        line.append((char) c);
                    }
                    continue;
                }
                if (line.length() == 0) {
                    return length;
                }
                if (line.toString().toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
                line.setLength(0);
            }
            throw new IOException("closed mid-head");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(OutputStream out, String s) {
        try {
            out.write(s.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accepts connections on loopback and runs {@code script} on each, then closes it politely. */
    private static final class RawServer implements AutoCloseable {
        final AtomicInteger accepted = new AtomicInteger();
        private final ServerSocket socket;
        private final Thread thread;

        RawServer(BiConsumer<InputStream, OutputStream> script) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        accepted.incrementAndGet();
                        script.accept(s.getInputStream(), s.getOutputStream());
                        // Lingering close: without draining, unread request bytes make the kernel
                        // send RST, which can destroy the answer before the client reads it.
                        s.shutdownOutput();
                        s.setSoTimeout(200);
                        s.getInputStream().skip(Long.MAX_VALUE);
                    } catch (IOException | IllegalStateException e) {
                        // The client went away or the socket closed: next connection.
                    }
                }
            }, "raw-server");
            thread.setDaemon(true);
            thread.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/log");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
