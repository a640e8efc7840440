package io.logrouter.profile;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether the database node a connection reached takes writes. A Galera node that lost quorum, or a
 * Group Replication member that left the group, still accepts connections and answers pings, yet
 * refuses the flush (1047 "WSREP has not yet prepared node for application use"): {@code /ready}
 * must say so, not "up".
 *
 * @param name what the operator reads in the refusal, e.g. {@code wsrep_ready}
 * @param query a statement the node answers even when it is not ready
 * @param column the result column holding the state (1-based)
 * @param ready the state that means "takes writes"
 */
public record NodeReadiness(String name, String query, int column, String ready) {
  /** Engines where a working connection is a ready node. */
  public static final NodeReadiness ANY = new NodeReadiness("", "", 0, "");

  /** @return null when the node takes writes, else why not (one line) */
  public String notReadyReason(Connection c) throws SQLException {
    if (query.isEmpty()) {
      return null;
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
      String state = rs.next() ? rs.getString(column) : null;
      return ready.equalsIgnoreCase(state) ? null : "database node not ready: " + name + " = " + state;
    }
  }
}
