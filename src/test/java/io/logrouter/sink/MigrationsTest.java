package io.logrouter.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.logrouter.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

class MigrationsTest {
  @Test
  void schemaCreatesTablesAndSecondRunAppliesNothing() {
    try (TestDatabase db = TestDatabase.create("migrations")) {
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs"));
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM router_offsets"));
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs_rejected"));
      assertEquals(0, Migrations.migrate(db.dataSource()));
    }
  }
}
