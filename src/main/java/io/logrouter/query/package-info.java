/**
 * Reading logs back: the query API, the filter language and its translation into bound SQL.
 */
package io.logrouter.query;
