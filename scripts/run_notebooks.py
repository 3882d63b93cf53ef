"""Execute lesson notebooks headless, one kernel each, and report each one's wall time.

    python scripts/run_notebooks.py --html build/lessons notebooks/*.ipynb   # make lessons
    python scripts/run_notebooks.py --inplace notebooks/*.ipynb              # make execute

Wall time includes kernel start. Exit status is 1 if any notebook raised.
"""

import argparse
import html
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter


def execute(path, timeout):
    """Run the notebook at ``path``; return (executed notebook, seconds, error text or None)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except CellExecutionError as err:
        error = str(err).strip().splitlines()[-1]
    return nb, time.perf_counter() - start, error


def write_index(out_dir, rows):
    """build/lessons/index.html: one line per lesson with its status and run time."""
    items = "\n".join(
        f'<li><a href="{html.escape(name)}.html">{html.escape(name)}</a> — '
        f"{'ok' if err is None else 'FAILED: ' + html.escape(err)} in {secs:.0f} s</li>"
        for name, secs, err in rows
    )
    total = sum(secs for _, secs, _ in rows)
    (out_dir / "index.html").write_text(
        f"<!doctype html><meta charset='utf-8'><title>GAN lessons</title>"
        f"<h1>GAN lessons</h1><ol>{items}</ol><p>Total: {total:.0f} s</p>\n", encoding="utf-8"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=pathlib.Path)
    parser.add_argument("--html", type=pathlib.Path, help="write one HTML page per notebook and an index here")
    parser.add_argument("--inplace", action="store_true", help="save the executed notebooks over the originals")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    args = parser.parse_args()

    rows = []
    for path in args.notebooks:
        nb, secs, error = execute(path, args.timeout)
        rows.append((path.stem, secs, error))
        print(f"{path.name:40s} {'ok' if error is None else 'FAILED'} in {secs:6.1f} s", flush=True)
        if error is not None:
            print(f"    {error}", flush=True)
        if args.inplace and error is None:
            nbformat.write(nb, path)
        if args.html:
            args.html.mkdir(parents=True, exist_ok=True)
            body, _ = HTMLExporter().from_notebook_node(nb)
            (args.html / f"{path.stem}.html").write_text(body, encoding="utf-8")
    if args.html:
        write_index(args.html, rows)
        print(f"HTML in {args.html}/index.html")
    print(f"total {sum(r[1] for r in rows):.1f} s")
    return 1 if any(r[2] is not None for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
