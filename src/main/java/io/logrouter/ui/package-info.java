/**
 * The log explorer: the single page under {@code /ui/} (plain HTML, CSS and JavaScript modules from
 * the jar, uPlot vendored with its licence; no build step) and the handler serving it with content
 * types and cache headers. The page reads only the public HTTP API (GET /logs, /logs/histogram,
 * /logs/sources, /logs/tail, /status), with the API key the user types, kept in sessionStorage.
 */
package io.logrouter.ui;
