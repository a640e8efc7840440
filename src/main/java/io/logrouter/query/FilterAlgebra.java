package io.logrouter.query;

import io.logrouter.query.FilterTokenizer.Token;

/**
 * What {@link FilterParser} builds a filter into: {@link FilterFields} makes SQL for the database,
 * {@link TailFilter} a Java predicate over events not yet stored (the live tail). Both read the
 * values of a comparison with the same rules, so a value the SQL side refuses the tail refuses too.
 */
interface FilterAlgebra<T> {
  T compare(Token field, Token operator, FilterFields.Op op, Token value);

  T and(T left, T right);

  T or(T left, T right);
}
