package io.logrouter.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.logrouter.buffer.Batch;
import io.logrouter.event.LogEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exactly once from the sender: resolves a batch's de-duplication keys inside its flush transaction.
 * Every key (a request's Idempotency-Key, an event's own key) is claimed in {@code ingest_keys} with
 * an owner naming the document/event that claims it; the first owner to commit wins (primary key),
 * and the events of any other claimant are dropped. Two routers claiming the same key at the same
 * moment serialize on the key row's lock: the second waits for the first to commit, then sees the key
 * taken. Keys are kept for {@code dedup.window}.
 *
 * <p>Thread ownership: the flusher thread.
 */
public final class IngestKeys {
  /** Keys per multi-row statement: well inside max_allowed_packet, few round trips. */
  private static final int CHUNK = 500;
  private static final JsonFactory JSON = new JsonFactory();

  private final String routerId;
  private final String dedupField;
  private final Duration window;

  /**
   * @param dedupField an event field whose value is the event's key when it carries none (null: off)
   * @param window how long a key is remembered
   */
  public IngestKeys(String routerId, String dedupField, Duration window) {
    this.routerId = routerId;
    this.dedupField = dedupField == null || dedupField.isBlank() ? null : dedupField;
    this.window = window;
  }

  Duration window() {
    return window;
  }

  private record Claim(byte[] hash, char kind, String owner, long index, int ordinal) {}

  /**
   * @return the batch's events minus those a key already owned elsewhere rules out. A batch with no
   *     keys at all (the usual case) is admitted whole without decoding an event.
   */
  Admission admit(Connection c, Batch batch, String now) throws SQLException {
    if (batch.requestKeys().isEmpty() && dedupField == null && !batch.hasEventKeys()) {
      return Admission.all(batch);
    }
    List<Claim> claims = claims(batch);
    if (claims.isEmpty()) {
      return Admission.all(batch);
    }
    insertIgnore(c, claims, now);
    Map<ByteBuffer, String> owners = owners(c, claims);
    Set<Long> droppedDocuments = new HashSet<>();
    Set<Admission.EventRef> droppedEvents = new HashSet<>();
    for (Claim claim : claims) {
      if (!claim.owner.equals(owners.get(ByteBuffer.wrap(claim.hash)))) {
        if (claim.ordinal < 0) {
          droppedDocuments.add(claim.index);
        } else {
          droppedEvents.add(new Admission.EventRef(claim.index, claim.ordinal));
        }
      }
    }
    return Admission.without(batch, droppedDocuments, droppedEvents);
  }

  /** Deletes keys older than the window, a bounded number per call. @return rows deleted */
  int purge(Connection c, String cutoff) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM ingest_keys WHERE created_at < ? LIMIT 10000")) {
      ps.setString(1, cutoff);
      return ps.executeUpdate();
    }
  }

  /**
   * One claim per document sent with an Idempotency-Key, read from the documents' headers; then, only where
   * events can carry keys of their own (an Elasticsearch {@code _id}, {@code dedup.field}), one per keyed
   * event. Events are decoded for that second part alone: decoding every event of every keyed batch cost
   * the flush a String round trip per event.
   */
  private List<Claim> claims(Batch batch) {
    List<Claim> claims = new ArrayList<>();
    for (Batch.RequestKey k : batch.requestKeys()) {
      claims.add(new Claim(hash('r', k.key()), 'r', owner(k.index(), -1), k.index(), -1));
    }
    if (dedupField != null || batch.hasEventKeys()) {
      Admission.forEachEvent(batch, (event, ordinal) -> {
        String eventKey = eventKey(event);
        if (eventKey != null) {
          long index = event.queueIndex();
          claims.add(new Claim(hash('e', eventKey), 'e', owner(index, ordinal), index, ordinal));
        }
      });
    }
    return claims;
  }

  private String owner(long index, int ordinal) {
    return routerId + "/" + Long.toHexString(index) + (ordinal < 0 ? "" : "/" + ordinal);
  }

  /** The event's own key, or the value of {@code dedup.field} in its attributes, or null. */
  String eventKey(LogEvent event) {
    if (event.key() != null || dedupField == null) {
      return event.key();
    }
    try (JsonParser p = JSON.createParser(event.attributes())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        t = p.nextToken();
        if (name.equals(dedupField)) {
          return t.isScalarValue() && t != JsonToken.VALUE_NULL ? p.getText() : null;
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException e) {
      return null; // attributes are JSON written by the router; unreadable ones simply have no key
    }
  }

  private void insertIgnore(Connection c, List<Claim> claims, String now) throws SQLException {
    for (int from = 0; from < claims.size(); from += CHUNK) {
      List<Claim> chunk = claims.subList(from, Math.min(claims.size(), from + CHUNK));
      StringBuilder sql = new StringBuilder("INSERT IGNORE INTO ingest_keys (key_hash, kind, owner, created_at) VALUES ");
      sql.append("(?, ?, ?, ?),".repeat(chunk.size()));
      sql.setLength(sql.length() - 1);
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int i = 1;
        for (Claim claim : chunk) {
          ps.setBytes(i++, claim.hash);
          ps.setString(i++, String.valueOf(claim.kind));
          ps.setString(i++, claim.owner);
          ps.setString(i++, now);
        }
        ps.executeUpdate();
      }
    }
  }

  private static Map<ByteBuffer, String> owners(Connection c, List<Claim> claims) throws SQLException {
    Map<ByteBuffer, String> owners = new HashMap<>();
    for (int from = 0; from < claims.size(); from += CHUNK) {
      List<Claim> chunk = claims.subList(from, Math.min(claims.size(), from + CHUNK));
      String sql = "SELECT key_hash, owner FROM ingest_keys WHERE key_hash IN (" + "?,".repeat(chunk.size() - 1) + "?)";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setBytes(i + 1, chunk.get(i).hash);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            owners.put(ByteBuffer.wrap(rs.getBytes(1)), rs.getString(2));
          }
        }
      }
    }
    return owners;
  }

  private static byte[] hash(char kind, String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((byte) kind);
      return sha.digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
