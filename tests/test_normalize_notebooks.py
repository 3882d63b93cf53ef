"""scripts/normalize_notebooks.py: JupyterLab's kernelspec, nbval markers as tags, byte-stable on a second run."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output


@pytest.fixture(scope="module")
def normalizer(load_by_path):
    return load_by_path("scripts/normalize_notebooks.py", "normalize_notebooks")


def notebook():
    nb = new_notebook(cells=[
        new_markdown_cell("# NBVAL_SKIP in Markdown stays"),
        new_code_cell("# NBVAL_IGNORE_OUTPUT\nx = 1\n# a comment that stays\nprint(x)"),
        new_code_cell("#  NBVAL_CHECK_OUTPUT \nprint(2)"),
        new_code_cell("# NBVAL_SKIP\n# NBVAL_RAISES_EXCEPTION\nraise ValueError"),
        new_code_cell("y = 2  # NBVAL_SKIP at the end of a line is no marker for nbval either"),
    ])
    nb.cells[2].metadata["tags"] = ["thumbnail"]
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["run_notebooks"] = {"seconds": 52.0}
    nb.cells[1].outputs = [new_output("display_data", {"text/plain": "x"}, metadata={"sizes": [3.0, 0.5]})]
    return nb


def test_markers_become_tags_and_the_kernelspec_is_jupyterlabs(normalizer, tmp_path):
    path = tmp_path / "lesson.ipynb"
    nbformat.write(notebook(), path)
    assert normalizer.main(["--check", str(path)]) == 1
    assert normalizer.main([str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.kernelspec.display_name == "Python 3 (ipykernel)"
    assert nb.metadata.language_info.name == "python"
    assert nb.cells[0].source == "# NBVAL_SKIP in Markdown stays"
    assert nb.cells[1].source == "x = 1\n# a comment that stays\nprint(x)"
    assert nb.cells[1].metadata.tags == ["nbval-ignore-output"]
    assert nb.cells[2].source == "print(2)" and nb.cells[2].metadata.tags == ["thumbnail", "nbval-check-output"]
    assert nb.cells[3].source == "raise ValueError"
    assert nb.cells[3].metadata.tags == ["nbval-skip", "nbval-raises-exception"]
    assert "tags" not in nb.cells[4].metadata


def test_whole_number_floats_are_written_as_javascript_writes_them(normalizer, tmp_path):
    """JupyterLab saves through JSON.stringify, which writes 52.0 as 52: a committed 52.0 (a lesson timed at
    exactly 52.0 s) made saving an unchanged lesson rewrite it."""
    path = tmp_path / "lesson.ipynb"
    nbformat.write(notebook(), path)
    normalizer.main([str(path)])
    text = path.read_text(encoding="utf-8")
    assert '"seconds": 52\n' in text and "52.0" not in text
    assert nbformat.read(path, as_version=4).cells[1].outputs[0].metadata["sizes"] == [3, 0.5]


def test_a_second_run_and_a_round_trip_change_no_byte(normalizer, tmp_path):
    path = tmp_path / "lesson.ipynb"
    nbformat.write(notebook(), path)
    normalizer.main([str(path)])
    once = path.read_bytes()
    assert normalizer.main(["--check", str(path)]) == 0
    normalizer.main([str(path)])
    assert path.read_bytes() == once
    nbformat.write(nbformat.read(path, as_version=4), path)   # what JupyterLab's save does
    assert path.read_bytes() == once and once.endswith(b"}\n")


def test_nbval_reads_the_tags_as_it_read_the_markers():
    plugin = pytest.importorskip("nbval.plugin")
    for marker, tag in [("NBVAL_IGNORE_OUTPUT", "nbval-ignore-output"), ("NBVAL_CHECK_OUTPUT", "nbval-check-output"),
                        ("NBVAL_SKIP", "nbval-skip"), ("NBVAL_RAISES_EXCEPTION", "nbval-raises-exception")]:
        assert plugin.metadata_tags[tag] == plugin.comment_markers[marker]
