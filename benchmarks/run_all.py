"""The whole benchmark (`make bench`): machine description and four sections, written to benchmarks/RESULTS.md.

    python benchmarks/run_all.py                 # writes benchmarks/RESULTS.md (about 40 min on 2 cores)
    python benchmarks/run_all.py --quick         # smoke test of every section, written to
                                                 # build/bench-quick/RESULTS.md

Sections (each is also a script of its own in benchmarks/):
1. lesson_times.py — every lesson's wall time, median of --repeats runs, and the course total;
2. step_efficiency.py — each trainer's fit() step time, FLOPs, GFLOP/s and fraction of a matmul peak;
3. single_loss_vs_classic.py — lesson 07's three patterns, interleaved repeats, the two ratios;
4. quality.py — steps and seconds to every mode with >= 80 % high-quality samples, per method and seed.

Nothing here asserts a time: the tables say which goals are met and by how much the others are missed.
Run it on an otherwise idle machine; the load average at start and end is recorded with the results.
"""

import argparse
import os
import pathlib
import sys
import time

import common
import lesson_times
import quality
import single_loss_vs_classic
import step_efficiency

SECTIONS = ("lessons", "steps", "classic", "quality")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=pathlib.Path, help="default benchmarks/RESULTS.md "
                                                         "(with --quick build/bench-quick/RESULTS.md)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per lesson for section 1 (default 3)")
    parser.add_argument("--classic-repeats", type=int, default=5, help="interleaved rounds for section 3 (default 5)")
    parser.add_argument("--seeds", default=os.environ.get("SEEDS", "1 2 3"),
                        help='seeds for section 4 (default: $SEEDS or "1 2 3")')
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS), help="run only these sections")
    parser.add_argument("--quick", action="store_true", help="smoke test: the tiniest settings of every section")
    args = parser.parse_args(argv)
    try:
        seeds = quality.parse_seeds(args.seeds)
    except ValueError as err:
        parser.error(str(err))
    if args.repeats < 1 or args.classic_repeats < 1:
        parser.error("--repeats and --classic-repeats must be >= 1")
    out = args.out or (common.ROOT / "build" / "bench-quick" / "RESULTS.md" if args.quick
                       else common.ROOT / "benchmarks" / "RESULTS.md")
    import machine  # first: it imports gan_keras, which quiets TensorFlow's logs
    import keras

    description = machine.markdown()
    print(description + "\n", flush=True)
    start = time.perf_counter()
    sections = []
    if "lessons" in args.only:
        print("1. lesson wall times", flush=True)
        sections.append(lesson_times.run(repeats=1 if args.quick else args.repeats,
                                         notebooks=[common.QUICK_NOTEBOOK] if args.quick else None))
    if "steps" in args.only:
        print("2. step efficiency", flush=True)
        sections.append(step_efficiency.run(quick=args.quick))
        keras.backend.clear_session()
    if "classic" in args.only:
        print("3. single loss vs classic", flush=True)
        sections.append(single_loss_vs_classic.run(repeats=1 if args.quick else args.classic_repeats,
                                                   quick=args.quick))
        keras.backend.clear_session()
    if "quality" in args.only:
        print("4. quality per CPU-second", flush=True)
        sections.append(quality.run(seeds=seeds[:1] if args.quick else seeds, quick=args.quick))
    minutes = (time.perf_counter() - start) / 60
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    command = "python benchmarks/run_all.py" + (" --quick" if args.quick else "")
    text = "\n\n".join([
        "# Benchmarks",
        ("**Quick smoke run, not results.** " if args.quick else "")
        + f"Written by `{command}` (`make bench`) in {minutes:.1f} min; load average (1, 5, 15 min) at the end: "
        f"{load}. The scripts are in `benchmarks/`; each section can be run alone (see its docstring). "
        "Goals are issue 7's; no test asserts a time.",
        "## Machine\n\n" + description,
        *sections,
    ]) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
