"""The records describe the committed lessons: BACKENDS.md's TensorFlow column holds, lesson by lesson, what each
committed notebook's check cell printed (README says so). A lesson whose printout changed needs `make backends`
again before it lands; `python benchmarks/compare_records.py benchmarks/BACKENDS.md --notebooks` shows where.
That check runs where `CI` is set (`.ci/run`): a student who saves a lesson run on another CPU changes its printout
and has nothing to record."""

import os

import pytest


@pytest.fixture(scope="module")
def common(load_by_path):
    """benchmarks/common.py as a module (benchmarks/ is not a package)."""
    return load_by_path("benchmarks/common.py", "benchmarks_common")


def test_table_rows_reads_back_what_table_wrote(common, tmp_path):
    printed = "claim | measured\n0.5 ≤ 0.7"
    path = tmp_path / "RECORD.md"
    path.write_text("## 01_lesson\n\ntext\n\n" + common.table(["seed", "status", "printed"], [["1", "ok", printed]]))
    assert common.table_rows(path) == {("01_lesson", "1"): ["ok", printed]}


@pytest.mark.skipif(not os.environ.get("CI"), reason="a check of the repository's records, run in CI")
def test_the_tensorflow_column_of_backends_is_what_the_committed_notebooks_print(common):
    committed = common.committed(common.lesson_notebooks())
    recorded = {key: text for key, text in common.printouts(common.ROOT / "benchmarks" / "BACKENDS.md").items()
                if key[0] == common.PRINTED_HEADING.format("tensorflow")}
    assert recorded.keys() == committed.keys()
    for key, text in committed.items():
        assert recorded[key] == text, f"{key[1]}: rerun `make backends` (BACKENDS.md is of another run)"
