package io.logrouter.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PayloadFactoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = "0b6c7f4e-5a1d-4c1e-9a5e-3f1f7b2a9c10";
    private static final long NOW = 1_700_000_000_123L;

    @Test
    void seedEventHasTheReplacedSystemsShapePlusRunAndSeq() throws Exception {
        Payload p = new PayloadFactory(PayloadKind.SEED, 1, RUN).build(42, NOW);
        assertEquals(PayloadFactory.JSON, p.contentType());
        assertEquals(42, p.firstSeq());
        assertEquals(1, p.events());
        JsonNode e = JSON.readTree(p.body());
        assertTrue(e.isObject());
        assertEquals(Set.of("id", "unix_ts", "user_id", "event_name", "run_id", "seq"), fieldNames(e));
        assertEquals(42, e.get("id").asLong());
        assertEquals(1_700_000_000L, e.get("unix_ts").asLong());
        assertTrue(e.get("user_id").isIntegralNumber());
        assertTrue(e.get("event_name").isTextual());
        assertEquals(RUN, e.get("run_id").asText());
        assertEquals(42, e.get("seq").asLong());
        assertFalse(e.has("message"), "seed senders send no message");
    }

    @Test
    void structuredEventsCarryCanonicalFieldsAndTypedAttributes() throws Exception {
        Payload p = new PayloadFactory(PayloadKind.STRUCTURED, 3, RUN).build(100, NOW);
        assertEquals(PayloadFactory.JSON, p.contentType());
        JsonNode array = JSON.readTree(p.body());
        assertTrue(array.isArray());
        assertEquals(3, array.size());
        for (int i = 0; i < 3; i++) {
            JsonNode e = array.get(i);
            assertEquals(Instant.ofEpochMilli(NOW), Instant.parse(e.get("timestamp").asText()));
            assertTrue(Set.of("INFO", "WARN", "ERROR").contains(e.get("level").asText()));
            assertEquals("loadgen", e.get("source").asText());
            assertFalse(e.get("message").asText().isEmpty());
            assertEquals(RUN, e.get("run_id").asText());
            assertEquals(100 + i, e.get("seq").asLong());
            assertTrue(e.get("http_status").isInt());
            assertTrue(e.get("cached").isBoolean());
        }
        assertEquals("ERROR", array.get(0).get("level").asText(), "seq 100 is one of the 1-in-100 errors");
    }

    @Test
    void ndjsonIsOneObjectPerLineWithConsecutiveSeqs() throws Exception {
        Payload p = new PayloadFactory(PayloadKind.NDJSON, 1000, RUN).build(5000, NOW);
        assertEquals(PayloadFactory.NDJSON, p.contentType());
        assertEquals(1000, p.events());
        String body = new String(p.body(), StandardCharsets.UTF_8);
        assertTrue(body.endsWith("\n"));
        String[] lines = body.split("\n");
        assertEquals(1000, lines.length);
        List<Long> seqs = new ArrayList<>();
        for (String line : lines) {
            JsonNode e = JSON.readTree(line);
            assertTrue(e.isObject());
            seqs.add(e.get("seq").asLong());
        }
        assertEquals(5000L, seqs.get(0));
        assertEquals(5999L, seqs.get(999));
        assertEquals(1000, new TreeSet<>(seqs).size(), "every seq unique");
    }

    @Test
    void seedBatchesAreJsonArrays() throws Exception {
        Payload p = new PayloadFactory(PayloadKind.SEED, 2, RUN).build(0, NOW);
        JsonNode array = JSON.readTree(p.body());
        assertEquals(2, array.size());
        assertEquals(0, array.get(0).get("seq").asLong());
        assertEquals(1, array.get(1).get("seq").asLong());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
