"""Writes roster-openpyxl.xlsx and the workbooks the error tests read, with openpyxl."""
import datetime, os, sys
import openpyxl
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cells import cells, HERE

def roster_sheet(ws):
    for r, row in enumerate(cells(), start=1):
        for c, cell in enumerate(row, start=1):
            if cell is None:
                continue
            kind, value = cell
            target = ws.cell(row=r, column=c, value=value)
            if kind == "d":
                target.number_format = "yyyy-mm-dd"

def save(wb, name):
    wb.save(os.path.join(HERE, name))

# The roster on its own sheet.
wb = openpyxl.Workbook()
wb.active.title = "名单"
roster_sheet(wb.active)
save(wb, "roster-openpyxl.xlsx")

# A notes sheet first, the roster second (read with --sheet 名单).
wb = openpyxl.Workbook()
wb.active.title = "说明"
wb.active["A1"] = "2026年第四季度 企业负责人名单"
roster_sheet(wb.create_sheet("名单"))
save(wb, "two-sheets.xlsx")

# A formula openpyxl stores without a result (no program has calculated it).
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "名单"
roster_sheet(ws)
ws["E4"] = "=E2+E3"
save(wb, "formula-no-value.xlsx")

# A title merged across the columns above the header.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "名单"
ws.append(["2026年第四季度 企业负责人名单"])
ws.merge_cells("A1:I1")
for row in cells():
    ws.append([None if cell is None else cell[1] for cell in row])
save(wb, "merged-title.xlsx")

# A town merged down its rows, as rosters often are for print.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "名单"
roster_sheet(ws)
ws["C3"] = None
ws.merge_cells("C2:C3")
save(wb, "merged-town.xlsx")

# The shipped enterprise frame as a workbook (numbers as numbers, codes with leading zeros as
# text), for the test that draws the same list from it as from the CSV.
import csv
with open(os.path.join(HERE, "..", "..", "..", "datasets", "enterprises.csv"), encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f))
def cook(v):
    if v == "":
        return None
    if v.isdigit() and not (len(v) > 1 and v[0] == "0"):
        return int(v)
    return v
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("企业")
ws.append(rows[0])
for row in rows[1:]:
    ws.append([cook(v) for v in row])
save(wb, "enterprises.xlsx")
