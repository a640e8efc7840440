package io.logrouter.loadgen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/** Checks that something listens at the target before any load is scheduled. */
final class Preflight {
    // Loopback or a LAN answers a connect in well under a millisecond; 3 s only guards a black hole.
    private static final int CONNECT_TIMEOUT_MS = 3_000;
    private static final int HTTP_PORT = 80;
    private static final int HTTPS_PORT = 443;

    private Preflight() {
    }

    /** Throws with a one-line reason when nothing accepts a TCP connection at {@code uri}. */
    static void checkListening(URI uri) throws UsageException {
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? HTTPS_PORT : HTTP_PORT;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MS);
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UsageException("target " + uri.getHost() + ":" + port + " is down or unreachable (" + reason + ")");
        }
    }
}
