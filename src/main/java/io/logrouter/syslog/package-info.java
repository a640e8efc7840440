/**
 * Syslog receivers: RFC 5424 and RFC 3164 over TCP (RFC 6587 octet-counting or LF framing, detected
 * per connection; TLS only, RFC 5425, when {@code syslog.tls.keystore} is set) and UDP, decoded through
 * the shared event writer into one queue document per listener round. TCP senders get back-pressure
 * (the socket is not read) while the queue refuses.
 */
package io.logrouter.syslog;
