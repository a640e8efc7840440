# Generates the bench rows as tab-separated values for LOAD DATA (id is AUTO_INCREMENT):
# ts, level, source, message, attributes, received_at, router_id.
# Deterministic (srand(seed)) so every run loads the same table. ts grows with the row number,
# like a live table where ids and times rise together, with up to 2 s of jitter (late events).
# Level mix of a typical service fleet: mostly INFO, a few % ERROR.
BEGIN {
  srand(seed);
  split("INFO INFO INFO INFO INFO INFO INFO DEBUG DEBUG WARN WARN ERROR", levels, " ");
  nlevels = 12;
  split("timeout connecting to db;user login successful;order placed;payment declined;cache miss for key;request served;retrying upstream call;disk usage high;session expired;invalid token", msgs, ";");
  nmsgs = 10;
  step = days * 86400.0 / rows;
  for (i = 0; i < rows; i++) {
    t = start + i * step + rand() * 2.0;
    sec = int(t); micros = int((t - sec) * 1000000);
    ts = strftime("%Y-%m-%d %H:%M:%S", sec, 1) sprintf(".%06d", micros);
    lvl = (rand() < 0.01) ? "FATAL" : levels[int(rand() * nlevels) + 1];
    src = sprintf("svc-%02d", int(rand() * sources));
    user = int(rand() * 100000);
    msg = msgs[int(rand() * nmsgs) + 1] " #" i;
    attrs = sprintf("{\"user_id\":%d,\"email\":\"user%d@example.com\",\"environment\":\"prod\",\"data\":{\"key\":%d}}", user, user, i % 1000);
    printf "%s\t%s\t%s\t%s\t%s\t%s\trouter-bench\n", ts, lvl, src, msg, attrs, ts;
  }
}
