/**
 * Configuration: every key with its name, default and doc in one place ({@link
 * io.logrouter.config.ConfigKeys}), read from a properties file and LOGROUTER_* environment variables.
 */
package io.logrouter.config;
