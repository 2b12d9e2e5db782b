#!/usr/bin/env bash
# System packages the test suite needs beyond PyPI: headless Chromium and its
# driver for the browser tests, and Virtuoso (the server binary and isql,
# without Debian's system service, so nothing starts on fixed ports and no
# dba password is asked for) for the triple-store tests, and Tesseract with its
# English, French and Spanish data for reading scanned PDFs (mclinks.text.readers).
# Installed once with apt, non-interactively; a no-op when present.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
{ command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null; } || need+=(virtuoso-opensource-7-bin)
command -v tesseract >/dev/null || need+=(tesseract-ocr)
for lang in eng fra spa; do
  tesseract --list-langs 2>/dev/null | grep -qx "$lang" || need+=("tesseract-ocr-$lang")
done
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup-system: ${need[*]} missing and not root; the browser or Virtuoso tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt_get() { apt-get -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"; }
apt_get update -qq >/dev/null
apt_get install -y -qq "${need[@]}" >/dev/null
