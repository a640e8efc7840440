/** Wiring: Main reads the configuration and starts one {@link io.logrouter.LogRouter}. */
package io.logrouter;
