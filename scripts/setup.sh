#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build and test pingyi: the C libraries pingyi links
# (zlib for ZIPFoundation, GSL, SQLite, ReadStat, libxlsxwriter, libqrencode; zbar to read QR codes back in a test) and the PostgreSQL server its multi-user store is tested
# against (make test starts a throwaway one: scripts/with-postgres.sh). PINGYI_SETUP_BROWSER=1 adds
# Chromium for the browser check (CI sets it), PINGYI_SETUP_PACKAGE=1 debootstrap for the package's
# install test, PINGYI_SETUP_EXTRAS=1 all of that and the benchmark tools.
# Uses sudo when not run as root. Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(pkg-config zlib1g-dev libgsl-dev libsqlite3-dev libreadstat-dev libxlsxwriter-dev libqrencode-dev zbar-tools postgresql)
if [ "${PINGYI_SETUP_EXTRAS:-}" = "1" ] || [ "${PINGYI_SETUP_BROWSER:-}" = "1" ]; then
  # For the real-browser check of pingyi serve (scripts/browser-test.py): headless Chromium, its
  # driver, CJK fonts, and Selenium for python3 (unless python3 already has it).
  packages+=(chromium chromium-driver fonts-noto-cjk)
  # Selenium for the python3 on PATH: from PyPI when that python3 has pip, else Debian's package.
  if ! python3 -c "import selenium" 2>/dev/null; then
    python3 -m pip install --quiet selenium 2>/dev/null || packages+=(python3-selenium)
  fi
fi
if [ "${PINGYI_SETUP_EXTRAS:-}" = "1" ] || [ "${PINGYI_SETUP_PACKAGE:-}" = "1" ]; then
  # For make package and its install test (scripts/package-test.sh): a clean Debian root.
  packages+=(debootstrap)
fi
if [ "${PINGYI_SETUP_EXTRAS:-}" = "1" ]; then
  # For benchmarks: R's survey and sampling packages, hyperfine.
  packages+=(r-cran-survey r-cran-sampling hyperfine)
  # For the .xlsx fixtures (Tests/Fixtures/xlsx/make_fixtures.sh) and the xlsx read benchmark:
  # LibreOffice's spreadsheet, openpyxl and python-calamine.
  packages+=(libreoffice-calc)
  python3 -m pip install --quiet openpyxl python-calamine 2>/dev/null || true
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH (expected Swift 6.3 at /opt/swift)"; exit 1; }
