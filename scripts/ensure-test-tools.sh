#!/usr/bin/env bash
# Install what the browser and lint tests need: Debian's Chromium, and the npm packages
# (axe-core, Spectral) pinned in package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  echo "Chromium ontbreekt; installeren met apt-get" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
fi
if [ ! -d node_modules/axe-core ] || [ ! -d node_modules/@stoplight/spectral-cli ] || \
   [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
