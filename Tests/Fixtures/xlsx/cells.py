"""The roster's cells with the type each writer stores them as: integers and decimals as numbers,
dates (surveyed) as dates, everything else as text; empty cells left out. Shared by the
openpyxl writer and the libxlsxwriter writer (through cells.tsv) so both write the same cells."""
import csv, datetime, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
NUMBER_COLUMNS = {"employees", "share"}
DATE_COLUMNS = {"surveyed"}

def cells():
    with open(os.path.join(HERE, "roster.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    out = [[("s", name) for name in header]]
    for row in rows[1:]:
        cooked = []
        for name, value in zip(header, row):
            if value == "":
                cooked.append(None)
            elif name in NUMBER_COLUMNS:
                cooked.append(("n", int(value)) if value.isdigit() else ("n", float(value)))
            elif name in DATE_COLUMNS:
                cooked.append(("d", datetime.date.fromisoformat(value)))
            else:
                cooked.append(("s", value))
        out.append(cooked)
    return out

if __name__ == "__main__":
    # row TAB column TAB type TAB value, 0-based, for the C writer.
    for r, row in enumerate(cells()):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            kind, value = cell
            if kind == "d":
                value = value.isoformat()
            sys.stdout.write(f"{r}\t{c}\t{kind}\t{value}\n")
