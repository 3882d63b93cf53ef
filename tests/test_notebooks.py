"""The committed notebooks as a reader gets them: executed in order, no errors, no machine paths, small enough.

nbval re-runs each notebook; these tests look at what is committed, which is what a student opens and what
the HTML pages show.
"""

import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("[0-9]*.ipynb"))
MAX_BYTES = 2_000_000
MACHINE_PATH = re.compile(r"(/work/|/home/|/tmp/|/root/|[A-Z]:\\\\Users)")


def code_cells(path):
    return [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


def test_lessons_are_numbered_in_a_row_and_every_lesson_after_00_has_solutions():
    """Derived from notebooks/, not a hard-coded count: a new lesson NN_x.ipynb needs only its solutions."""
    assert len(LESSONS) >= 2, "no lessons found in notebooks/"
    numbers = [p.name[:2] for p in LESSONS]
    assert numbers == [f"{i:02d}" for i in range(len(LESSONS))], f"lessons not numbered 00, 01, ... in a row: {numbers}"
    expected = [f"{p.stem}_solutions" for p in LESSONS[1:]]  # 00 is the set-up check: no exercises
    assert [p.stem for p in SOLUTIONS] == expected, (
        f"solutions/ must hold one NN_x_solutions.ipynb per lesson 01 onward: expected {expected}, "
        f"found {[p.stem for p in SOLUTIONS]}")


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=lambda p: p.stem)
def test_committed_small_enough(path):
    assert path.stat().st_size <= MAX_BYTES, f"{path.name} is {path.stat().st_size / 1e6:.2f} MB (> 2 MB)"


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=lambda p: p.stem)
def test_committed_executed_in_order_without_errors(path):
    counts = [c["execution_count"] for c in code_cells(path) if c["source"]]
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: cells not executed once, in order: {counts}"
    errors = [o for c in code_cells(path) for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, f"{path.name}: committed with an error output"


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=lambda p: p.stem)
def test_outputs_name_no_machine_paths(path):
    text = json.dumps([c["outputs"] for c in code_cells(path)])
    found = MACHINE_PATH.search(text)
    assert found is None, f"{path.name}: an output names a machine path ({found.group(0)}...)"


@pytest.mark.parametrize("path", LESSONS[1:], ids=lambda p: p.stem)
def test_lesson_has_seed_quick_knobs_and_a_tagged_check_cell(path):
    cells = code_cells(path)
    first = "".join(cells[0]["source"])
    assert 'SEED = int(os.environ.get("LESSON_SEED", 0))' in first
    assert 'QUICK = os.environ.get("LESSON_QUICK") == "1"' in first
    checks = [c for c in cells if "check" in c.get("metadata", {}).get("tags", [])]
    assert len(checks) == 1, f"{path.name}: exactly one code cell must be tagged 'check'"
    source = "".join(checks[0]["source"])
    assert "if QUICK:" in source and "assert " in source


# --- opening a lesson does not change it --------------------------------------------------------------
# JupyterLab saves through nbformat (one-space indent, sorted keys, a trailing newline) with the kernel's
# own kernelspec; scripts/normalize_notebooks.py writes the notebooks that way.


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=lambda p: p.stem)
def test_committed_as_jupyterlab_saves_it(path):
    import nbformat

    text = path.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    assert nbformat.writes(nb) + "\n" == text, (
        f"{path.name}: not as nbformat/JupyterLab writes it; run scripts/normalize_notebooks.py on it")
    assert nb.metadata.kernelspec == {"display_name": "Python 3 (ipykernel)", "language": "python",
                                      "name": "python3"}, f"{path.name}: JupyterLab would rewrite its kernelspec"


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=lambda p: p.stem)
def test_nbval_markers_are_tags_not_comments(path):
    marker = re.compile(r"^\s*#+\s*NBVAL_[A-Z_]+\s*$", re.MULTILINE)
    marked = [i for i, c in enumerate(code_cells(path)) if marker.search("".join(c["source"]))]
    assert not marked, (f"{path.name}: code cells {marked} carry an nbval comment marker (it shows on the "
                        "pages); scripts/normalize_notebooks.py turns them into cell tags")
