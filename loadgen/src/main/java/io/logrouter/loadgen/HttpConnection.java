package io.logrouter.loadgen;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLSocketFactory;

/**
 * One keep-alive HTTP/1.1 connection, used by one thread, blocking. It does just what a load
 * generator needs: POST a body, read the status, skip the response body, reuse the socket.
 *
 * <p>Why not the JDK HttpClient: measured here against HAProxy answering 202 itself, it needed about
 * 1.6 ms a round trip on one connection (several thread hand-offs per exchange) and showed p50 = 1.2 ms
 * at 1,000 req/s, more than the router's whole latency goal. A blocking socket per thread answers in
 * tens of microseconds, so what the report shows is the server, not the client.
 */
final class HttpConnection implements AutoCloseable {
    private static final int HTTP_PORT = 80;
    private static final int HTTPS_PORT = 443;
    // Socket buffers sized so a 1,000-event NDJSON body (~220 KB) leaves in a few writes.
    private static final int IO_BUFFER = 64 * 1024;
    // A status line or header longer than this is not HTTP from a server we know.
    private static final int MAX_LINE = 8 * 1024;
    private static final int SKIP_CHUNK = 8 * 1024;

    private final URI target;
    private final String host;
    private final int port;
    private final byte[] requestHeadPrefix;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final byte[] skipBuffer = new byte[SKIP_CHUNK];

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConnection(URI target, int connectTimeoutMillis, int readTimeoutMillis) {
        this.target = target;
        this.host = target.getHost();
        this.port = target.getPort() != -1 ? target.getPort() : isHttps() ? HTTPS_PORT : HTTP_PORT;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        if (target.getRawQuery() != null) {
            path += "?" + target.getRawQuery();
        }
        String hostHeader = target.getPort() == -1 ? host : host + ":" + port;
        this.requestHeadPrefix = ("POST " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: log-router-loadgen\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Sends one POST and waits for its whole response.
     *
     * @return the HTTP status code
     * @throws java.net.SocketTimeoutException when no answer came within the read timeout
     * @throws IOException when the connection failed; the connection is then closed and the next
     *                     call opens a new one
     */
    int post(String contentType, byte[] body) throws IOException {
        try {
            ensureOpen();
            try {
                out.write(requestHeadPrefix);
                out.write(("Content-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException writeFailed) {
                return earlyResponse(writeFailed);
            }
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /**
     * A server may answer before it has read the whole body (413 for an oversized one) and close:
     * the rest of the write then fails. What counts is the answer it sent, if one is there to read.
     */
    private int earlyResponse(IOException writeFailed) throws IOException {
        try {
            int status = readResponse();
            close();
            return status;
        } catch (IOException noAnswer) {
            writeFailed.addSuppressed(noAnswer);
            throw writeFailed;
        }
    }

    private void ensureOpen() throws IOException {
        if (socket != null) {
            return;
        }
        Socket s = isHttps() ? SSLSocketFactory.getDefault().createSocket() : new Socket();
        try {
            // The request leaves in one flush; without NODELAY, Nagle would hold its tail back
            // until the previous response's delayed ACK, adding tens of milliseconds.
            s.setTcpNoDelay(true);
            s.setSoTimeout(readTimeoutMillis);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), IO_BUFFER);
        out = new BufferedOutputStream(s.getOutputStream(), IO_BUFFER);
    }

    private int readResponse() throws IOException {
        String statusLine = readLine();
        int status = parseStatus(statusLine);
        long contentLength = -1;
        boolean chunked = false;
        boolean closeAfter = statusLine.startsWith("HTTP/1.0");
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> closeAfter = value.contains("close") || (closeAfter && !value.contains("keep-alive"));
                default -> { }
            }
        }
        if (status / 100 == 1) {
            // An interim response (100 Continue, never asked for): the real one follows.
            return readResponse();
        }
        if (chunked) {
            skipChunked();
        } else if (contentLength >= 0) {
            skipFully(contentLength);
        } else if (status != 204 && status != 304) {
            // No length: the body runs to the end of the connection.
            while (in.read(skipBuffer) != -1) {
                // discard
            }
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return status;
    }

    private static int parseStatus(String statusLine) throws IOException {
        // "HTTP/1.1 202 Accepted": the code is the three digits after the first space.
        int space = statusLine.indexOf(' ');
        if (!statusLine.startsWith("HTTP/") || space < 0 || statusLine.length() < space + 4) {
            throw new IOException("not an HTTP response: '" + statusLine + "'");
        }
        try {
            return Integer.parseInt(statusLine.substring(space + 1, space + 4));
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line: '" + statusLine + "'");
        }
    }

    private void skipChunked() throws IOException {
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                // Trailers, if any, end with an empty line.
                while (!readLine().isEmpty()) {
                    // discard
                }
                return;
            }
            skipFully(size);
            readLine();
        }
    }

    private void skipFully(long n) throws IOException {
        for (long left = n; left > 0; ) {
            int read = in.read(skipBuffer, 0, (int) Math.min(skipBuffer.length, left));
            if (read < 0) {
                throw new EOFException("connection closed mid-body");
            }
            left -= read;
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed by server");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
            if (sb.length() > MAX_LINE) {
                throw new IOException("response line over " + MAX_LINE + " bytes");
            }
        }
        return sb.toString();
    }

    private boolean isHttps() {
        return "https".equalsIgnoreCase(target.getScheme());
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // Closing a broken socket can fail; it is gone either way.
        }
    }
}
