# syntax=docker/dockerfile:1
# log-router image: `docker build -t log-router .` (BuildKit, the default builder since Docker 23).
#
# Stage 1 builds the shaded jar with Maven on Temurin 17; stage 2 runs it on the Temurin 17 JRE
# alone (no JDK, no Maven), as a non-root user, with the disk queue on a volume.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# The pom first: its dependencies resolve into a cache mount that survives source edits.
COPY pom.xml ./
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline || true
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
# A fixed, non-root uid/gid (10001: clear of the distro's system and login ranges) so that bind
# mounts and volume ownership are predictable across rebuilds.
RUN groupadd --system --gid 10001 logrouter \
 && useradd --system --uid 10001 --gid logrouter --home-dir /var/lib/log-router --no-create-home \
      --shell /usr/sbin/nologin logrouter \
 && mkdir -p /var/lib/log-router/queue \
 && chown -R logrouter:logrouter /var/lib/log-router
COPY --from=build /build/target/log-router.jar /app/log-router.jar
COPY config/log-router.properties /app/config/log-router.properties
COPY --chmod=0755 deploy/docker-entrypoint.sh /app/docker-entrypoint.sh

ENV LOGROUTER_CONFIG=/app/config/log-router.properties \
    LOGROUTER_QUEUE_DIR=/var/lib/log-router/queue \
    LOGROUTER_HTTP_PORT=8080
# The whole state dir is the volume: the queue plus the router id file the entrypoint keeps beside
# it. A new (anonymous) volume copies this directory's ownership, so the non-root user can write.
VOLUME ["/var/lib/log-router"]
WORKDIR /var/lib/log-router
USER logrouter:logrouter
EXPOSE 8080

# No curl or wget needed (the JRE image does not promise either): bash's /dev/tcp speaks just
# enough HTTP/1.0 to read the status line of GET /health. 30 s start period: migrations on a
# cold MySQL plus JVM start; 3 misses in a row before "unhealthy".
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${LOGROUTER_HTTP_PORT} && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r -t 3 _ status _ <&3 && [ \"$status\" = 200 ]"]

# SIGTERM starts the router's drain and final flush; the entrypoint `exec`s java, so the JVM is
# PID 1's process and gets the signal directly.
STOPSIGNAL SIGTERM
# The heap is capped (LOGROUTER_JAVA_HEAP_OPTS, read by the entrypoint): under load the JVM grows into
# whatever heap it may have. With 96 MB and SerialGC, two malloc arenas instead of one per thread, the
# queue's pages trimmed from memory (queue.resident.trim.interval/.bytes) and the C heap handed back to the
# OS every second (TrimNativeHeapInterval, JDK 17.0.9+: glibc otherwise keeps the ~30 MB the JIT compilers
# freed), the router peaked at 220-238 MB RSS at saturation against 776 MB uncapped (BENCHMARKS.md,
# bench/rss-saturation.sh). Raise the heap with flush.max.bytes / http.max.inflight.body.bytes; the router
# warns at start when the heap is far above what its settings use.
ENV LOGROUTER_JAVA_HEAP_OPTS="-Xmx96m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=1000" \
    MALLOC_ARENA_MAX=2
ENTRYPOINT ["/app/docker-entrypoint.sh", "java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/log-router.jar"]
