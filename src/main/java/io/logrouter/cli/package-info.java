/**
 * Command-line tools beside the server: offline inspection of a queue directory.
 */
package io.logrouter.cli;
