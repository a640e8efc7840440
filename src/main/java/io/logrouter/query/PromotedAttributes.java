package io.logrouter.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attributes a DBA promoted to indexed generated columns (docs/DBA.md): columns of {@code logs}
 * whose comment is {@code attribute:<path>}. Filters on such a path then go through the column's
 * index. Read from information_schema, re-read at most once a minute so a new column is used
 * without restarting the router.
 */
final class PromotedAttributes {
  private static final Logger log = LoggerFactory.getLogger(PromotedAttributes.class);
  /** Schema changes are rare; a minute is quick enough and keeps information_schema off the hot path. */
  private static final long REFRESH_NANOS = 60_000_000_000L;
  static final String COMMENT_PREFIX = "attribute:";
  private static final String SQL = "SELECT COLUMN_NAME, COLUMN_COMMENT FROM information_schema.COLUMNS"
      + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'logs' AND COLUMN_COMMENT LIKE 'attribute:%'"
      + " AND GENERATION_EXPRESSION IS NOT NULL AND GENERATION_EXPRESSION <> ''";

  private final DataSource dataSource;
  private volatile Map<String, String> columns = Map.of();
  private volatile long loadedAt;
  private volatile boolean loaded;

  PromotedAttributes(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Attribute path → column name; empty when none are promoted or the schema cannot be read. */
  Map<String, String> current() {
    if (!loaded || System.nanoTime() - loadedAt > REFRESH_NANOS) {
      reload();
    }
    return columns;
  }

  private synchronized void reload() {
    if (loaded && System.nanoTime() - loadedAt <= REFRESH_NANOS) {
      return; // another thread just did it
    }
    try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(SQL);
        ResultSet rs = st.executeQuery()) {
      Map<String, String> found = new HashMap<>();
      while (rs.next()) {
        String column = rs.getString(1);
        String path = rs.getString(2).substring(COMMENT_PREFIX.length()).trim();
        if (plainIdentifier(column) && !path.isEmpty()) {
          found.put(path, column);
        }
      }
      columns = Map.copyOf(found);
    } catch (SQLException e) {
      // Filters still work without the columns, only slower: keep what we had.
      log.warn("cannot read promoted attribute columns: {}", e.getMessage());
    }
    loadedAt = System.nanoTime();
    loaded = true;
  }

  /** The name goes into SQL (in backquotes), so only the characters of the recipe are allowed. */
  static boolean plainIdentifier(String name) {
    if (name == null || name.isEmpty() || name.length() > 64) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
        return false;
      }
    }
    return true;
  }
}
