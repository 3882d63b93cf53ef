"""benchmarks/claim_ranges.py: the numbers of one printed line, over the runs of a record, as ranges."""

import pytest


@pytest.fixture(scope="module")
def claim_ranges(load_benchmark):
    return load_benchmark("benchmarks/claim_ranges.py", "claim_ranges")


def test_numbers_that_differ_become_ranges_written_as_the_runs_wrote_them(claim_ranges):
    runs = {"0": "KS ≤ 0.035   0.0146  (N(2, 1.2²))\nsharp in 21 of 32",
            "1": "KS ≤ 0.035   0.0122  (N(2, 1.2²))\nsharp in 9 of 32",
            "2": "KS ≤ 0.035   0.0305  (N(2, 1.2²))\nsharp in 14 of 32"}
    assert claim_ranges.ranges(runs) == ["KS ≤ 0.035   0.0122–0.0305  (N(2, 1.2²))", "sharp in 9–21 of 32"]


def test_ranges_order_by_value_not_by_text(claim_ranges):
    merged = claim_ranges.merged_line(["moved 27,500×", "moved 9,000×", "moved -1.5e-03×"])
    assert merged == "moved -1.5e-03–27,500×"


def test_column_padding_does_not_split_a_line(claim_ranges):
    assert claim_ranges.merged_line(["error 7.0e-15     61.69  (naive)", "error 4.9e-13   1120.83  (naive)"]) == \
        "error 7.0e-15–4.9e-13     61.69–1120.83  (naive)"


def test_lines_whose_words_differ_are_listed_run_by_run(claim_ranges):
    runs = {"0": "G turns sharp at step 3000", "1": "G never turns sharp"}
    assert claim_ranges.ranges(runs) == ["[0] G turns sharp at step 3000", "[1] G never turns sharp"]


def test_no_runs_is_an_error_naming_the_argument(claim_ranges):
    with pytest.raises(ValueError, match="runs"):
        claim_ranges.ranges({})


def test_a_record_is_read_lesson_by_lesson(claim_ranges, tmp_path):
    record = tmp_path / "SEEDS.md"
    record.write_text("## 01_lesson\n\n" + claim_ranges.common.table(["seed", "status", "printed"],
                                                         [["1", "ok", "score 0.5"], ["2", "ok", "score 0.7"]]))
    runs = claim_ranges.lesson_runs(record, "01_lesson", with_notebook=False)
    assert runs == {"1": "score 0.5", "2": "score 0.7"}
    assert claim_ranges.ranges(runs) == ["score 0.5–0.7"]
    with pytest.raises(ValueError, match="lesson"):
        claim_ranges.lesson_runs(record, "02_other", with_notebook=False)
    with pytest.raises(ValueError, match="lesson"):   # a lesson the record lacks, even with its notebook committed
        claim_ranges.lesson_runs(record, "05_wgan_gp")
