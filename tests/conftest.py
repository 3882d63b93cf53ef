"""Fixtures shared by the test modules."""

import importlib.util
import pathlib

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
