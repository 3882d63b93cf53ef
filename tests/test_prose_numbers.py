"""scripts/prose_numbers.py: a number in the prose is found when a run on record printed it, else listed."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output


@pytest.fixture(scope="module")
def prose_numbers(load_by_path):
    return load_by_path("scripts/prose_numbers.py", "prose_numbers")


@pytest.fixture
def lesson(tmp_path):
    notebook = new_notebook(cells=[
        new_markdown_cell("G scored 0.123, fell 27,500×, kept 91.4 % and 0.50 of it; on seed 1, 0.7071 (rounded: 0.71) "
                          "and an unrecorded 0.456. Goodfellow et al. 2014, https://arxiv.org/abs/1406.2661."),
        new_code_cell("print(score)", outputs=[new_output("stream", name="stdout", text="0.123 2.75e+04 0.914 0.5\n")]),
    ])
    path = tmp_path / "lesson.ipynb"
    nbformat.write(notebook, path)
    records = tmp_path / "records"
    records.mkdir()
    (records / "SEEDS.md").write_text("| 1 | ok | 9.1 | score 0.7071 |\n", encoding="utf-8")
    return path, records


def test_numbers_on_record_are_found_and_the_others_listed(prose_numbers, lesson):
    path, records = lesson
    assert [written for _, written, _ in prose_numbers.unrecorded(path, records)] == ["0.71", "0.456"]
    assert [written for _, written, _ in prose_numbers.unrecorded(path, records, rounded=True)] == ["0.456"]


def test_records_must_be_a_folder(prose_numbers, lesson, capsys):
    path, records = lesson
    with pytest.raises(SystemExit):
        prose_numbers.main([str(path), "--records", str(records / "SEEDS.md")])
    assert "--records" in capsys.readouterr().err
