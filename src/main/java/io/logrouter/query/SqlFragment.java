package io.logrouter.query;

import java.util.ArrayList;
import java.util.List;

/**
 * A piece of SQL with {@code ?} placeholders and the values bound to them, in order. Every value a
 * client sends travels as a parameter; {@link #sql} only ever holds text written in this package.
 */
record SqlFragment(String sql, List<Object> params) {
  SqlFragment {
    params = List.copyOf(params);
  }

  static SqlFragment of(String sql, Object... params) {
    return new SqlFragment(sql, List.of(params));
  }

  /** {@code (this) AND (other)}: brackets keep an OR inside either side from leaking out. */
  SqlFragment and(SqlFragment other) {
    return join(" AND ", other);
  }

  SqlFragment or(SqlFragment other) {
    return join(" OR ", other);
  }

  private SqlFragment join(String connective, SqlFragment other) {
    List<Object> all = new ArrayList<>(params.size() + other.params.size());
    all.addAll(params);
    all.addAll(other.params);
    return new SqlFragment("(" + sql + ")" + connective + "(" + other.sql + ")", all);
  }
}
