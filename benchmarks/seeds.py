"""Seed robustness: every lesson executed once per seed, with LESSON_SEED set; which check cells held.

    SEEDS="1 2 3" python benchmarks/seeds.py            # make seeds; writes benchmarks/SEEDS.md
    python benchmarks/seeds.py --seeds "4 5" notebooks/02_vanilla_gan.ipynb --out /tmp/SEEDS.md
    python benchmarks/seeds.py --quick                   # smoke test: 00_setup_check, first seed only,
                                                         # written to build/bench-quick/SEEDS.md

Each run is a fresh kernel (scripts/run_notebooks.py's `execute`); the kernel inherits LESSON_SEED, which
every lesson's first cell reads. Recorded per run: ok or FAILED (with the error's last line), the wall
time (kernel start included), and what the notebook's check cell printed (`common.check_output`), which
are the numbers its asserts judge. A check cell that fails on some seed is a defect of the lesson, not
of the seed (issue 7): fix the lesson, never the seed list.
"""

import argparse
import os
import pathlib
import re
import sys

import common

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def run(seeds, notebooks=None, timeout=common.CELL_TIMEOUT, log=print):
    """Execute each notebook once per seed; return (Markdown text, whether every run held)."""
    notebooks = list(notebooks or common.lesson_notebooks())
    runner = common.load_runner()
    results = {}
    previous = os.environ.get("LESSON_SEED")
    try:
        for path in notebooks:
            for seed in seeds:
                os.environ["LESSON_SEED"] = str(seed)
                nb, secs, error = runner.execute(path, timeout)
                error = None if error is None else ANSI.sub("", error)
                results[path, seed] = (error, secs, common.check_output(nb))
                log(f"  {path.name:36s} seed {seed}: {'ok' if error is None else 'FAILED'} in {secs:6.1f} s"
                    + ("" if error is None else f"  ({error})"))
    finally:
        if previous is None:
            os.environ.pop("LESSON_SEED", None)
        else:
            os.environ["LESSON_SEED"] = previous

    summary = []
    for path in notebooks:
        failed = [str(s) for s in seeds if results[path, s][0] is not None]
        summary.append([path.stem, f"{len(seeds) - len(failed)}/{len(seeds)}",
                        " ".join(failed) if failed else "—"])
    text = [
        "## Summary",
        "",
        common.table(["notebook", "seeds that held", "failing seeds"], summary),
    ]
    for path in notebooks:
        rows = []
        for seed in seeds:
            error, secs, printed = results[path, seed]
            status = "ok" if error is None else f"**FAILED**: {error}"
            rows.append([str(seed), status, f"{secs:.1f}", printed or "(check cell printed nothing or did not run)"])
        text += ["", f"## {path.stem}", "", common.table(["seed", "status", "time s", "check cell printed"], rows)]
    all_ok = all(r[0] is None for r in results.values())
    return "\n".join(text), all_ok


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path, help="default: notebooks/[0-9]*.ipynb")
    parser.add_argument("--seeds", default=os.environ.get("SEEDS", "1 2 3"),
                        help='space-separated seeds (default: $SEEDS or "1 2 3")')
    parser.add_argument("--out", type=pathlib.Path, help="Markdown file to write (default benchmarks/SEEDS.md; "
                                                         "with --quick build/bench-quick/SEEDS.md)")
    parser.add_argument("--timeout", type=int, default=common.CELL_TIMEOUT, help="seconds allowed per cell")
    parser.add_argument("--quick", action="store_true", help="smoke test: 00_setup_check with the first seed")
    args = parser.parse_args(argv)
    try:
        seeds = [int(s) for s in args.seeds.split()]
    except ValueError:
        parser.error(f"--seeds must be integers, got {args.seeds!r}")
    if not seeds or any(s < 0 for s in seeds):
        parser.error(f"--seeds must be integers >= 0, got {args.seeds!r}")
    notebooks = args.notebooks or None
    out = args.out
    if args.quick:
        seeds, notebooks = seeds[:1], notebooks or [common.QUICK_NOTEBOOK]
        out = out or common.ROOT / "build" / "bench-quick" / "SEEDS.md"
    out = out or common.ROOT / "benchmarks" / "SEEDS.md"
    import machine

    description = machine.markdown()
    print(description + "\n", flush=True)
    body, all_ok = run(seeds, notebooks=notebooks, timeout=args.timeout)
    seed_list = " ".join(map(str, seeds))
    command = "python benchmarks/seeds.py" + (" --quick" if args.quick else "") + f' --seeds "{seed_list}"'
    text = "\n".join([
        "# Lessons on several seeds",
        "",
        ("**Quick smoke run, not results.** " if args.quick else "")
        + f"Written by `{command}` (`make seeds`): every lesson executed headless once per seed with "
        "`LESSON_SEED` set; a run is ok when every cell, the check cell's asserts included, ran without error. "
        "The last column is what the check cell printed.",
        "",
        "## Machine",
        "",
        description,
        "",
        body,
        "",
    ])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(body)
    print(f"\nwrote {out}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
