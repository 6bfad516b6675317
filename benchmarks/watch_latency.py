"""Save-to-verdict latency of `nnlings watch` against a cold `nnlings check`, measured in one run.

Usage: .venv/bin/python benchmarks/watch_latency.py [--saves N] [--cold N] [--exercise ID ...]

For each exercise (default: the first of the curriculum, where watch opens on a fresh kit, and
autograd.train_loop, the curriculum's slowest check), it copies the kit to a scratch folder whose
earlier exercises are solved, starts `nnlings watch` there (line mode: stdin and stdout are pipes),
and for each save writes a wrong answer (the reference solution with its first function replaced
by None, so every check runs its reference and fails) and times until the verdict line appears.
Then it times cold `nnlings check ID` runs of the same file, and prints the medians and the ratio.
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARK = "(checked in"


def copy_kit(dest: Path) -> None:
    shutil.copy(ROOT / "curriculum.toml", dest)
    for folder in ("exercises", "solutions", "tests"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=shutil.ignore_patterns("__pycache__", "kit"))


def env_for(kit: Path) -> dict:
    return {**os.environ, "NNLINGS_ROOT": str(kit), "NO_COLOR": "1", "NNLINGS_LANG": "en"}


def reader(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put((time.perf_counter(), line))


def wait_for(lines: queue.Queue, mark: str, timeout: float = 120) -> float:
    deadline = time.perf_counter() + timeout
    while True:
        stamp, line = lines.get(timeout=max(0.01, deadline - time.perf_counter()))
        if mark in line:
            return stamp


def solve_up_to(kit: Path, exercise: str) -> None:
    """Put the solutions of the exercises before `exercise` in exercises/, so that watch opens on it."""
    sys.path.insert(0, str(ROOT))
    from grader.core import manifest

    for ex in manifest.load(kit).exercises:
        if ex.id == exercise:
            return
        module, name = ex.id.split(".")
        shutil.copy(kit / "solutions" / module / f"{name}.py", kit / "exercises" / module / f"{name}.py")
    sys.exit(f"{exercise} is not an exercise of the curriculum")


def versions(kit: Path, exercise: str, kind: str) -> list[str]:
    """Two different versions of the file, so every save changes it. "todo": the stub, edited (every check
    is todo). "wrong": the solution with its first public function (or class) replaced by None, so that
    each check computes its reference and then fails."""
    sys.path.insert(0, str(ROOT))
    from grader.core import manifest

    module, name = exercise.split(".")
    if kind == "todo":
        stub = (kit / "exercises" / module / f"{name}.py").read_text()
        return [stub + f"\n# edit {i}\n" for i in range(2)]
    first = manifest.load(kit).find(exercise).functions[0]
    solution = (kit / "solutions" / module / f"{name}.py").read_text()
    return [solution + f"\n{first} = None  # edit {i}\n" for i in range(2)]


def measure_watch(kit: Path, exercise: str, saves: int, kind: str) -> list[float]:
    proc = subprocess.Popen([sys.executable, "-m", "grader", "watch"], cwd=kit, env=env_for(kit), text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=1)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=reader, args=(proc.stdout, lines), daemon=True).start()
    try:
        wait_for(lines, MARK, timeout=900)  # the first screen, once the solved exercises before it are checked
        time.sleep(2.0)  # let the standby child get ready, as it would while a learner types
        module, name = exercise.split(".")
        target = kit / "exercises" / module / f"{name}.py"
        texts, latencies = versions(kit, exercise, kind), []
        for i in range(saves):
            started = time.perf_counter()
            target.write_text(texts[i % 2])
            latencies.append(wait_for(lines, MARK) - started)
            time.sleep(1.5)
        return latencies
    finally:
        proc.stdin.write("q\n")
        proc.stdin.flush()
        proc.wait(timeout=30)


def measure_cold(kit: Path, exercise: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "grader", "check", exercise], cwd=kit, env=env_for(kit),
                       capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return times


def measure(exercise: str, kind: str, saves: int, cold_runs: int) -> tuple[list[float], list[float]]:
    with tempfile.TemporaryDirectory(prefix="nnlings-bench-") as tmp:
        kit = Path(tmp)
        copy_kit(kit)
        solve_up_to(kit, exercise)
        warm = measure_watch(kit, exercise, saves, kind)
        cold = measure_cold(kit, exercise, cold_runs)  # the file as the last save left it
    return warm, cold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=12)
    parser.add_argument("--cold", type=int, default=3)
    parser.add_argument("--exercise", nargs="+", default=["tensors.broadcasting", "autograd.train_loop"])
    parser.add_argument("--kind", nargs="+", choices=("todo", "wrong"), default=["todo", "wrong"])
    args = parser.parse_args()
    print(f"{'exercise':28} {'save':5} {'watch median':>12} {'min':>7} {'max':>7} {'cold median':>12} {'cold/watch':>10}")
    for exercise in args.exercise:
        for kind in args.kind:
            warm, cold = measure(exercise, kind, args.saves, args.cold)
            w, c = statistics.median(warm), statistics.median(cold)
            print(f"{exercise:28} {kind:5} {w * 1000:10.0f}ms {min(warm) * 1000:5.0f}ms {max(warm) * 1000:5.0f}ms "
                  f"{c:11.2f}s {c / w:9.1f}x", flush=True)
    print(f"(watch: {args.saves} saves each, from the write to the verdict line; cold: {args.cold} runs of "
          "`nnlings check ID` on the same file)")


if __name__ == "__main__":
    main()
