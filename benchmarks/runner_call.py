"""Round trip of one call into a runner (learner code in a process of its own), and the cost of a timeout.

Usage: .venv/bin/python benchmarks/runner_call.py [--calls N] [--timeouts N]

Calls the reference mse_loss through a runner N times on two 4x4 arrays and reports the median and 95th
percentile per call; then stops N endless loops at a 1 s call limit and reports how long past the limit
each took to be killed, and how many named the learner's line.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.runner.errors import RunnerTimeout  # noqa: E402
from grader.runner.limits import Limits  # noqa: E402
from grader.runner.pool import ExerciseRunner  # noqa: E402

LOOP = "def mse_loss(input, target, reduction='mean'):\n    while True:\n        pass\n"


def submission(folder: Path, source: str) -> Path:
    (folder / "losses").mkdir(parents=True, exist_ok=True)
    (folder / "losses" / "mse.py").write_text(source, encoding="utf-8")
    return folder


def per_call(calls: int) -> list[float]:
    with tempfile.TemporaryDirectory() as folder:
        source = (ROOT / "solutions" / "losses" / "mse.py").read_text(encoding="utf-8")
        runner = ExerciseRunner(submission(Path(folder), source), "losses.mse", (), Limits())
        try:
            module, _ = runner.module()
            a, b = np.ones((4, 4)), np.zeros((4, 4))
            times = []
            for _ in range(calls):
                start = time.perf_counter()
                module.mse_loss(a, b)
                times.append(time.perf_counter() - start)
            return times
        finally:
            runner.close()


def timeouts(count: int) -> tuple[list[float], int]:
    late, named = [], 0
    for _ in range(count):
        with tempfile.TemporaryDirectory() as folder:
            runner = ExerciseRunner(submission(Path(folder), LOOP), "losses.mse", (), Limits(call_seconds=1.0))
            try:
                module, _ = runner.module()
                start = time.perf_counter()
                try:
                    module.mse_loss(np.ones(2), np.ones(2))
                except RunnerTimeout as err:
                    late.append(time.perf_counter() - start - 1.0)
                    named += bool(err.frames)  # on "while True:" or on "pass": either is the loop
            finally:
                runner.close()
    return late, named


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--timeouts", type=int, default=5)
    args = parser.parse_args()
    times = sorted(per_call(args.calls))
    print(f"{args.calls} calls: median {statistics.median(times) * 1e3:.3f} ms, "
          f"95th percentile {times[int(0.95 * len(times))] * 1e3:.3f} ms")
    late, named = timeouts(args.timeouts)
    print(f"{args.timeouts} endless loops at a 1 s limit: stopped {statistics.median(late):.3f} s past it (median), "
          f"the learner's line named in {named} of {args.timeouts}")


if __name__ == "__main__":
    main()
