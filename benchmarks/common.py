"""What the benchmark scripts share: paths, the notebook runner, Markdown tables, medians."""

import importlib.util
import pathlib
import re
import statistics
import subprocess

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
QUICK_NOTEBOOK = NOTEBOOKS_DIR / "00_setup_check.ipynb"
CELL_TIMEOUT = 600  # seconds per cell, as `make test` allows
PRINTED_HEADING = "What the check cells printed on {}"   # BACKENDS.md's heading of each backend's printouts


def lesson_notebooks():
    """Every lesson, notebooks/[0-9]*.ipynb, in order."""
    return sorted(NOTEBOOKS_DIR.glob("[0-9]*.ipynb"))


def load_runner():
    """scripts/run_notebooks.py as a module (scripts/ is not a package), for its `execute`.

    `execute(path, timeout)` returns (executed notebook, seconds including kernel start, error or None).
    """
    path = ROOT / "scripts" / "run_notebooks.py"
    spec = importlib.util.spec_from_file_location("run_notebooks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def code_sources(nb):
    """The sources of a notebook's code cells, in order."""
    return [c.source for c in nb.cells if c.cell_type == "code"]


def same_lessons_since(commit):
    """Whether the lessons run as they did at `commit`: nothing changed under gan_keras/ or data/ or in
    pyproject.toml since, and every changed notebook keeps its code cells (prose, outputs and tools may differ)."""
    diff = subprocess.run(["git", "diff", "--name-only", commit, "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if diff.returncode != 0:
        return False
    for name in diff.stdout.split():
        if name.startswith(("gan_keras/", "data/")) or name == "pyproject.toml":
            return False
        if name.startswith("notebooks/") and name.endswith(".ipynb"):
            before = subprocess.run(["git", "show", f"{commit}:{name}"], cwd=ROOT, capture_output=True, text=True)
            if before.returncode != 0 or not (ROOT / name).exists():
                return False
            now = nbformat.read(ROOT / name, as_version=4)
            if code_sources(nbformat.reads(before.stdout, as_version=4)) != code_sources(now):
                return False
    return True


def check_output(nb):
    """What the check cell printed to stdout: the code cell tagged `check`, else the last code cell ('' if none ran)."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in code if "check" in c.get("metadata", {}).get("tags", [])]
    cells = tagged or code[-1:]
    if not cells:
        return ""
    return "".join(o.get("text", "") for o in cells[0].get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout").strip()


def median(values):
    return float(statistics.median(values))


def cell(text):
    """Text safe inside a Markdown table cell: pipes escaped, newlines as <br>."""
    return str(text).replace("|", "\\|").replace("\r", "").strip().replace("\n", "<br>")


def table(header, rows):
    """A Markdown table from a header list and rows of values (already formatted as text)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def uncell(text):
    """The text `cell` made safe for a table cell, back: `<br>` as newlines, pipes unescaped."""
    return text.strip().replace("<br>", "\n").replace("\\|", "|")


def table_rows(path):
    """Every table row of a Markdown file that `table` wrote, as `{(heading, first cell): cells}`.

    `heading` is the `## ` heading above the table, `cells` the row's cells after the first, unescaped; header
    and rule rows are left out. Records read this way can be compared run by run (benchmarks/compare_records.py).
    """
    rows, heading, header = {}, None, False
    for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading, header = line[3:].strip(), True
        elif line.startswith("|") and heading is not None:
            cells = [uncell(c) for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if header or set("".join(cells)) <= set("-"):
                header = False
                continue
            rows[heading, cells[0]] = cells[1:]
        else:
            header = heading is not None
    return rows


def printouts(path):
    """`{(heading, run): check cell text}` of a record written by seeds.py or backends.py (the last column)."""
    return {key: cells[-1] for key, cells in table_rows(path).items()
            if key[0].startswith("0") or key[0].startswith(PRINTED_HEADING.format(""))}


def committed(notebooks):
    """`{(heading, lesson): check cell text}` of the committed notebooks, keyed as backends.py writes TensorFlow's."""
    return {(PRINTED_HEADING.format("tensorflow"), path.stem): check_output(nbformat.read(path, as_version=4))
            for path in notebooks}


def verdict(ok):
    return "meets" if ok else "**misses**"
