#!/usr/bin/env bash
# Makes the .xlsx fixtures the Tables tests read, from roster.csv: one workbook each written by
# libxlsxwriter (a small C program), openpyxl and LibreOffice (soffice --convert-to xlsx), plus
# the workbooks the error tests read (openpyxl). The outputs are committed; tests never need these
# tools. Needs: gcc, libxlsxwriter-dev, python3 with openpyxl, libreoffice-calc.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gcc -O2 -o "$work/write" write_libxlsxwriter.c $(pkg-config --cflags --libs xlsxwriter)
python3 cells.py | "$work/write" roster-libxlsxwriter.xlsx

python3 write_openpyxl.py

# LibreOffice's CSV import: comma, double quote, UTF-8 (76), from line 1; columns 1 (id) and 7
# (phone) as text (2) so leading zeros stay, 8 (surveyed) as year-month-day dates (5).
cp roster.csv "$work/roster-libreoffice.csv"
soffice --headless --norestore -env:UserInstallation=file://"$work/profile" \
  --infilter="CSV:44,34,76,1,1/2/2/1/3/1/4/1/5/1/6/1/7/2/8/5/9/1" \
  --convert-to xlsx --outdir "$work" "$work/roster-libreoffice.csv" >/dev/null
cp "$work/roster-libreoffice.xlsx" roster-libreoffice.xlsx
ls -l *.xlsx
