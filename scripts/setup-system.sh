#!/usr/bin/env bash
# Installs the system packages brief needs, only those missing, from the distribution.
# Usage: scripts/setup-system.sh [runtime|test|bench]
#   runtime: what rendering needs (Pango for WeasyPrint, HarfBuzz's subsetter so that font
#            subsetting does not fall back to the much slower fontTools path, fontconfig),
#            and the Noto CJK collections, pinned to bookworm's 1:20220127+repack1-1, from
#            which `make fonts` (scripts/cjk_fonts.py, which checks their SHA-256)
#            extracts the CJK faces the briefings embed.
#   test:    runtime plus the tools the test suite reads outputs with (qpdf, poppler's
#            pdftotext/pdffonts/pdftoppm), a headless browser for the HTML checks,
#            systemd-analyze (package systemd) for the units in deploy/, LibreOffice's
#            Writer without its GUI (soffice converts the DOCX briefings to PDF; the Noto
#            CJK fonts of runtime show Chinese names in it), and npm (unless one is already on
#            the PATH) to install the accessibility checker.
#   bench:   runtime plus the baselines of the benchmark: make, ninja and GNU time.
set -euo pipefail

runtime=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk)
testing=(qpdf poppler-utils chromium systemd libreoffice-writer-nogui)

benchmark=(make ninja-build time)

wanted=("${runtime[@]}")
[ "${1:-runtime}" = bench ] && wanted+=("${benchmark[@]}")
if [ "${1:-runtime}" = test ]; then
  wanted+=("${testing[@]}")
  command -v npm >/dev/null 2>&1 || wanted+=(npm)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "setup-system: not a Debian-family system; install these yourself: ${wanted[*]}" >&2
  exit 0
fi

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# The CJK collections at the version whose files scripts/cjk_fonts.py pins.
pinned=()
for pkg in "${missing[@]}"; do
  [ "$pkg" = fonts-noto-cjk ] && pkg="fonts-noto-cjk=1:20220127+repack1-1"
  pinned+=("$pkg")
done
$sudo apt-get install -y -qq --no-install-recommends "${pinned[@]}" >/dev/null
