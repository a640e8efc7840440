package io.logrouter.syslog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.logrouter.event.EventWriter;
import io.logrouter.event.InvalidEventException;
import io.logrouter.event.LevelNames;
import io.logrouter.event.Timestamps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One syslog message (RFC 5424, or RFC 3164 as rsyslog and syslog-ng send it) into one event:
 * PRI severity → level (through {@link LevelNames}), APP-NAME / TAG → source, MSG → message, TIMESTAMP
 * → ts; hostname, facility, severity, procid, msgid and structured data → attributes.
 *
 * <p>A syslog sender gets no answer, so there is nothing to refuse to: a line that does not parse is
 * still stored, raw, as the message of an INFO event with a {@code parse_error} attribute saying what
 * was wrong. Nothing a client sends is dropped silently. One instance per listener thread (it reuses
 * its JSON buffer).
 */
final class SyslogDecoder {
  /** Severity 0..7 → the router's levels (query/Levels ranks these): emerg, alert, crit are FATAL. */
  private static final String[] LEVELS = {"FATAL", "FATAL", "FATAL", "ERROR", "WARNING", "INFO", "INFO", "DEBUG"};
  private static final String[] SEVERITIES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};
  private static final String[] FACILITIES = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
      "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2",
      "local3", "local4", "local5", "local6", "local7"};
  private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
      "Nov", "Dec"};
  /** RFC 5424's longest APP-NAME; an RFC 3164 TAG longer than this is not a tag. */
  private static final int MAX_APP_NAME = 48;
  private static final JsonFactory JSON = new JsonFactory();

  private final ByteArrayOutputStream attributes = new ByteArrayOutputStream(512);
  private final Clock3164 clock3164 = new Clock3164();

  /** What one parse found; reused. */
  private int pri;
  private long tsMicros;
  private String hostname;
  private String appName;
  private String procId;
  private String msgId;
  private String message;
  private String error;
  /** Structured data span in the input, or -1. */
  private int sdStart = -1;
  private int sdEnd;
  private byte[] in;

  /**
   * Adds the message in {@code buf[off, off+len)} to {@code events}.
   *
   * @param truncated the frame was cut at the listener's size limit (kept as an attribute)
   */
  void decode(byte[] buf, int off, int len, boolean truncated, long receivedMicros, int index, EventWriter events) {
    while (len > 0 && (buf[off + len - 1] == '\n' || buf[off + len - 1] == '\r' || buf[off + len - 1] == 0)) {
      len--;
    }
    parse(buf, off, len, receivedMicros);
    byte[] attrs = attributes(truncated);
    int severity = pri < 0 ? 5 : pri & 7;
    try {
      events.add(index, tsMicros, receivedMicros, LEVELS[severity], appName, message, attrs, 0, attrs.length);
    } catch (InvalidEventException e) {
      // A timestamp outside DATETIME's years or a field over its column: keep the raw line instead.
      raw(off, off + len, e.getMessage());
      tsMicros = receivedMicros;
      byte[] raw = attributes(truncated);
      try {
        events.add(index, receivedMicros, receivedMicros, LevelNames.DEFAULT, null, message, raw, 0, raw.length);
      } catch (InvalidEventException impossible) {
        throw new IllegalStateException("a raw syslog line was refused", impossible);
      }
    }
  }

  private void parse(byte[] buf, int off, int len, long receivedMicros) {
    in = buf;
    pri = -1;
    tsMicros = receivedMicros;
    hostname = appName = procId = msgId = error = null;
    sdStart = -1;
    int end = off + len;
    int p = parsePri(off, end);
    if (p < 0) {
      raw(off, end, "no <PRI> at the start of the message");
      return;
    }
    if (p + 1 < end && in[p] >= '1' && in[p] <= '9' && in[p + 1] == ' ') {
      parse5424(p + 2, end, off);
    } else {
      parse3164(p, end, receivedMicros);
    }
  }

  /** @return the position after {@code <PRI>}, or -1 */
  private int parsePri(int p, int end) {
    if (p >= end || in[p] != '<') {
      return -1;
    }
    int value = 0;
    int i = p + 1;
    while (i < end && i <= p + 4 && in[i] >= '0' && in[i] <= '9') {
      value = value * 10 + in[i] - '0';
      i++;
    }
    if (i == p + 1 || i >= end || in[i] != '>' || value > 191) {
      return -1;
    }
    pri = value;
    return i + 1;
  }

  private void parse5424(int p, int end, int start) {
    int[] cursor = {p};
    String ts = token(cursor, end);
    String host = token(cursor, end);
    String app = token(cursor, end);
    String proc = token(cursor, end);
    String mid = token(cursor, end);
    if (mid == null) {
      raw(start, end, "RFC 5424 header is incomplete");
      return;
    }
    long micros = "-".equals(ts) ? tsMicros : Timestamps.parseIso(ts);
    if (micros == Long.MIN_VALUE) {
      raw(start, end, "RFC 5424 TIMESTAMP is not RFC 3339: " + ts);
      return;
    }
    int sd = cursor[0];
    int afterSd = structuredData(sd, end);
    if (afterSd < 0) {
      raw(start, end, "RFC 5424 STRUCTURED-DATA is malformed");
      return;
    }
    tsMicros = micros;
    hostname = nil(host);
    appName = nil(app);
    procId = nil(proc);
    msgId = nil(mid);
    if (in[sd] == '[') {
      sdStart = sd;
      sdEnd = afterSd;
    }
    int msg = afterSd < end && in[afterSd] == ' ' ? afterSd + 1 : afterSd;
    if (msg + 3 <= end && (in[msg] & 0xFF) == 0xEF && (in[msg + 1] & 0xFF) == 0xBB && (in[msg + 2] & 0xFF) == 0xBF) {
      msg += 3; // the UTF-8 BOM RFC 5424 puts before a Unicode MSG
    }
    message = new String(in, msg, end - msg, StandardCharsets.UTF_8);
  }

  /** @return the position after STRUCTURED-DATA ("-" or one or more [..] elements), or -1 */
  private int structuredData(int p, int end) {
    if (p >= end) {
      return -1;
    }
    if (in[p] == '-') {
      return p + 1;
    }
    if (in[p] != '[') {
      return -1;
    }
    while (p < end && in[p] == '[') {
      p++;
      boolean quoted = false;
      while (p < end && (quoted || in[p] != ']')) {
        if (in[p] == '\\' && quoted) {
          p++;
        } else if (in[p] == '"') {
          quoted = !quoted;
        }
        p++;
      }
      if (p >= end) {
        return -1;
      }
      p++;
    }
    return p;
  }

  private void parse3164(int p, int end, long receivedMicros) {
    int start = p;
    long micros = clock3164.parse(in, p, end, receivedMicros);
    if (micros != Long.MIN_VALUE) {
      tsMicros = micros;
      p += Clock3164.LENGTH;
    } else {
      int[] cursor = {p};
      String token = token(cursor, end);
      long iso = token == null ? Long.MIN_VALUE : Timestamps.parseIso(token);
      if (iso != Long.MIN_VALUE) {
        tsMicros = iso;
        p = cursor[0];
      }
    }
    if (p != start) {
      int[] cursor = {p};
      String host = token(cursor, end);
      if (host != null) {
        hostname = host;
        p = cursor[0];
      }
    }
    p = tag(p, end);
    message = new String(in, p, end - p, StandardCharsets.UTF_8);
  }

  /** Reads {@code TAG[PID]: } when present. @return where MSG starts */
  private int tag(int p, int end) {
    int i = p;
    while (i < end && i - p <= MAX_APP_NAME && in[i] != ':' && in[i] != '[' && in[i] != ' ') {
      i++;
    }
    if (i == p || i >= end || i - p > MAX_APP_NAME) {
      return p;
    }
    if (in[i] == ' ') {
      // rsyslog's traditional forward format drops the colon when the tag had none: "tag msg"
      return plainTag(p, i) ? tagged(p, i, null, i + 1) : p;
    }
    int tagEnd = i;
    String pid = null;
    if (in[i] == '[') {
      int close = i + 1;
      while (close < end && close - i <= 32 && in[close] != ']') {
        close++;
      }
      if (close >= end || in[close] != ']') {
        return p;
      }
      pid = new String(in, i + 1, close - i - 1, StandardCharsets.UTF_8);
      i = close + 1;
    }
    if (i < end && in[i] == ':') {
      i++;
    } else if (pid == null) {
      return p;
    }
    return tagged(p, tagEnd, pid, i < end && in[i] == ' ' ? i + 1 : i);
  }

  private int tagged(int p, int tagEnd, String pid, int messageStart) {
    appName = new String(in, p, tagEnd - p, StandardCharsets.UTF_8);
    procId = pid;
    return messageStart;
  }

  /** A tag without its colon is only taken for one when it looks like a program name. */
  private boolean plainTag(int p, int end) {
    for (int i = p; i < end; i++) {
      byte c = in[i];
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.' || c == '/';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The next space-delimited token (moving the cursor past its space), or null at the end. */
  private String token(int[] cursor, int end) {
    int p = cursor[0];
    int i = p;
    while (i < end && in[i] != ' ') {
      i++;
    }
    if (i == p || i >= end) {
      return null;
    }
    cursor[0] = i + 1;
    return new String(in, p, i - p, StandardCharsets.ISO_8859_1);
  }

  private void raw(int start, int end, String why) {
    hostname = appName = procId = msgId = null;
    sdStart = -1;
    error = why;
    message = new String(in, start, end - start, StandardCharsets.UTF_8);
  }

  private static String nil(String field) {
    return "-".equals(field) ? null : field;
  }

  private byte[] attributes(boolean truncated) {
    attributes.reset();
    try (JsonGenerator gen = JSON.createGenerator(attributes)) {
      gen.writeStartObject();
      if (pri >= 0) {
        gen.writeStringField("facility", pri >> 3 < FACILITIES.length ? FACILITIES[pri >> 3] : Integer.toString(pri >> 3));
        gen.writeStringField("severity", SEVERITIES[pri & 7]);
      }
      writeIfSet(gen, "hostname", hostname);
      writeIfSet(gen, "procid", procId);
      writeIfSet(gen, "msgid", msgId);
      if (sdStart >= 0) {
        StructuredData.write(in, sdStart, sdEnd, gen);
      }
      writeIfSet(gen, "parse_error", error);
      if (truncated) {
        gen.writeBooleanField("truncated", true);
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return attributes.toByteArray();
  }

  private static void writeIfSet(JsonGenerator gen, String name, String value) throws IOException {
    if (value != null) {
      gen.writeStringField(name, value);
    }
  }

  /** RFC 3164's {@code Mmm dd hh:mm:ss} (no year, no zone): read as UTC in the year that puts it nearest now. */
  static final class Clock3164 {
    static final int LENGTH = 16; // "Mmm dd hh:mm:ss "

    long parse(byte[] b, int p, int end, long nowMicros) {
      if (end - p < LENGTH || b[p + 3] != ' ' || b[p + 6] != ' ' || b[p + 9] != ':' || b[p + 12] != ':'
          || b[p + 15] != ' ') {
        return Long.MIN_VALUE;
      }
      String mon = new String(b, p, 3, StandardCharsets.ISO_8859_1);
      int month = java.util.Arrays.asList(MONTHS).indexOf(mon) + 1;
      int day = b[p + 4] == ' ' ? digit(b[p + 5]) : digit(b[p + 4]) * 10 + digit(b[p + 5]);
      int hour = digit(b[p + 7]) * 10 + digit(b[p + 8]);
      int minute = digit(b[p + 10]) * 10 + digit(b[p + 11]);
      int second = digit(b[p + 13]) * 10 + digit(b[p + 14]);
      if (month < 1 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
        return Long.MIN_VALUE;
      }
      int year = java.time.Instant.ofEpochSecond(nowMicros / 1_000_000).atZone(java.time.ZoneOffset.UTC).getYear();
      String iso = String.format("%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute, Math.min(second, 59));
      long micros = Timestamps.parseIso(iso);
      if (micros != Long.MIN_VALUE && micros - nowMicros > 86_400_000_000L) {
        micros = Timestamps.parseIso(String.format("%04d", year - 1) + iso.substring(4)); // Dec 31 read on Jan 1
      }
      return micros;
    }

    private static int digit(byte c) {
      return c >= '0' && c <= '9' ? c - '0' : -100;
    }
  }
}
