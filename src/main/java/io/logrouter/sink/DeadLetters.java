package io.logrouter.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.logrouter.buffer.DamagedDocument;
import io.logrouter.event.LogEvent;
import io.logrouter.event.Timestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Writes an event MySQL refused into {@code logs_rejected}, inside the flush's transaction. */
final class DeadLetters {
  private static final String INSERT = "INSERT INTO logs_rejected (router_id, queue_index, event, error, rejected_at)"
      + " VALUES (?, ?, ?, ?, ?)";
  /** Error texts are for people; 4,000 characters keep the whole of MySQL's messages. */
  private static final int MAX_ERROR_CHARS = 4_000;
  /**
   * The event is stored as ASCII-only JSON (non-ASCII escaped): whatever made MySQL refuse the
   * original row, this text cannot be refused for its characters, so a dead letter never fails.
   */
  private static final JsonFactory ASCII_JSON = JsonFactory.builder()
      .enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private final String routerId;

  DeadLetters(String routerId) {
    this.routerId = routerId;
  }

  void write(Connection c, LogEvent event, SQLException error, String now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      ps.setString(1, routerId);
      ps.setLong(2, event.queueIndex());
      ps.setString(3, toJson(event));
      String text = error.getErrorCode() + " " + error.getSQLState() + ": " + error.getMessage();
      ps.setString(4, text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) : text);
      ps.setString(5, now);
      ps.executeUpdate();
    }
  }

  /**
   * Reports a queue document that could not be read: its events are lost, and this row says so,
   * with the index, cycle, length and where its raw bytes were saved.
   */
  void writeDamaged(Connection c, DamagedDocument d, String now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      ps.setString(1, routerId);
      ps.setLong(2, d.index());
      ps.setString(3, damagedJson(d));
      String text = "damaged queue document: " + d.reason();
      ps.setString(4, text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) : text);
      ps.setString(5, now);
      ps.executeUpdate();
    }
  }

  static String damagedJson(DamagedDocument d) {
    StringWriter out = new StringWriter();
    try (JsonGenerator gen = ASCII_JSON.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("damaged_document", Long.toHexString(d.index()));
      gen.writeNumberField("cycle", d.cycle());
      gen.writeNumberField("bytes", d.bytes());
      gen.writeStringField("quarantine_file", d.quarantineFile());
      gen.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toString();
  }

  static String toJson(LogEvent e) {
    StringWriter out = new StringWriter();
    try (JsonGenerator gen = ASCII_JSON.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("timestamp", Timestamps.format(e.tsMicros()));
      gen.writeStringField("received_at", Timestamps.format(e.receivedMicros()));
      gen.writeStringField("level", e.level());
      gen.writeStringField("source", e.source());
      gen.writeStringField("message", e.message());
      // As a string, not raw JSON: the attributes may be exactly what MySQL found invalid.
      gen.writeStringField("attributes", e.attributes());
      gen.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toString();
  }
}
