"""The numbers in a lesson's prose that no run on record printed: a review aid for when the prose or the records change.

    python scripts/prose_numbers.py notebooks/0*.ipynb               # each number found nowhere, with its context
    python scripts/prose_numbers.py --rounded notebooks/03_*.ipynb   # also those found only by rounding a record

Every number in a notebook's Markdown is looked for among the numbers its own code and outputs print (the check
cell, the tables; not the text drawn inside figures) and those of the records, benchmarks/SEEDS.md, BACKENDS.md
and RESULTS.md. A number is found when one of them equals it as written (0.5 and 0.50 alike, 27,500 and 2.75e+04
alike, a percentage as its fraction), or, with `--rounded`, when one rounds to it at its number of decimals.
Years and numbers inside links are skipped. What is found nowhere is printed: a number derived from printed ones (a ratio, a difference), a paper's, a piece of
arithmetic, or one from a run that no record holds, which the lesson must mark as such or drop. After the records
are rerun, the numbers that moved from found to nowhere are the sentences to rewrite.
"""

import argparse
import decimal
import json
import pathlib
import re
import sys

NUMBER = re.compile(r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?(?![\w])")
RECORDS = ("SEEDS.md", "BACKENDS.md", "RESULTS.md")
URL = re.compile(r"https?://\S+")
YEAR = re.compile(r"(?:19|20)\d\d")


def numbers_in(text):
    """The non-negative numbers written in `text`, as `Decimal`s (thousands separators dropped)."""
    return [decimal.Decimal(match.replace(",", "")) for match in NUMBER.findall(text)]


def printed_text(notebook):
    """What a notebook's code and outputs say: code sources, stream and plain-text outputs (not images or HTML)."""
    parts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        parts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            parts.append("".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def known_numbers(texts):
    """The numbers of `texts`, and each as a percentage (0.914 and 91.4 alike)."""
    known = set()
    for text in texts:
        for value in numbers_in(text):
            known.update((value, value * 100, value / 100))
    return {value.normalize() for value in known}


def rounds_to(value, decimals, known):
    """Whether some known number rounds (half up) to `value` at `decimals` places."""
    quantum = decimal.Decimal(1).scaleb(-decimals)
    return any(k.quantize(quantum, rounding=decimal.ROUND_HALF_UP) == value for k in known
               if abs(k - value) <= quantum)


def unrecorded(notebook_path, records_dir, rounded=False):
    """`(cell index, number as written, context)` for each number of the Markdown found nowhere on record."""
    notebook = json.loads(pathlib.Path(notebook_path).read_text(encoding="utf-8"))
    records = [(pathlib.Path(records_dir) / name).read_text(encoding="utf-8") for name in RECORDS
               if (pathlib.Path(records_dir) / name).exists()]
    known = known_numbers([printed_text(notebook), *records])
    found = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        in_url = [span.span() for span in URL.finditer(text)]
        for match in NUMBER.finditer(text):
            written = match.group()
            if YEAR.fullmatch(written) or any(start <= match.start() < end for start, end in in_url):
                continue   # a citation's year or a link, not a measurement
            value = decimal.Decimal(written.replace(",", ""))
            if value.normalize() in known:
                continue
            decimals = len(written.split(".")[1]) if "." in written and "e" not in written else 0
            if rounded and rounds_to(value, decimals, known):
                continue
            context = " ".join(text[max(0, match.start() - 60):match.end() + 40].split())
            found.append((index, written, context))
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--records", default="benchmarks", help="the folder of SEEDS.md, BACKENDS.md, RESULTS.md")
    parser.add_argument("--rounded", action="store_true", help="count a number found by rounding a record as found")
    args = parser.parse_args(argv)
    if not pathlib.Path(args.records).is_dir():
        parser.error(f"--records: {args.records!r} is not a folder")
    for path in args.notebooks:
        rows = unrecorded(path, args.records, rounded=args.rounded)
        print(f"{path}: {len(rows)} numbers found nowhere on record")
        for index, written, context in rows:
            print(f"  cell {index:3d}  {written:>12s}  …{context}…")
    return 0


if __name__ == "__main__":
    sys.exit(main())
