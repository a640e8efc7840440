package io.logrouter;

/**
 * System properties Chronicle reads when its first class loads: no analytics or announcer (this
 * router phones nobody), and its temp files under the JVM's temp dir instead of the working dir.
 */
final class ChronicleSettings {
  private ChronicleSettings() {}

  static void apply() {
    setIfAbsent("chronicle.analytics.disable", "true");
    setIfAbsent("chronicle.announcer.disable", "true");
    setIfAbsent("chronicle.disk.monitor.disable", "true");
    String tmp = System.getProperty("java.io.tmpdir");
    setIfAbsent("jna.tmpdir", tmp);
    setIfAbsent("project.build.directory", tmp);
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
