"""Every number a lesson's check cell printed, as its range over the runs of a record: what a Check paragraph quotes.

    python benchmarks/claim_ranges.py benchmarks/SEEDS.md 05_wgan_gp          # seeds 1-5 and the committed seed 0
    python benchmarks/claim_ranges.py build/PRECHECK.md 05_wgan_gp --record-only

A check cell prints the same lines on every seed, only the numbers differ; so each printed line is set beside the
same line of the other runs, and a number that differs between them is written as its range, lowest–highest, each
end as a run printed it. A line whose words differ between runs (spaces that pad a column aside) is listed once per
run. The committed notebook's check cell joins as the run "committed" unless --record-only.
"""

import argparse
import re
import sys

import common

NUMBER = re.compile(r"(?<![\w.])(-?\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?)")


def value(written):
    """The number a string such as '27,500', '0.0137' or '1.2e-05' writes."""
    return float(written.replace(",", ""))


def merged_line(lines):
    """One line standing for the same printed line of several runs: its numbers as ranges where they differ.

    Returns None when the lines differ in more than their numbers.
    """
    pieces = [NUMBER.split(line) for line in lines]   # text, number, text, number, ..., text
    words = [[" ".join(text.split()) for text in p[::2]] for p in pieces]   # column padding differs with the numbers
    if any(len(p) != len(pieces[0]) or w != words[0] for p, w in zip(pieces, words)):
        return None
    out = list(pieces[0])
    for k in range(1, len(out), 2):
        written = [p[k] for p in pieces]
        if len(set(written)) > 1:
            out[k] = f"{min(written, key=value)}–{max(written, key=value)}"
    return "".join(out)


def ranges(runs):
    """The lines of `runs` (`{run: printed text}`), merged line by line as `merged_line` does."""
    if not runs:
        raise ValueError("runs: no run to merge")
    texts = {run: text.splitlines() for run, text in runs.items()}
    lines = []
    for i in range(max(len(t) for t in texts.values())):
        at_i = {run: t[i] if i < len(t) else "" for run, t in texts.items()}
        merged = merged_line(list(at_i.values()))
        lines += [merged] if merged is not None else [f"[{run}] {line}" for run, line in at_i.items()]
    return lines


def lesson_runs(record, lesson, with_notebook=True):
    """`{run: printed text}` of `lesson` (e.g. '05_wgan_gp') in `record`, with the committed notebook's check cell."""
    runs = {run: text for (heading, run), text in common.printouts(record).items() if heading == lesson}
    if not runs:
        raise ValueError(f"lesson: {lesson!r} has no runs in {record}")
    if with_notebook:
        path = common.NOTEBOOKS_DIR / f"{lesson}.ipynb"
        if not path.exists():
            raise ValueError(f"lesson: no notebook {path.name} in notebooks/")
        runs["committed"] = next(iter(common.committed([path]).values()))
    return runs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("record", help="a record written by seeds.py (SEEDS.md or a pre-check)")
    parser.add_argument("lesson", help="the lesson's notebook name without .ipynb, e.g. 05_wgan_gp")
    parser.add_argument("--record-only", action="store_true", help="leave the committed notebook out")
    args = parser.parse_args(argv)
    runs = lesson_runs(args.record, args.lesson, with_notebook=not args.record_only)
    print(f"{args.lesson}: {len(runs)} runs ({', '.join(map(str, runs))})")
    print("\n".join(ranges(runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
