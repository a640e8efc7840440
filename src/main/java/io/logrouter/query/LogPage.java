package io.logrouter.query;

import java.util.List;

/** Rows newest first; {@code next} is null on the last page. */
record LogPage(List<LogRow> rows, Cursor next) {}
