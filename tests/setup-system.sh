#!/usr/bin/env bash
# System packages the test suite needs beyond PyPI: headless Chromium and its
# driver for the browser tests. Installed once; a no-op when present.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup-system: chromium/chromedriver missing and not root; browser tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium chromium-driver >/dev/null
