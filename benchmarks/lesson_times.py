"""Lesson wall times: every notebooks/[0-9]*.ipynb executed headless, kernel start included.

    python benchmarks/lesson_times.py               # every lesson, median of 3 runs
    python benchmarks/lesson_times.py --repeats 5
    python benchmarks/lesson_times.py --quick       # smoke test: 00_setup_check once

Goals (DESIGN.md, issue 7): each lesson <= 120 s (06 CycleGAN <= 180 s) on a 2-core CPU, the course
<= 600 s. The repeats go round the whole course in turn (1, 2, ..., 1, 2, ...), so a burst of load from
another process hits one run of several lessons rather than every run of one. Each notebook runs in
a fresh kernel through scripts/run_notebooks.py's `execute`, exactly as `make lessons` runs it.
"""

import argparse
import pathlib
import sys

import common

DEFAULT_GOAL = 120.0          # seconds per lesson
GOALS = {"06": 180.0}         # by the notebook's number: CycleGAN gets 3 minutes
COURSE_GOAL = 600.0           # seconds for the whole course


def goal_for(path):
    return GOALS.get(path.name[:2], DEFAULT_GOAL)


def run(repeats=3, notebooks=None, timeout=common.CELL_TIMEOUT, log=print):
    """Execute each notebook `repeats` times; return the Markdown section (heading, table, notes)."""
    notebooks = list(notebooks or common.lesson_notebooks())
    runner = common.load_runner()
    times = {p: [] for p in notebooks}
    errors = {p: [] for p in notebooks}
    for r in range(repeats):
        for path in notebooks:
            _, secs, error = runner.execute(path, timeout)
            times[path].append(secs)
            if error is not None:
                errors[path].append(error)
            log(f"  run {r + 1}/{repeats} {path.name:36s} {'ok' if error is None else 'FAILED'} in {secs:6.1f} s")
    rows, total = [], 0.0
    for path in notebooks:
        med = common.median(times[path])
        total += med
        goal = goal_for(path)
        status = "ok" if not errors[path] else f"FAILED {len(errors[path])}/{repeats}: {errors[path][-1]}"
        rows.append([path.stem, f"{med:.1f}", ", ".join(f"{t:.1f}" for t in times[path]), f"≤ {goal:.0f}",
                     common.verdict(med <= goal), status])
    rows.append(["**course total** (sum of medians)", f"**{total:.1f}**", "", f"≤ {COURSE_GOAL:.0f}",
                 common.verdict(total <= COURSE_GOAL), "ok" if not any(errors.values()) else "see above"])
    text = [
        "## 1. Lesson wall times",
        "",
        f"Each notebook executed headless in a fresh kernel (kernel start included), {repeats} run(s) each, "
        "taken round the course in turn; the median is the lesson's time.",
        "",
        common.table(["notebook", "median s", "runs (s)", "goal s", "verdict", "status"], rows),
    ]
    missed = [(p.stem, common.median(times[p]) - goal_for(p)) for p in notebooks
              if common.median(times[p]) > goal_for(p)]
    if missed:
        text += ["", "Over budget: " + "; ".join(f"{name} by {over:.1f} s" for name, over in missed) + "."]
    if total > COURSE_GOAL:
        text += ["", f"The course is over its {COURSE_GOAL:.0f} s budget by {total - COURSE_GOAL:.1f} s."]
    return "\n".join(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path, help="default: notebooks/[0-9]*.ipynb")
    parser.add_argument("--repeats", type=int, default=3, help="runs per notebook (median taken); default 3")
    parser.add_argument("--timeout", type=int, default=common.CELL_TIMEOUT, help="seconds allowed per cell")
    parser.add_argument("--quick", action="store_true", help="smoke test: 00_setup_check, one run")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or None
    repeats = args.repeats
    if args.quick:
        notebooks, repeats = notebooks or [common.QUICK_NOTEBOOK], 1
    if repeats < 1:
        parser.error(f"--repeats must be >= 1, got {repeats}")
    import machine  # after argument parsing: it imports TensorFlow

    print(machine.markdown() + "\n", flush=True)
    print(run(repeats=repeats, notebooks=notebooks, timeout=args.timeout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
