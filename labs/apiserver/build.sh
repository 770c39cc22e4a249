#!/usr/bin/env bash
# Builds the pinned kube-apiserver from the k8s.io/kubernetes Go module, once, into the per-user cache.
# The API-server tests (labs/test/kind) run the kind path's Kubernetes code against it: no Docker needed.
# The wrapper module beside this script (go.mod + go.sum) pins the release and its staging modules;
# prints the binary's path on stdout, progress on stderr; instant when the binary is cached.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
versions="$here/../config/versions.json"
version="$(sed -n 's/.*"kubeApiserver": *"\(v[0-9.]*\)".*/\1/p' "$versions")"
pinned="$(sed -n 's/^[[:space:]]*k8s.io\/kubernetes \(v[0-9.]*\).*/\1/p' "$here/go.mod")"
if [ -z "$version" ] || [ "$version" != "$pinned" ]; then
  echo "labs/apiserver/go.mod pins k8s.io/kubernetes ${pinned:-?} but versions.json says ${version:-?}: make them equal" >&2
  exit 2
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/tracing-dojo/kube-apiserver/$version"
out="$cache/kube-apiserver"
if [ -x "$out" ]; then echo "$out"; exit 0; fi
command -v go >/dev/null || { echo "building kube-apiserver needs Go ≥ 1.24 (https://go.dev/dl)" >&2; exit 2; }

started=$SECONDS
say() { echo "› [$(( SECONDS - started ))s] $*" >&2; }
say "building kube-apiserver $version from k8s.io/kubernetes (first run only; 10-20 min on 2 cores)"
cd "$here"
say "downloading modules (go.sum-verified)"
GOFLAGS=-mod=readonly go mod download
mkdir -p "$cache"
say "compiling (CGO_ENABLED=0; a line every 30 s while it runs)"
# `go build` is silent for minutes on a cold cache; a heartbeat tells the user it is alive.
( while sleep 30; do say "still compiling…"; done ) &
heartbeat=$!
trap 'kill "$heartbeat" 2>/dev/null || true; rm -f "$out.partial"' EXIT
GOFLAGS=-mod=readonly CGO_ENABLED=0 go build -trimpath \
  -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$version -X k8s.io/component-base/version.gitTreeState=clean" \
  -o "$out.partial" k8s.io/kubernetes/cmd/kube-apiserver
mv "$out.partial" "$out"
say "✔ kube-apiserver $version cached at $out"
echo "$out"
