#!/bin/sh
# Container entrypoint of the log-router image: pins the router id to the volume, then becomes the
# JVM (exec), so SIGTERM from `docker stop` reaches the router itself.
#
# Why pin it: the router id names this instance's row in router_offsets, the committed position in
# its own queue. Left unset it defaults to the host name, which in a container is the container id
# and changes whenever compose recreates the container, while the (anonymous) queue volume is carried
# over. A new id over an old queue would replay events already in MySQL. So the first start records
# the id next to the queue, and every later start of the same volume reuses it.
set -eu

state_dir="${LOGROUTER_STATE_DIR:-/var/lib/log-router}"
id_file="$state_dir/router-id"

if [ -z "${LOGROUTER_ROUTER_ID:-}" ]; then
  if [ -s "$id_file" ]; then
    LOGROUTER_ROUTER_ID="$(cat "$id_file")"
  else
    LOGROUTER_ROUTER_ID="${HOSTNAME:-$(cat /proc/sys/kernel/hostname)}"
    printf '%s\n' "$LOGROUTER_ROUTER_ID" > "$id_file"
  fi
  export LOGROUTER_ROUTER_ID
fi

# The heap cap of the image (Dockerfile: LOGROUTER_JAVA_HEAP_OPTS), set on the java command line.
if [ "${1:-}" = java ]; then
  shift
  # shellcheck disable=SC2086 # the options are words on purpose
  set -- java ${LOGROUTER_JAVA_HEAP_OPTS:-} "$@"
fi

exec "$@"
