#!/usr/bin/env bash
# Makes sure a Chromium for the browser tests is installed: Debian's package (Playwright cannot download
# its own browser here). CHROMIUM_PATH may name another one.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  echo "site tests need Chromium: install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH" >&2
  exit 2
fi
echo "› installing Debian's chromium for the site's browser tests (once)…" >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
