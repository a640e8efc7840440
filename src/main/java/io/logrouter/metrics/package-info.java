/**
 * Prometheus metrics with a fixed, small set of label values.
 */
package io.logrouter.metrics;
