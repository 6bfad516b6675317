"""Class-grading throughput: `nnlings grade` on a whole class against one plain pytest run per submission.

Usage: .venv/bin/python benchmarks/grade_throughput.py [--copies N] [--plain-sample K] [--json]

It copies solutions/ into a scratch folder N times (student01, student02, ...), so every submission
should get full marks, then times two ways of grading them all:

  plain    one cold `python -m pytest tests/ --ignore=tests/kit --impl <copy> -q -p no:cacheprovider`
           per submission, one after another, from the kit root (what a teacher without nnlings would
           do); tests/kit is the kit's own test suite, which does not grade the submission at all;
  nnlings  one `python -m grader grade <copy1> ... <copyN> --out-dir <tmp> --seed 1` call, which grades
           the class in parallel.

It prints the wall time and submissions per second of each, and the speedup (nnlings / plain, in
submissions per second). With --plain-sample K only the first K plain runs are timed and the plain
total is their mean times N (the output says so). A benchmark of wrong grading is worthless, so it
exits 1 unless every plain run passed and every nnlings report has score == possible.
Progress goes to stderr; --json prints the numbers as JSON on stdout instead of the table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def make_copies(dest: Path, copies: int) -> list[Path]:
    width = max(2, len(str(copies)))
    paths = [dest / f"student{n:0{width}d}" for n in range(1, copies + 1)]
    for path in paths:
        shutil.copytree(ROOT / "solutions", path, ignore=shutil.ignore_patterns("__pycache__"))
    return paths


def run(cmd: list[str], what: str) -> float:
    """Run `cmd` from the kit root and return its wall time; exit 1 with its output's tail if it fails."""
    env = {**os.environ, "NNLINGS_ROOT": str(ROOT), "NO_COLOR": "1", "NNLINGS_LANG": "en"}
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-20:])
        sys.exit(f"{what} failed (exit {proc.returncode}); the solutions should pass everything:\n{tail}")
    return elapsed


def time_plain(subs: list[Path], sample: int) -> list[float]:
    times = []
    for n, sub in enumerate(subs[:sample], 1):
        progress(f"plain {n}/{sample}: pytest --impl {sub.name} ...")
        cmd = [sys.executable, "-m", "pytest", "tests/", "--ignore=tests/kit", "--impl", str(sub),
               "-q", "-p", "no:cacheprovider"]
        times.append(run(cmd, f"plain pytest on {sub.name}"))
        progress(f"plain {n}/{sample}: {times[-1]:.1f}s")
    return times


def time_nnlings(subs: list[Path], out_dir: Path) -> float:
    progress(f"nnlings: grading {len(subs)} submissions in one call ...")
    cmd = [sys.executable, "-m", "grader", "grade", *map(str, subs), "--out-dir", str(out_dir), "--seed", "1"]
    elapsed = run(cmd, "nnlings grade")
    progress(f"nnlings: {elapsed:.1f}s")
    return elapsed


def check_reports(out_dir: Path, copies: int) -> list[str]:
    """What is wrong with the nnlings reports; empty when each of the `copies` got full marks."""
    reports = sorted((out_dir / "reports").glob("*.json"))
    problems = [] if len(reports) == copies else [f"{len(reports)} reports for {copies} submissions"]
    for path in reports:
        data = json.loads(path.read_text())
        if data.get("error") or not data.get("possible") or data.get("score") != data.get("possible"):
            problems.append(f"{path.name}: score {data.get('score')} of {data.get('possible')}, "
                            f"error {data.get('error')!r}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=30, help="submissions in the class (default 30)")
    parser.add_argument("--plain-sample", type=int, metavar="K",
                        help="time only K plain runs and extrapolate to all of them (default: all)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    copies = args.copies
    sample = copies if args.plain_sample is None else args.plain_sample
    if copies < 1 or not 1 <= sample <= copies:
        parser.error("need --copies >= 1 and 1 <= --plain-sample <= --copies")

    with tempfile.TemporaryDirectory(prefix="nnlings-bench-") as scratch:
        scratch = Path(scratch)
        progress(f"copying solutions/ {copies} times into {scratch}")
        subs = make_copies(scratch / "class", copies)
        plain_runs = time_plain(subs, sample)
        out_dir = scratch / "out"
        nnlings_time = time_nnlings(subs, out_dir)
        problems = check_reports(out_dir, copies)

    plain_mean = sum(plain_runs) / len(plain_runs)
    plain_time = plain_mean * copies
    extrapolated = sample < copies
    result = {
        "copies": copies,
        "cores": os.cpu_count(),
        "plain_runs_timed": sample,
        "plain_extrapolated": extrapolated,
        "plain_run_seconds": [round(t, 2) for t in plain_runs],
        "plain_seconds": round(plain_time, 2),
        "plain_per_second": round(copies / plain_time, 4),
        "nnlings_seconds": round(nnlings_time, 2),
        "nnlings_per_second": round(copies / nnlings_time, 4),
        "speedup": round(plain_time / nnlings_time, 2),
        "all_full_marks": not problems,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        note = f"  (extrapolated: mean of {sample} timed runs x {copies})" if extrapolated else ""
        print(f"submissions: {copies} copies of solutions/, {os.cpu_count()} cores")
        print(f"plain:   {plain_time:8.1f}s  {copies / plain_time:7.3f} submissions/s{note}")
        print(f"nnlings: {nnlings_time:8.1f}s  {copies / nnlings_time:7.3f} submissions/s")
        print(f"speedup (nnlings / plain, submissions/s): {plain_time / nnlings_time:.2f}x")
    if problems:
        print("nnlings did not give full marks to the solutions:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
