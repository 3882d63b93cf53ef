"""Fixtures shared by the test modules."""

import importlib.util
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def load_by_path():
    """Load a file of scripts/ or benchmarks/ (not packages) as a module, by its path from the repository root.
    Putting those folders on sys.path instead would make their modules top-level names for the whole session,
    where they can shadow others."""
    def load(relative_path, name):
        spec = importlib.util.spec_from_file_location(name, ROOT / relative_path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    return load


@pytest.fixture(scope="session")
def load_benchmark(load_by_path):
    """Load a script of benchmarks/ that imports benchmarks/common.py as `common`: the name is lent only while the
    script loads, and the script keeps its own reference (`script.common`)."""
    def load(relative_path, name):
        common = load_by_path("benchmarks/common.py", f"{name}_common")
        with pytest.MonkeyPatch.context() as patch:
            patch.setitem(sys.modules, "common", common)
            return load_by_path(relative_path, name)
    return load
