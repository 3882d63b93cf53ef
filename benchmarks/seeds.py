"""Seed robustness: every lesson executed once per seed, with LESSON_SEED set; which check cells held.

    SEEDS="1 2 3" python benchmarks/seeds.py            # make seeds; writes benchmarks/SEEDS.md
    python benchmarks/seeds.py --seeds "4 5" notebooks/02_vanilla_gan.ipynb --out /tmp/SEEDS.md
    python benchmarks/seeds.py --quick                   # smoke test: 00_setup_check, first seed only,
                                                         # written to build/bench-quick/SEEDS.md
    SEEDS="1 2 3 4 5" python benchmarks/seeds.py --resume   # finish a run that was cut short

Each run is a fresh kernel (scripts/run_notebooks.py's `execute`); the kernel inherits LESSON_SEED, which
every lesson's first cell reads. Recorded per run: ok or FAILED (with the error's last line), the wall
time (kernel start included), and what the notebook's check cell printed (`common.check_output`), which
are the numbers its asserts judge. A check cell that fails on some seed is a defect of the lesson, not
of the seed (issue 7): fix the lesson, never the seed list.

The file is rewritten after every run, so a run cut short (on a slow machine the course on five seeds can outlast a
working session) still reports what it reached. --resume keeps the runs that file recorded and runs the others, where
the lessons run as they did at the commit it names (`common.same_lessons_since`: the package, the data and the
notebooks' code unchanged; prose, records and tools may differ), the working tree is clean, and the CPU and its vector
extensions are the same: the runs then differ only in when they ran, which the file says.
"""

import argparse
import os
import pathlib
import re
import sys

import common

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
NOT_RUN = "not run yet"


def run(seeds, notebooks=None, timeout=common.CELL_TIMEOUT, log=print, done=lambda results: None, recorded=None):
    """Execute each notebook once per seed; return (Markdown text, whether every run held).

    `recorded`: `{(path, seed): (error, seconds, printed)}` of runs already made (--resume), not run again;
    `done(results)` is called after each run, so a report can be written as the runs finish.
    """
    notebooks = list(notebooks or common.lesson_notebooks())
    runner = common.load_runner()
    results = dict(recorded or {})
    previous = os.environ.get("LESSON_SEED")
    try:
        for path in notebooks:
            for seed in seeds:
                if (path, seed) in results:
                    continue
                os.environ["LESSON_SEED"] = str(seed)
                nb, secs, error = runner.execute(path, timeout)
                error = None if error is None else ANSI.sub("", error)
                results[path, seed] = (error, secs, common.check_output(nb))
                log(f"  {path.name:36s} seed {seed}: {'ok' if error is None else 'FAILED'} in {secs:6.1f} s"
                    + ("" if error is None else f"  ({error})"))
                done(results)
    finally:
        if previous is None:
            os.environ.pop("LESSON_SEED", None)
        else:
            os.environ["LESSON_SEED"] = previous
    done(results)
    return report(seeds, notebooks, results)


def report(seeds, notebooks, results):
    """(Markdown text, whether every run held); a run not in `results` is listed as not run yet."""
    summary = []
    for path in notebooks:
        failed = [str(s) for s in seeds if (path, s) in results and results[path, s][0] is not None]
        pending = [str(s) for s in seeds if (path, s) not in results]
        held = f"{len(seeds) - len(failed) - len(pending)}/{len(seeds)}" + (f" ({NOT_RUN}: {' '.join(pending)})"
                                                                             if pending else "")
        summary.append([path.stem, held, " ".join(failed) if failed else "—"])
    text = [
        "## Summary",
        "",
        common.table(["notebook", "seeds that held", "failing seeds"], summary),
    ]
    for path in notebooks:
        rows = []
        for seed in seeds:
            if (path, seed) not in results:
                rows.append([str(seed), NOT_RUN, "", ""])
                continue
            error, secs, printed = results[path, seed]
            status = "ok" if error is None else f"**FAILED**: {error}"
            rows.append([str(seed), status, f"{secs:.1f}", printed or "(check cell printed nothing or did not run)"])
        text += ["", f"## {path.stem}", "", common.table(["seed", "status", "time s", "check cell printed"], rows)]
    all_ok = len(results) == len(notebooks) * len(seeds) and all(r[0] is None for r in results.values())
    return "\n".join(text), all_ok


def recorded_runs(path, notebooks, seeds, description):
    """The runs of an earlier SEEDS.md that --resume may keep: `{(notebook path, seed): (error, seconds, printed)}`.

    Raises ValueError where they cannot be kept: no such file, another commit or CPU, or a working tree with changes.
    """
    if not path.exists():
        raise ValueError(f"--resume: there is no {path} to resume")
    text = path.read_text(encoding="utf-8")
    if description["commit"].endswith("+changes"):
        raise ValueError("--resume: the working tree has changes, so the runs could differ; commit them first")
    for label in ("CPU", "CPU features"):
        line = f"- **{label}**: {description[label]}"
        if line not in text.splitlines():
            raise ValueError(f"--resume: {path} was not written with {line!r}; start afresh")
    commit = re.search(r"^- \*\*commit\*\*: (\S+)$", text, re.M)
    if not (commit and common.same_lessons_since(commit.group(1))):
        raise ValueError(f"--resume: the lessons changed since the commit {path} names (or it names none); "
                         "start afresh")
    by_stem = {p.stem: p for p in notebooks}
    runs = {}
    for (heading, seed), cells in common.table_rows(path).items():
        if heading not in by_stem or not seed.isdigit() or int(seed) not in seeds or cells[0] == NOT_RUN:
            continue
        status, secs, printed = cells
        error = None if status == "ok" else status.removeprefix("**FAILED**: ")
        runs[by_stem[heading], int(seed)] = (error, float(secs), "" if printed.startswith("(check cell") else printed)
    return runs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path, help="default: notebooks/[0-9]*.ipynb")
    parser.add_argument("--seeds", default=os.environ.get("SEEDS", "1 2 3"),
                        help='space-separated seeds (default: $SEEDS or "1 2 3")')
    parser.add_argument("--out", type=pathlib.Path, help="Markdown file to write (default benchmarks/SEEDS.md; "
                                                         "with --quick build/bench-quick/SEEDS.md)")
    parser.add_argument("--timeout", type=int, default=common.CELL_TIMEOUT, help="seconds allowed per cell")
    parser.add_argument("--quick", action="store_true", help="smoke test: 00_setup_check with the first seed")
    parser.add_argument("--resume", action="store_true",
                        help="keep the runs --out recorded of these lessons on this CPU kind, run the others")
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
    notebooks = list(notebooks or common.lesson_notebooks())
    import machine

    description = machine.describe()
    recorded, resumed = {}, []
    if args.resume:
        try:
            recorded = recorded_runs(out, notebooks, seeds, description)
        except ValueError as err:
            parser.error(str(err))
        started = re.search(r"^- \*\*date\*\*: (.+)$", out.read_text(encoding="utf-8"), re.M)
        started = started.group(1) if started else "?"
        resumed = [f"- **resumed**: {len(recorded)} runs kept from the run started {started} (same commit, CPU and "
                   "vector extensions); the others ran from the date above"]
    machine_text = "\n".join([machine.markdown(description), *resumed])
    print(machine_text + "\n", flush=True)
    seed_list = " ".join(map(str, seeds))
    command = "python benchmarks/seeds.py" + (" --quick" if args.quick else "") + f' --seeds "{seed_list}"'

    def write(results):
        body, _ = report(seeds, notebooks, results)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join([
            "# Lessons on several seeds",
            "",
            ("**Quick smoke run, not results.** " if args.quick else "")
            + f"Written by `{command}` (`make seeds`): every lesson executed headless once per seed with "
            "`LESSON_SEED` set; a run is ok when every cell, the check cell's asserts included, ran without error. "
            "The last column is what the check cell printed. The file is rewritten after every run.",
            "",
            "## Machine",
            "",
            machine_text,
            "",
            body,
            "",
        ]), encoding="utf-8")

    body, all_ok = run(seeds, notebooks=notebooks, timeout=args.timeout, done=write, recorded=recorded)
    print(body)
    print(f"\nwrote {out}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
