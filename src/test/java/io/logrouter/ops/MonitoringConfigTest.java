package io.logrouter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Grafana dashboard and the monitoring compose file fit what a running router exports. */
class MonitoringConfigTest {
  private static final Path DASHBOARD = Path.of("config", "grafana", "log-router.json");
  private static final Pattern METRIC = Pattern.compile("\\b((?:logrouter|jvm|hikaricp|process|system)_[a-z0-9_]+)");

  @TempDir
  Path dir;

  @Test
  void everyMetricTheDashboardQueriesIsExportedByARunningRouter() throws IOException {
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher m = METRIC.matcher(target.get("expr").asText());
        while (m.find()) {
          queried.add(m.group(1));
        }
      }
    }
    assertTrue(queried.size() > 20, "dashboard queries: " + queried);
    try (TestDatabase db = TestDatabase.create("monitoring");
        RouterHarness router = RouterHarness.start(db, dir, Map.of("retention.days", "3"))) {
      router.post("/log", "{\"message\":\"m\"}");
      router.flush();
      Await.until("retention ran once", Duration.ofSeconds(60),
          () -> router.get("/metrics").body().matches("(?s).*logrouter_retention_last_success_seconds [1-9].*"));
      Set<String> exported = new TreeSet<>();
      for (String line : router.get("/metrics").body().split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          exported.add(line.split("[{ ]", 2)[0]);
        }
      }
      Set<String> missing = new TreeSet<>(queried);
      missing.removeAll(exported);
      assertEquals(Set.of(), missing, "queried by the dashboard but not exported");
    }
  }

  @Test
  void theComposeFileMountsTheDashboardAndProvisioningThatExist() throws IOException {
    String compose = Files.readString(Path.of("docker-compose.monitoring.yml"));
    Matcher mount = Pattern.compile("- \\./([^:]+):").matcher(compose);
    int mounts = 0;
    while (mount.find()) {
      assertTrue(Files.exists(Path.of(mount.group(1))), "mounted path exists: " + mount.group(1));
      mounts++;
    }
    assertEquals(3, mounts);
    String datasource = Files.readString(Path.of("config/grafana/provisioning/datasources/prometheus.yml"));
    assertTrue(datasource.contains("uid: prometheus"), "the dashboard's datasource uid");
    assertTrue(Files.readString(Path.of("config/prometheus.yml")).contains("job_name: log-router"),
        "the dashboard filters on job=\"log-router\"");
  }
}
