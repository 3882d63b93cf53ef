"""benchmarks/backends.py: which runs it saves as the committed notebooks (--inplace)."""

import sys
import types

import nbformat
import pytest


@pytest.fixture(scope="module")
def backends(load_by_path):
    """The script, which imports benchmarks/common.py as `common`, lent that name only while it loads."""
    common = load_by_path("benchmarks/common.py", "benchmarks_common")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "common", common)
        return load_by_path("benchmarks/backends.py", "backends_script")


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
