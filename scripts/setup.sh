#!/usr/bin/env bash
# Installs what rkat needs on Debian/Ubuntu when it is missing; does nothing when it is present.
# Idempotent: safe to run before every build (the README's commands and CI do).
set -euo pipefail

# wamerican: the English word list the language scan (LanguageScanTests) checks outputs against.
# fonts-liberation: Liberation Sans, Arial's metrics, which scripts/check_print.py measures workbooks in.
# zlib1g-dev: ZIPFoundation inflates .xlsx workbooks through zlib; libxml2: Foundation's XMLParser reads their XML.
packages=(libgsl-dev libxlsxwriter-dev pkg-config wamerican fonts-liberation zlib1g-dev libxml2)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null 2>&1 || { echo "setup: the Swift toolchain (6.x) is not on PATH" >&2; exit 1; }
