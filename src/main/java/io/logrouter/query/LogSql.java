package io.logrouter.query;

import java.util.ArrayList;
import java.util.List;

/**
 * The one SELECT every query route issues. Its shapes are what {@code LogQueryIndexTest} EXPLAINs:
 * a ts range, optionally with level or source first (the (level, ts, id) and (source, ts, id)
 * keys of V1), and the keyset condition on (ts, id), all ordered the way those keys are.
 */
final class LogSql {
  private static final String SELECT = "SELECT id, ts, level, source, message, attributes FROM logs";
  /** Both columns, both descending: a backward scan of (…, ts, id), no filesort. */
  private static final String ORDER = " ORDER BY ts DESC, id DESC LIMIT ?";

  private LogSql() {}

  /** The statement for one page; it asks for one row more than the page to know if another follows. */
  static SqlFragment select(LogQuery query) {
    List<SqlFragment> where = new ArrayList<>();
    if (query.from() != null) {
      where.add(SqlFragment.of("ts >= ?", query.from()));
    }
    if (query.to() != null) {
      where.add(SqlFragment.of("ts <= ?", query.to()));
    }
    if (query.level() != null) {
      where.add(SqlFragment.of("level = ?", query.level()));
    }
    if (query.source() != null) {
      where.add(SqlFragment.of("source = ?", query.source()));
    }
    if (query.contains() != null) {
      where.add(FilterFields.contains("message", query.contains()));
    }
    if (query.filter() != null) {
      where.add(new SqlFragment("(" + query.filter().sql() + ")", query.filter().params()));
    }
    if (query.after() != null) {
      Cursor c = query.after();
      // Spelled out rather than (ts, id) < (?, ?): both optimizers turn this form into index ranges.
      where.add(SqlFragment.of("(ts < ? OR (ts = ? AND id < ?))", c.ts(), c.ts(), c.id()));
    }
    StringBuilder sql = new StringBuilder(SELECT);
    List<Object> params = new ArrayList<>();
    for (int i = 0; i < where.size(); i++) {
      sql.append(i == 0 ? " WHERE " : " AND ").append(where.get(i).sql());
      params.addAll(where.get(i).params());
    }
    sql.append(ORDER);
    params.add(query.limit() + 1);
    return new SqlFragment(sql.toString(), params);
  }
}
