"""Compare what the check cells printed in two records, run by run, or in a record and the committed notebooks.

After a rerun of the records, lessons whose code did not change should print what they printed before, digit for
digit (the code is deterministic on one CPU kind); a lesson that changed should print what its pre-check printed:

    python benchmarks/compare_records.py benchmarks/SEEDS.md <(git show HEAD~1:benchmarks/SEEDS.md)
    python benchmarks/compare_records.py benchmarks/BACKENDS.md --notebooks

The first lists each run as same or DIFFERENT (with its first differing lines); times and other columns are left
out. The second checks that BACKENDS.md's TensorFlow column printed what each committed notebook's check cell
shows. Exit status 1 when a run differs.
"""

import argparse
import sys

import common


def differences(new, old):
    """Report lines, one per run of `new`, and whether any differs from `old`."""
    lines, differ = [], False
    for key in sorted(new):
        if key not in old:
            lines.append(f"not in the other: {key}")
            continue
        same = new[key].strip() == old[key].strip()
        differ |= not same
        lines.append(f"{'same     ' if same else 'DIFFERENT'} {key}")
        lines += [f"    {a!r}\n != {b!r}" for a, b in zip(new[key].splitlines(), old[key].splitlines())
                  if a != b][:3]
    return lines, differ


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("record", help="SEEDS.md or BACKENDS.md")
    parser.add_argument("other", nargs="?", help="the record to compare with")
    parser.add_argument("--notebooks", action="store_true", help="compare with the committed notebooks instead")
    args = parser.parse_args(argv)
    if (args.other is None) == (not args.notebooks):
        parser.error("give either another record or --notebooks")
    new = common.printouts(args.record)
    if args.notebooks:
        old = common.committed(common.lesson_notebooks())
        new = {key: text for key, text in new.items() if key[0] in {heading for heading, _ in old}}
    else:
        old = common.printouts(args.other)
    lines, differ = differences(new, old)
    print("\n".join(lines))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
