#!/usr/bin/env bash
# Test-only dependencies that do not come from PyPI; CI runs this before the suite.
#   - axe-core (npm registry, pinned) -> tests/browser/vendor/axe.min.js, injected by the browser tests
#   - Chromium and its driver (Debian packages), when run as root and not yet installed
# Safe to run again: it does nothing when the pinned files are already in place.
set -euo pipefail

AXE_VERSION="4.14.1"
AXE_SHA256="29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # of axe.min.js
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENDOR="$ROOT/tests/browser/vendor"

if [[ "$(cat "$VENDOR/axe-core.version" 2>/dev/null || true)" != "$AXE_VERSION" || ! -s "$VENDOR/axe.min.js" ]]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null)
  tar -xzf "$work/axe-core-$AXE_VERSION.tgz" -C "$work" package/axe.min.js package/LICENSE
  echo "$AXE_SHA256  $work/package/axe.min.js" | sha256sum --check --quiet -
  mkdir -p "$VENDOR"
  cp "$work/package/axe.min.js" "$VENDOR/axe.min.js"
  cp "$work/package/LICENSE" "$VENDOR/axe-core.LICENSE"
  echo "$AXE_VERSION" > "$VENDOR/axe-core.version"
  echo "axe-core $AXE_VERSION installed in $VENDOR"
fi

if ! command -v chromium >/dev/null || [[ ! -x /usr/bin/chromedriver ]]; then
  if [[ "$(id -u)" == 0 ]]; then
    apt-get update -qq && apt-get install -y -qq chromium chromium-driver
  else
    echo "chromium/chromedriver missing: run 'apt-get install -y chromium chromium-driver' as root" >&2
    exit 1
  fi
fi
