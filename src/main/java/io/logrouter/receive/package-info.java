/**
 * Receivers: one class per protocol (the router's own JSON, OTLP, Loki, Elasticsearch bulk, ...)
 * turning a request body into events and answering in that protocol's shapes. Nothing here knows
 * the HTTP server or the queue.
 */
package io.logrouter.receive;
