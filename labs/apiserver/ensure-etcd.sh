#!/usr/bin/env bash
# etcd for the API-server tests, from Debian's etcd-server package (installed once when missing).
set -euo pipefail
if command -v etcd >/dev/null; then command -v etcd; exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  echo "the API-server tests need etcd: install it (Debian: sudo apt-get install etcd-server)" >&2
  exit 2
fi
echo "› installing Debian's etcd-server for the API-server tests (once)…" >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
command -v etcd
