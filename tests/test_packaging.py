"""environment.yml and pyproject.toml agree, the backend extras exist, and importing gan_keras prints nothing."""

import os
import pathlib
import re
import subprocess
import sys
import tomllib

import gan_keras as gk  # first: it loads Keras quietly on the chosen backend
import pytest
from packaging.requirements import Requirement  # a dependency of pytest
from packaging.specifiers import SpecifierSet

ROOT = pathlib.Path(gk.__file__).resolve().parent.parent


def parse_environment(text):
    """Just enough YAML for environment.yml: top-level keys, a list of strings, one nested `pip:` list."""
    env, key, nested, nested_indent = {}, None, None, None
    for raw in text.splitlines():
        line = raw.split(" #")[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent, item = len(line) - len(line.lstrip()), line.strip()
        if indent == 0:
            key, _, rest = item.partition(":")
            env[key], nested = rest.strip() or [], None
        elif item.startswith("- ") and nested is not None and indent > nested_indent:
            nested.append(item[2:].strip())
        elif item.startswith("- ") and item.endswith(":"):
            nested, nested_indent = [], indent
            env[key].append({item[2:-1].strip(): nested})
        elif item.startswith("- "):
            env[key].append(item[2:].strip())
            nested = None
        else:
            raise ValueError(f"environment.yml line not understood: {raw!r}")
    return env


@pytest.fixture(scope="module")
def environment():
    return parse_environment((ROOT / "environment.yml").read_text())


@pytest.fixture(scope="module")
def pyproject():
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def names(requirements):
    return {Requirement(r).name for r in requirements}


def test_parser_reads_a_nested_pip_list():
    text = "name: x\ndependencies:\n  - python=3.11  # comment\n  - pip:\n      - a\n      - b\n  - zlib\n"
    assert parse_environment(text) == {"name": "x", "dependencies": ["python=3.11", {"pip": ["a", "b"]}, "zlib"]}


def test_conda_provides_only_python_and_pip(environment):
    conda = [d for d in environment["dependencies"] if isinstance(d, str)]
    assert conda == ["python=3.11", "pip"]
    assert environment["channels"] == ["conda-forge"]


def test_conda_python_satisfies_requires_python(environment, pyproject):
    python = next(d for d in environment["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert SpecifierSet(pyproject["requires-python"]).contains(python.split("=", 1)[1])


def test_pip_installs_exactly_the_package_with_its_extras(environment):
    pip = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict)]
    assert pip == [["-e .[lab,test]"]]


def test_every_extra_named_in_environment_exists(environment, pyproject):
    (line,) = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    extras = re.fullmatch(r"-e \.\[(.*)\]", line).group(1).split(",")
    assert set(extras) <= set(pyproject["optional-dependencies"])


def test_pyproject_dependencies_and_extras(pyproject):
    assert names(pyproject["dependencies"]) == {"tensorflow", "keras", "numpy", "matplotlib"}
    extras = pyproject["optional-dependencies"]
    assert names(extras["lab"]) == {"jupyterlab", "jupyter-server-mathjax"}
    assert names(extras["test"]) >= {"pytest", "nbval"}
    gpu = [Requirement(r) for r in extras["gpu"]]
    assert any(r.name == "tensorflow" and "and-cuda" in r.extras for r in gpu)
    # One extra per optional Keras backend, named as KERAS_BACKEND names it (gan_keras.backend says which to install).
    assert {name: names(extras[name]) for name in gk.backend.EXTRAS.values()} == {"jax": {"jax"}, "torch": {"torch"}}


def test_import_prints_nothing(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    result = subprocess.run([sys.executable, "-c", "import gan_keras"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""
