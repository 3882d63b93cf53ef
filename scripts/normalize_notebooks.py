"""Write notebooks the way JupyterLab saves them, so that opening a lesson does not change it.

    python scripts/normalize_notebooks.py notebooks/*.ipynb solutions/*.ipynb
    python scripts/normalize_notebooks.py --check notebooks/*.ipynb     # exit 1 if any would change

For each notebook it
- sets the kernelspec and language_info that JupyterLab writes on its first autosave (the display name of
  ipykernel's kernel is "Python 3 (ipykernel)"; a notebook saying "Python 3" is rewritten a minute after it
  is opened, and `git status` shows a change the student did not make);
- turns nbval's comment markers (a line `# NBVAL_IGNORE_OUTPUT`, `# NBVAL_CHECK_OUTPUT`, `# NBVAL_SKIP`,
  `# NBVAL_RAISES_EXCEPTION`) into the cell tags nbval reads the same way (`nbval-ignore-output`, ...; see
  nbval/plugin.py: metadata_tags), and removes the comment line, so the markers do not show on the pages;
- writes a whole-number float as an integer (`52.0` as `52`), since JupyterLab's JSON.stringify does;
- writes it with nbformat (one-space JSON indent, keys sorted, a trailing newline, as JupyterLab does), so
  that a second run, or a round trip through JupyterLab, changes no byte.

Outputs, execution counts and cell ids are kept.
"""

import argparse
import pathlib
import platform
import re
import sys

import nbformat

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
# nbval's comment markers and the tags it treats alike (nbval.plugin.comment_markers / metadata_tags).
MARKER_TAGS = {
    "NBVAL_IGNORE_OUTPUT": "nbval-ignore-output",
    "NBVAL_CHECK_OUTPUT": "nbval-check-output",
    "NBVAL_SKIP": "nbval-skip",
    "NBVAL_RAISES_EXCEPTION": "nbval-raises-exception",
}
MARKER_LINE = re.compile(r"^[ \t]*#+[ \t]*(" + "|".join(MARKER_TAGS) + r")[ \t]*$")


def markers_to_tags(cell):
    """Remove marker comment lines from a code cell's source and add their tags; True if it changed."""
    if cell.cell_type != "code":
        return False
    lines = cell.source.split("\n")
    found = [m.group(1) for m in map(MARKER_LINE.match, lines) if m]
    if not found:
        return False
    kept = [line for line in lines if not MARKER_LINE.match(line)]
    cell.source = "\n".join(kept).strip("\n") if kept else ""
    tags = list(cell.metadata.get("tags", []))
    tags += [MARKER_TAGS[name] for name in found if MARKER_TAGS[name] not in tags]
    cell.metadata["tags"] = tags
    return True


def as_javascript_writes(value):
    """`value` with every whole-number float made an int: JSON.stringify(52.0) is "52", Python's "52.0"."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, dict):
        return type(value)((key, as_javascript_writes(item)) for key, item in value.items())
    if isinstance(value, list):
        return [as_javascript_writes(item) for item in value]
    return value


def normalize(nb):
    """Normalise `nb` in place (see the module docstring)."""
    nb.metadata = as_javascript_writes(nb.metadata)
    nb.cells = as_javascript_writes(nb.cells)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    language_info = dict(LANGUAGE_INFO)
    language_info["version"] = nb.metadata.get("language_info", {}).get("version", platform.python_version())
    nb.metadata["language_info"] = language_info
    for cell in nb.cells:
        markers_to_tags(cell)
    return nb


def normalized_text(path):
    """The notebook at `path` as this script writes it."""
    nb = normalize(nbformat.read(path, as_version=4))
    return nbformat.writes(nb) + "\n"   # nbformat.write adds the trailing newline; writes does not


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=pathlib.Path)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if any notebook would change")
    args = parser.parse_args(argv)
    changed = []
    for path in args.notebooks:
        text = normalized_text(path)
        if text != path.read_text(encoding="utf-8"):
            changed.append(path)
            if not args.check:
                path.write_text(text, encoding="utf-8")
    verb = "would change" if args.check else "changed"
    for path in changed:
        print(f"{verb}: {path}")
    print(f"{len(changed)} of {len(args.notebooks)} notebooks {verb}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
