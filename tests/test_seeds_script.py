"""benchmarks/seeds.py: the report it rewrites after every run, and --resume, which keeps the runs it recorded."""

import os
import pathlib
import types

import nbformat
import pytest

DESCRIPTION = {"date": "2026-12-08 01:00 UTC", "CPU": "AMD EPYC", "CPU features": "avx avx2 fma", "commit": "abc1234"}


@pytest.fixture(scope="module")
def seeds(load_benchmark):
    return load_benchmark("benchmarks/seeds.py", "seeds_script")


def record(seeds, tmp_path, results, description=DESCRIPTION):
    notebooks = [pathlib.Path("notebooks/01_a.ipynb"), pathlib.Path("notebooks/02_b.ipynb")]
    body, _ = seeds.report([1, 2], notebooks, results)
    machine = "\n".join(f"- **{k}**: {v}" for k, v in description.items())
    path = tmp_path / "SEEDS.md"
    path.write_text(f"# Lessons on several seeds\n\n## Machine\n\n{machine}\n\n{body}\n", encoding="utf-8")
    return path, notebooks


def test_resume_reads_back_the_runs_a_cut_short_report_holds(seeds, tmp_path, monkeypatch):
    a, b = pathlib.Path("notebooks/01_a.ipynb"), pathlib.Path("notebooks/02_b.ipynb")
    results = {(a, 1): (None, 12.5, "claim | measured\nKS ≤ 0.035   0.0146"), (a, 2): ("AssertionError: KS", 13.0, ""),
               (b, 1): (None, 7.0, "held")}
    path, notebooks = record(seeds, tmp_path, results)
    monkeypatch.setattr(seeds.common, "same_lessons_since", lambda commit: True)
    assert "1/2 (not run yet: 2)" in path.read_text()
    assert seeds.recorded_runs(path, notebooks, [1, 2], DESCRIPTION) == results


def test_resume_refuses_runs_of_another_cpu_kind(seeds, tmp_path, monkeypatch):
    path, notebooks = record(seeds, tmp_path, {})
    monkeypatch.setattr(seeds.common, "same_lessons_since", lambda commit: True)
    with pytest.raises(ValueError, match="start afresh"):
        seeds.recorded_runs(path, notebooks, [1, 2], dict(DESCRIPTION, **{"CPU features": "avx avx2 fma avx512f"}))


def test_resume_refuses_runs_of_a_commit_with_other_changes_since(seeds, tmp_path, monkeypatch):
    path, notebooks = record(seeds, tmp_path, {})
    monkeypatch.setattr(seeds.common, "same_lessons_since", lambda commit: False)
    with pytest.raises(ValueError, match="lessons changed"):
        seeds.recorded_runs(path, notebooks, [1, 2], DESCRIPTION)


def test_same_lessons_since_reads_git(seeds):
    assert seeds.common.same_lessons_since("HEAD")
    assert not seeds.common.same_lessons_since("no-such-commit")


def test_resume_refuses_a_working_tree_with_changes_and_a_missing_file(seeds, tmp_path):
    dirty = dict(DESCRIPTION, commit="abc1234 +changes")
    path, notebooks = record(seeds, tmp_path, {}, dirty)
    with pytest.raises(ValueError, match="commit them first"):
        seeds.recorded_runs(path, notebooks, [1, 2], dirty)
    with pytest.raises(ValueError, match="no .* to resume"):
        seeds.recorded_runs(tmp_path / "missing.md", notebooks, [1, 2], DESCRIPTION)


def test_recorded_runs_are_not_run_again(seeds, monkeypatch):
    a = pathlib.Path("notebooks/01_a.ipynb")
    ran = []

    def execute(path, timeout):
        ran.append((path, int(os.environ["LESSON_SEED"])))
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")]), 1.0, None

    monkeypatch.setattr(seeds.common, "load_runner", lambda: types.SimpleNamespace(execute=execute))
    writes = []
    _, all_ok = seeds.run([1, 2], [a], timeout=10, log=lambda line: None, done=lambda r: writes.append(len(r)),
                          recorded={(a, 1): (None, 3.0, "held")})
    assert ran == [(a, 2)] and all_ok
    assert writes[-1] == 2
