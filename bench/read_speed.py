"""Speed and peak memory of ``read_table`` on a realistic 15-column Dutch CSV or XLSX.

    python bench/read_speed.py                  # 100,000 and 1,000,000 rows, median of 3
    python bench/read_speed.py --rows 200000 --repeat 1 --encoding cp1252
    python bench/read_speed.py --format xlsx --rows 100000    # the project's writer: inline text
    python bench/read_speed.py --format excel --rows 100000   # as Excel saves: shared strings

The XLSX files hold the same leads as the CSV; ``excel`` stores text once in the shared-strings
table and digits without a leading zero as numbers, as Excel does when it saves a list.

Each read runs in a fresh Python process, so the peak RSS printed is that of the read alone
(interpreter and imports included). Wall seconds exclude the imports; CPU seconds are printed
too, as they suffer less from other work on a shared machine. The limit from issue 3: 1,000,000 rows under 1.5 GiB.
"""
from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

HEADER = ["Bedrijfsnaam", "KvK", "Adres", "Postcode", "Plaats", "Telefoon", "Mobiel", "E-mail",
          "Website", "Aanhef", "Voorletters", "Voornaam", "Tussenvoegsel", "Achternaam",
          "Opmerking"]
_CITIES = ["Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Zwolle",
           "Enschede", "Haarlem", "Breda", "Nijmegen", "Tilburg", "Almere", "Leeuwarden",
           "'s-Hertogenbosch", "Delft", "Leiden", "Maastricht", "Arnhem", "Apeldoorn"]
_FIRST = ["Jan", "Piet", "Kees", "Anna", "Maria", "Sanne", "Lotte", "Daan", "Sem", "Emma",
          "Noah", "Julia", "Lucas", "Tess", "Bram", "Eva", "Ruben", "Fleur", "Thijs", "Zoë"]
_LAST = ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
         "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker"]
_PREFIX = ["", "", "", "van", "de", "van der", "van den", "ter"]
_STREETS = ["Hoofdstraat", "Kerkweg", "Dorpsstraat", "Stationsweg", "Molenlaan", "Schoolstraat",
            "Marktplein", "Beukenlaan", "Industrieweg", "Julianastraat"]
_KINDS = ["Bakkerij", "Installatiebedrijf", "Garage", "Holding", "Adviesbureau", "Transport",
          "Stichting", "Café"]
_FORMS = ["B.V.", "BV", "", "V.O.F.", "N.V."]
_NOTES = ["", "", "klant sinds 2010", "terugbellen", "geen interesse", "bellen na 5 uur"]


def make_csv(path: Path, rows: int, *, seed: int = 3, encoding: str = "utf-8") -> Path:
    """Write a semicolon CSV of ``rows`` synthetic Dutch leads (15 columns), in chunks."""
    rng = np.random.default_rng(seed)
    with path.open("w", encoding=encoding, newline="") as fh:
        fh.write(";".join(HEADER) + "\r\n")
        for start in range(0, rows, 50_000):
            n = min(50_000, rows - start)

            def pick(values: list[str], n: int = n) -> np.ndarray:
                return np.asarray(values, dtype=object)[rng.integers(0, len(values), n)]

            kind, last, first = pick(_KINDS), pick(_LAST), pick(_FIRST)
            number = rng.integers(1, 300, n)
            kvk = rng.integers(10_000_000, 99_999_999, n)
            pc = rng.integers(1000, 9999, n)
            letters = rng.integers(65, 91, (n, 2))
            tel = rng.integers(100_000_000, 599_999_999, n)
            mob = rng.integers(10_000_000, 99_999_999, n)
            form, city, prefix = pick(_FORMS), pick(_CITIES), pick(_PREFIX)
            street, salutation, note = pick(_STREETS), pick(["Dhr.", "Mevr.", ""]), pick(_NOTES)
            lines = []
            for i in range(n):
                org = f"{kind[i]} {last[i]} {number[i]} {form[i]}".strip()
                domain = f"{last[i].replace(' ', '').lower()}{number[i]}.nl"
                lines.append(";".join((
                    org, str(kvk[i]), f"{street[i]} {number[i]}",
                    f"{pc[i]} {chr(letters[i, 0])}{chr(letters[i, 1])}", city[i], f"0{tel[i]}",
                    f"06{mob[i]}", f"{first[i].lower()}@{domain}", f"www.{domain}",
                    salutation[i], f"{first[i][0]}.", first[i], prefix[i],
                    last[i].split()[-1], note[i])))
            fh.write("\r\n".join(lines) + "\r\n")
    return path


def make_xlsx(path: Path, rows: int) -> Path:
    """Write the leads of :func:`make_csv` with the project's XLSX writer (every cell text)."""
    import pandas as pd

    from workbench.xlsx import write_text_xlsx

    source = make_csv(path.with_suffix(".csv"), rows)
    frame = pd.read_csv(source, sep=";", dtype=str, keep_default_na=False).replace("", None)
    source.unlink()
    return write_text_xlsx({"Leads": frame}, path)


_PARTS = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>",
    "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
}


def make_excel_xlsx(path: Path, rows: int) -> Path:
    """Write the leads of :func:`make_csv` as Excel saves them: shared strings and numbers."""
    source = make_csv(path.with_suffix(".csv"), rows)
    strings: dict[str, int] = {}
    cells = []
    with source.open(encoding="utf-8", newline="") as fh:
        for r, record in enumerate(csv.reader(fh, delimiter=";"), start=1):
            row = []
            for c, value in enumerate(record):
                ref = f"{chr(65 + c)}{r}"  # 15 columns: A to O
                if not value:
                    continue
                if r > 1 and value.isdigit() and value[0] != "0":
                    row.append(f'<c r="{ref}"><v>{value}</v></c>')
                else:
                    row.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(value, len(strings))}'
                               "</v></c>")
            cells.append(f'<row r="{r}">{"".join(row)}</row>')
    source.unlink()
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData>{"".join(cells)}</sheetData></worksheet>')
    table = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in _PARTS.items():
            book.writestr(name, text)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        book.writestr("xl/sharedStrings.xml", table)
    return path


_CHILD = """
import json, resource, sys, time
from workbench.read import read_table
t0, c0 = time.perf_counter(), time.process_time()
frame = read_table(sys.argv[1])
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"rows": len(frame), "seconds": seconds, "cpu": cpu, "peak": peak}))
"""


def measure(path: Path) -> dict[str, float]:
    """Read ``path`` in a fresh process; return rows, seconds and peak RSS in bytes."""
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True,
                          text=True)
    if done.returncode:  # e.g. a UTF-16 file of 1,000,000 rows is over the 200 MB limit
        raise SystemExit(done.stderr.strip().splitlines()[-1])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Run the benchmark and print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--encoding", default="utf-8", help="of the CSV")
    parser.add_argument("--format", choices=["csv", "xlsx", "excel"], default="csv")
    args = parser.parse_args()
    kind = args.encoding if args.format == "csv" else args.format
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            if args.format == "csv":
                path = make_csv(Path(tmp) / f"leads_{rows}.csv", rows, encoding=args.encoding)
            else:
                # Written in a fresh process: a child's peak RSS counts the memory its parent
                # holds when it starts it, and these writers hold the whole table.
                path = Path(tmp) / f"leads_{rows}.xlsx"
                make = make_xlsx if args.format == "xlsx" else make_excel_xlsx
                writer = multiprocessing.get_context("spawn").Process(target=make,
                                                                      args=(path, rows))
                writer.start()
                writer.join()
            runs = [measure(path) for _ in range(args.repeat)]
            seconds = statistics.median(r["seconds"] for r in runs)
            peak = statistics.median(r["peak"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            each = ", ".join(f"{r['seconds']:.2f}" for r in runs)
            print(f"read_table {rows:>9,} rows x {len(HEADER)} cols ({kind}, "
                  f"{path.stat().st_size / 1024**2:.0f} MB): {seconds:6.2f} s median of "
                  f"{len(runs)} ({each}), CPU {cpu:.2f} s, "
                  f"peak RSS {peak / 1024**2:,.0f} MB", flush=True)


if __name__ == "__main__":
    main()
