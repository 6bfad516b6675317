"""Class-grading throughput, the time of one whole submission, and what isolation costs, from one run.

Usage: .venv/bin/python benchmarks/grade_throughput.py [--copies N] [--warm-sample K] [--json]

It copies solutions/ into a scratch folder N times (student01, student02, ...), so every submission
should get full marks, then measures:

  class      one `python -m grader grade <copy1> ... <copyN> --out-dir <tmp> --seed 1` call, which grades
             the class in parallel (one warm judge per core, a fork per submission): submissions per minute;
  one        `python -m grader grade <copy1> --seed 1`, a single whole submission from a cold start, as a
             teacher or Gradescope runs it;
  isolation  the same tests of K copies, forked one at a time from one warm judge, graded as `grade` does
             (learner code only in runner processes, under limits) and run in-process (learner code
             imported by the tests' own process): the ratio is what isolation costs.

A benchmark of wrong grading is worthless, so it exits 1 unless every report has score == possible.
Progress goes to stderr; --json prints the numbers as JSON on stdout instead of the table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
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


def time_one(sub: Path) -> float:
    progress(f"one: grading {sub.name} alone, from a cold start ...")
    elapsed = run([sys.executable, "-m", "grader", "grade", str(sub), "--seed", "1"], "nnlings grade (one)")
    progress(f"one: {elapsed:.1f}s")
    return elapsed


def time_class(subs: list[Path], out_dir: Path) -> float:
    progress(f"class: grading {len(subs)} submissions in one call ...")
    cmd = [sys.executable, "-m", "grader", "grade", *map(str, subs), "--out-dir", str(out_dir), "--seed", "1"]
    elapsed = run(cmd, "nnlings grade")
    progress(f"class: {elapsed:.1f}s")
    return elapsed


def time_isolation(subs: list[Path]) -> tuple[list[float], list[float], list[str]]:
    """Seconds per submission graded in runners and run in-process, each forked from the same warm judge."""
    sys.path.insert(0, str(ROOT))
    from grader.core import manifest
    from grader.grading.pipeline import evaluate
    from grader.learner.zygote_client import Zygote

    kit = manifest.load(ROOT)
    ids = [e.id for e in kit.exercises]
    isolated, in_process, problems = [], [], []
    zygote = Zygote(ROOT)
    try:
        for n, sub in enumerate(subs, 1):
            for isolate, times in ((True, isolated), (False, in_process)):
                started = time.perf_counter()
                report = evaluate(ROOT, kit, ids, str(sub), seed=1, isolate=isolate, zygote=zygote)
                times.append(time.perf_counter() - started)
                if report.error or report.score != report.possible:
                    problems.append(f"{sub.name} ({'runners' if isolate else 'in-process'}): score {report.score} "
                                    f"of {report.possible}, error {report.error!r}")
            progress(f"isolation {n}/{len(subs)}: runners {isolated[-1]:.1f}s, in-process {in_process[-1]:.1f}s")
    finally:
        zygote.close()
    return isolated, in_process, problems


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
    parser.add_argument("--warm-sample", type=int, default=3, metavar="K",
                        help="copies graded both ways for the isolation overhead (default 3)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    copies, sample = args.copies, args.warm_sample
    if copies < 1 or not 1 <= sample <= copies:
        parser.error("need --copies >= 1 and 1 <= --warm-sample <= --copies")

    with tempfile.TemporaryDirectory(prefix="nnlings-bench-") as scratch:
        scratch = Path(scratch)
        progress(f"copying solutions/ {copies} times into {scratch}")
        subs = make_copies(scratch / "class", copies)
        out_dir = scratch / "out"
        class_time = time_class(subs, out_dir)
        problems = check_reports(out_dir, copies)
        one_time = time_one(subs[0])
        isolated, in_process, more = time_isolation(subs[:sample])
        problems += more

    iso, inp = statistics.median(isolated), statistics.median(in_process)
    result = {
        "copies": copies,
        "cores": os.cpu_count(),
        "class_seconds": round(class_time, 2),
        "submissions_per_minute": round(60 * copies / class_time, 2),
        "one_submission_seconds": round(one_time, 2),
        "isolated_seconds": [round(t, 2) for t in isolated],
        "in_process_seconds": [round(t, 2) for t in in_process],
        "isolation_overhead": round(iso / inp, 2),
        "all_full_marks": not problems,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"class: {copies} copies of solutions/, {os.cpu_count()} cores: {class_time:.1f}s, "
              f"{60 * copies / class_time:.1f} submissions per minute")
        print(f"one whole submission, cold `nnlings grade`: {one_time:.1f}s")
        print(f"isolation: median {iso:.1f}s in runners against {inp:.1f}s in-process, forked from one warm judge "
              f"({sample} copies): overhead {iso / inp:.2f}x")
    if problems:
        print("the solutions did not get full marks:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
