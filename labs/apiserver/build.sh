#!/usr/bin/env bash
# Builds the pinned kube-apiserver from the k8s.io/kubernetes Go module, once, into the per-user cache.
# The API-server tests (labs/test/kind) run the kind path's Kubernetes code against it: no Docker needed.
# k8s.io/kubernetes cannot be built as a plain dependency: its go.mod points its staging modules
# (k8s.io/api, k8s.io/client-go, …) at ./staging, which module zips omit. A small wrapper module
# replaces each of them with the matching published v0.x release.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="$(sed -n 's/.*"kubeApiserver": *"\(v[0-9.]*\)".*/\1/p' "$root/labs/config/versions.json")"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/tracing-dojo/kube-apiserver/$version"
out="$cache/kube-apiserver"
if [ -x "$out" ]; then echo "$out"; exit 0; fi
command -v go >/dev/null || { echo "building kube-apiserver needs Go (https://go.dev/dl)" >&2; exit 2; }
staging_version="v0.${version#v1.}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "› building kube-apiserver $version from k8s.io/kubernetes (first run only; several minutes)…" >&2
gomod="$(cd "$work" && go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
[ -f "$gomod" ] || { echo "could not download k8s.io/kubernetes@$version from the Go module proxy" >&2; exit 2; }
{
  echo "module dojo.local/kube-apiserver-build"
  echo
  echo "go $(go env GOVERSION | sed 's/^go//; s/\.[0-9]*$//')"
  echo
  echo "require k8s.io/kubernetes $version"
  echo
  # Every staging module is required at v0.0.0 in kubernetes' go.mod: pin each to its release.
  grep -E '^\s+k8s\.io/[a-z0-9-]+ v0\.0\.0$' "$gomod" | awk -v v="$staging_version" '{ print "replace " $1 " => " $1 " " v }'
} > "$work/go.mod"
cat > "$work/tools.go" <<'GO'
//go:build tools

package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
GO
mkdir -p "$cache"
(
  cd "$work"
  GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>&1 || true
  GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -o "$out.partial" k8s.io/kubernetes/cmd/kube-apiserver
)
mv "$out.partial" "$out"
echo "✔ kube-apiserver $version cached at $out" >&2
echo "$out"
