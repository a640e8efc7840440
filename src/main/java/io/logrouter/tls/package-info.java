/**
 * The router's one TLS rule, shared by every listener that speaks TLS (HTTPS, syslog over TLS):
 * a PKCS#12 keystore, TLS 1.3 and 1.2 with forward-secret AEAD suites only, client-initiated
 * renegotiation refused, and a bad keystore reported as one {@code ConfigException} line.
 */
package io.logrouter.tls;
