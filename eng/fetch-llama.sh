#!/usr/bin/env bash
# Fetches the prebuilt llama.cpp v0.5.0 shared libraries (CPU, linux-x64) from the npm package
# @node-llama-cpp/linux-x64@3.22.1 with `npm pack`, checks the tarball's SHA-256 and unpacks the
# libraries into .native/llama-v0.5.0/linux-x64 (git-ignored). Idempotent and safe to run
# concurrently. Set HYBRIDSYNTH_LLAMA_DIR to use your own build instead (nothing is fetched).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:-$root/.native/llama-v0.5.0/linux-x64}"
package="@node-llama-cpp/linux-x64@3.22.1"
sha256="0d953e1503d5ab4608d8ed5b739132308c81ac05ffeb760d2a7f30e08a9f90e0"

if [ -n "${HYBRIDSYNTH_LLAMA_DIR:-}" ]; then exit 0; fi
if [ -f "$dest/libllama.v0.5.0.so" ]; then exit 0; fi
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "fetch-llama: prebuilt libraries exist for Linux x86-64 only; set HYBRIDSYNTH_LLAMA_DIR to your own llama.cpp v0.5.0 build" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-llama: npm is not installed; install Node.js/npm or set HYBRIDSYNTH_LLAMA_DIR" >&2
  exit 1
fi
mkdir -p "$(dirname "$dest")"
exec 9>"$(dirname "$dest")/.fetch.lock"
flock 9
if [ -f "$dest/libllama.v0.5.0.so" ]; then exit 0; fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "$package" --silent >/dev/null)
tarball="$(ls "$work"/*.tgz)"
actual="$(sha256sum "$tarball" | cut -d' ' -f1)"
if [ "$actual" != "$sha256" ]; then
  echo "fetch-llama: $package has SHA-256 $actual, expected $sha256; not using it" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/bins/linux-x64
rm -f "$work/package/bins/linux-x64/libllama-common.so" "$work/package/bins/linux-x64/llama-addon.node"
rm -rf "$dest.tmp" && mv "$work/package/bins/linux-x64" "$dest.tmp" && rm -rf "$dest" && mv "$dest.tmp" "$dest"
echo "fetch-llama: llama.cpp v0.5.0 libraries in $dest"
