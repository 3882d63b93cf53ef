"""benchmarks/backends.py: which runs it saves as the committed notebooks (--inplace)."""

import pathlib
import types

import nbformat
import pytest


@pytest.fixture(scope="module")
def backends(load_benchmark):
    return load_benchmark("benchmarks/backends.py", "backends_script")


def test_only_tensorflow_runs_that_held_are_saved(backends, monkeypatch, tmp_path):
    held, failed = tmp_path / "01_held.ipynb", tmp_path / "02_failed.ipynb"

    def execute(path, timeout):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
        return nb, 1.0, None if path == held else "AssertionError: claim"

    monkeypatch.setattr(backends.common, "load_runner", lambda: types.SimpleNamespace(execute=execute))
    saved = []
    results = backends.run_lessons(["tensorflow", "jax"], [held, failed], timeout=10, log=lambda line: None,
                                   save=lambda nb, path: saved.append(path))
    assert saved == [held]
    assert set(results) == {(b, p) for b in ("tensorflow", "jax") for p in (held, failed)}


def test_inplace_without_tensorflow_is_refused(backends, capsys):
    with pytest.raises(SystemExit):
        backends.main(["--backends", "jax", "--inplace"])
    assert "--inplace" in capsys.readouterr().err


def test_resume_reads_back_what_a_cut_short_run_wrote(backends, monkeypatch, tmp_path):
    a, b = pathlib.Path("notebooks/01_a.ipynb"), pathlib.Path("notebooks/02_b.ipynb")
    results = {("tensorflow", a): (None, 31.0, "claim\nKS ≤ 0.012   0.0028"),
               ("tensorflow", b): ("CellTimeoutError: late", 600.0, ""), ("jax", a): (None, 27.0, "held")}
    steps = {"tensorflow": ({name: 1.5 for name in backends.TRAINERS}, None), "jax": ({}, "no jax")}
    description = {"date": "2026-12-08 01:00 UTC", "CPU": "AMD EPYC", "CPU features": "avx avx2 fma",
                   "commit": "abc1234"}
    body = backends.report(["tensorflow", "jax"], [a, b], results, steps)
    path = tmp_path / "BACKENDS.md"
    machine = "\n".join(f"- **{k}**: {v}" for k, v in description.items())
    path.write_text(f"## Machine\n\n{machine}\n\n{body}\n")
    monkeypatch.setattr(backends.common, "same_lessons_since", lambda commit: True)
    runs, kept_steps = backends.recorded_runs(path, ["tensorflow", "jax"], [a, b], description)
    assert runs == results
    assert kept_steps == {"tensorflow": steps["tensorflow"]}
    monkeypatch.setattr(backends.common, "same_lessons_since", lambda commit: False)
    with pytest.raises(ValueError, match="lessons changed"):
        backends.recorded_runs(path, ["tensorflow", "jax"], [a, b], description)
