package io.logrouter.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Asks each router to flush now ({@code POST /admin/flush}) so verification need not wait for the
 * flush timer. A failed flush is only a warning: the poll in {@link Verifier} is what decides.
 */
final class AdminFlush {
    private AdminFlush() {
    }

    static void flushAll(List<URI> urls, Duration connectTimeout, Duration timeout, PrintStream out)
            throws InterruptedException {
        if (urls.isEmpty()) {
            return;
        }
        // The JDK client is fine here: a handful of requests, none of them timed.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout).build();
        for (URI url : urls) {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                out.printf("flush     %s -> %d %s%n", url, response.statusCode(), response.body().strip());
            } catch (IOException e) {
                out.printf("flush     %s -> failed (%s); waiting for the flush timer instead%n", url, e);
            }
        }
    }
}
