"""Save-to-verdict latency of `nnlings watch` against a cold `nnlings check`, measured in one run.

Usage: .venv/bin/python benchmarks/watch_latency.py [--saves N] [--cold N] [--exercise ID]

It copies the kit to a scratch folder, starts `nnlings watch` there (line mode: stdin and stdout
are pipes), and for each save writes a new version of the exercise file and times until the
verdict line appears. Then it times cold `nnlings check ID` runs of the same exercise.
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


def versions(kit: Path, exercise: str) -> list[str]:
    """Two different wrong versions of the file, so every save changes it."""
    module, name = exercise.split(".")
    stub = (kit / "exercises" / module / f"{name}.py").read_text()
    return [stub + f"\n# edit {i}\n" for i in range(2)]


def measure_watch(kit: Path, exercise: str, saves: int) -> list[float]:
    proc = subprocess.Popen([sys.executable, "-m", "grader", "watch"], cwd=kit, env=env_for(kit), text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=1)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=reader, args=(proc.stdout, lines), daemon=True).start()
    try:
        wait_for(lines, MARK)  # the first screen
        time.sleep(2.0)  # let the standby child get ready, as it would while a learner types
        module, name = exercise.split(".")
        target = kit / "exercises" / module / f"{name}.py"
        texts, latencies = versions(kit, exercise), []
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=8)
    parser.add_argument("--cold", type=int, default=3)
    parser.add_argument("--exercise", default="tensors.broadcasting")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nnlings-bench-") as tmp:
        kit = Path(tmp)
        copy_kit(kit)
        warm = measure_watch(kit, args.exercise, args.saves)
        cold = measure_cold(kit, args.exercise, args.cold)
    w, c = statistics.median(warm), statistics.median(cold)
    print(f"exercise: {args.exercise}")
    print(f"watch, save to verdict: median {w:.3f} s over {len(warm)} saves "
          f"(min {min(warm):.3f}, max {max(warm):.3f})")
    print(f"cold nnlings check:     median {c:.3f} s over {len(cold)} runs (min {min(cold):.3f}, max {max(cold):.3f})")
    print(f"ratio (cold / watch):   {c / w:.1f}x")


if __name__ == "__main__":
    main()
