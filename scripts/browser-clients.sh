#!/usr/bin/env bash
# Installs the headless browser the UI test drives, from Debian: chromium + chromium-driver (apt,
# system-wide). Idempotent. Usage: scripts/browser-clients.sh
# Prints the shell lines to source: CHROMIUM (the browser binary), CHROMEDRIVER (the driver binary).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >&2
fi
echo "export CHROMIUM=$(command -v chromium)"
echo "export CHROMEDRIVER=$(command -v chromedriver)"
