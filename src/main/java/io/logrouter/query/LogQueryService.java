package io.logrouter.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Reads pages of {@code logs} over JDBC. Thread-safe; one instance serves every query route. */
public final class LogQueryService {
  /**
   * A filter that no index serves (an attribute on a huge range) must not hold a connection and a
   * server thread forever; 30 s is far above the indexed shapes (milliseconds) and below the
   * patience of an operator.
   */
  static final int QUERY_TIMEOUT_SECONDS = 30;

  private final DataSource dataSource;
  private final PromotedAttributes promoted;

  public LogQueryService(DataSource dataSource) {
    this.dataSource = dataSource;
    this.promoted = new PromotedAttributes(dataSource);
  }

  /** Parses a {@code q=} filter against the current promoted attribute columns. */
  SqlFragment parseFilter(String q) {
    return FilterParser.parse(q, promoted.current());
  }

  Map<String, String> promotedColumns() {
    return promoted.current();
  }

  LogPage find(LogQuery query) throws SQLException {
    SqlFragment select = LogSql.select(query);
    List<LogRow> rows = new ArrayList<>(Math.min(query.limit() + 1, LogQuery.MAX_LIMIT + 1));
    try (Connection c = dataSource.getConnection(); PreparedStatement st = prepare(c, select)) {
      st.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(new LogRow(rs.getLong(1), rs.getObject(2, LocalDateTime.class), rs.getString(3),
              rs.getString(4), rs.getString(5), rs.getString(6)));
        }
      }
    }
    if (rows.size() <= query.limit()) {
      return new LogPage(rows, null);
    }
    List<LogRow> page = rows.subList(0, query.limit());
    return new LogPage(List.copyOf(page), page.get(page.size() - 1).cursor());
  }

  /** Binds every value; a LocalDateTime (UTC) as a string with its microseconds (see Timestamps#sqlValue). */
  static PreparedStatement prepare(Connection c, SqlFragment fragment) throws SQLException {
    PreparedStatement st = c.prepareStatement(fragment.sql());
    List<Object> params = fragment.params();
    for (int i = 0; i < params.size(); i++) {
      Object value = params.get(i);
      if (value instanceof LocalDateTime time) {
        st.setString(i + 1, Timestamps.sqlValue(time));
      } else {
        st.setObject(i + 1, value);
      }
    }
    return st;
  }
}
