package io.logrouter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestHttp;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no API keys configured, /admin/* answers loopback clients only, while ingest stays open to
 * everyone. The remote client is this machine itself, reached through a non-loopback address of
 * one of its interfaces, so the router sees a non-loopback peer.
 */
class AdminLoopbackHttpTest {
  @TempDir
  Path dir;

  @Test
  void adminRoutesRefuseANonLoopbackClientWhenNoKeysAreSet() throws SocketException {
    Optional<InetAddress> external = nonLoopbackAddress();
    assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to connect from");
    try (TestDatabase db = TestDatabase.create("admin_loopback");
        RouterHarness router = RouterHarness.start(db, dir, Map.of("http.host", "0.0.0.0"))) {
      String remote = "http://" + external.get().getHostAddress() + ":" + router.router().port();

      TestHttp.Response refused = TestHttp.post(remote + "/admin/flush", new byte[0], null, null);
      assertEquals(403, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("loopback"), refused.body());

      TestHttp.Response ingested = TestHttp.postJson(remote + "/log", "{\"message\":\"from afar\"}");
      assertEquals(202, ingested.statusCode(), "ingest is open without keys: " + ingested.body());
      assertEquals(1, router.flush(), "the same route answers a loopback client");
    }
  }

  /** Issue 15: behind a reverse proxy on the same host every client is loopback; its headers give it away. */
  @Test
  void adminRoutesRefuseProxiedRequestsWhenNoKeysAreSet() {
    try (TestDatabase db = TestDatabase.create("admin_proxied");
        RouterHarness router = RouterHarness.start(db, dir, Map.of())) {
      for (String header : new String[] {"X-Forwarded-For", "Forwarded", "X-Real-IP"}) {
        String value = header.equals("Forwarded") ? "for=203.0.113.7" : "203.0.113.7";
        TestHttp.Response refused = TestHttp.postJson(router.url("/admin/flush"), "", header, value);
        assertEquals(403, refused.statusCode(), header + ": " + refused.body());
        assertTrue(refused.body().contains("auth.api.keys"), refused.body());
      }
      assertEquals(202, TestHttp.postJson(router.url("/log"), "{\"message\":\"via proxy\"}", "X-Forwarded-For",
          "203.0.113.7").statusCode(), "ingest through a proxy stays open");
      assertEquals(1, router.flush(), "a direct loopback client still reaches admin");
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }
}
