#!/usr/bin/env bash
# Installs the real syslog clients the syslog tests and bench/syslog-bench.sh use, from Debian:
#   rsyslog + rsyslog-mysql + rsyslog-gnutls + libdbd-mysql (apt, system-wide: omfwd, imtcp, ommysql, the gtls
#   stream driver for omfwd over TLS; the libdbi MySQL driver syslog-ng sql() loads)
#   syslog-ng-core + syslog-ng-mod-sql (+ libdbi drivers), unpacked privately under DIR, because
#   syslog-ng-core and rsyslog conflict in apt (apt-get download + dpkg-deb -x; loggen comes with it).
# Idempotent. Usage: scripts/syslog-clients.sh [DIR]   (default target/syslog-clients)
# Prints the shell lines to source: SYSLOGNG_ROOT, LOGGEN, SYSLOGNG, their LD_LIBRARY_PATH.
set -euo pipefail
dir=$(realpath -m "${1:-target/syslog-clients}")
export DEBIAN_FRONTEND=noninteractive
updated=
apt_update() { [ -n "$updated" ] || { apt-get update -qq >&2; updated=1; }; }
if ! command -v rsyslogd >/dev/null || [ ! -e /usr/lib/x86_64-linux-gnu/rsyslog/ommysql.so ] || [ ! -e /usr/lib/x86_64-linux-gnu/dbd/libdbdmysql.so ] \
    || [ ! -e /usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so ]; then
  apt_update
  apt-get install -y -qq rsyslog rsyslog-mysql rsyslog-gnutls libdbi1 libdbd-mysql >&2  # the dbd driver is where syslog-ng looks
fi
root="$dir/root"
if [ ! -x "$root/usr/bin/loggen" ] || [ ! -e "$root/usr/lib/syslog-ng/3.38/libafsql.so" ]; then
  mkdir -p "$dir/debs" "$root"
  apt_update
  (cd "$dir/debs" && apt-get download syslog-ng-core syslog-ng-mod-sql libdbi1 libdbd-mysql libivykis0 \
      libnet1 libwrap0 libjson-c5 libpcre3 libmariadb3 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2)
  for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
fi
echo "export SYSLOGNG_ROOT=$root"
echo "export SYSLOGNG_PREFIX=$root/usr"
echo "export LOGGEN=$root/usr/bin/loggen"
echo "export SYSLOGNG=$root/usr/sbin/syslog-ng"
echo "export SYSLOGNG_MODULES=$root/usr/lib/syslog-ng/3.38"
echo "export SYSLOGNG_LD_LIBRARY_PATH=$root/usr/lib/syslog-ng:$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu"
echo "export DBI_DRIVER_DIR=$root/usr/lib/x86_64-linux-gnu/dbd"
