"""How much vectorising a convolution buys: the reference conv.conv2d_im2col against the reference
conv.conv2d_loops and against torch, on one realistic input, in one run.

Usage: .venv/bin/python benchmarks/conv_speed.py [--repeat R] [--threads T] [--json]

The input is a small CNN layer: N=8, C=16, 32x32, 32 filters of 3x3, stride 1, padding 1, float32.
Each implementation is run once to warm up, then timed R times (default 5); the table shows the best time
of each, and the two ratios the exercise is built around:

  loops / im2col   goal: at least 50 (im2col is the vectorised version)
  im2col / torch   goal: at most 3 (torch's CPU kernel on the same threads)

Both torch and NumPy's BLAS run on T threads (default 1): on a shared machine more threads mostly measure
the neighbours, and one thread against one thread is the comparison the exercise is about.
It exits 1 if the three results disagree (a benchmark of wrong answers is worthless). No test asserts a time:
the exercise's tests find a loop over output positions by counting lines, not with a clock.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHAPE = {"N": 8, "C": 16, "H": 32, "W": 32, "O": 32, "k": 3}


def load(exercise: str):
    """The reference solution of one exercise, as a module."""
    module, name = exercise.split(".")
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "solutions" / module / f"{name}.py")
    found = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(found)
    return found


def best_of(fn, repeat: int) -> float:
    fn()  # warm up: first-call allocations and imports are not what is compared
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--threads", type=int, default=1, help="threads for torch and for NumPy's BLAS (default 1)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON instead of a table")
    args = parser.parse_args(argv)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(args.threads)  # read once, when NumPy loads its BLAS: so NumPy is imported after
    import numpy as np  # only now: NumPy reads those variables when it loads its BLAS
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(args.threads)

    rng = np.random.default_rng(0)
    s = SHAPE
    x = rng.standard_normal((s["N"], s["C"], s["H"], s["W"])).astype(np.float32)  # (N, C, H, W)
    w = rng.standard_normal((s["O"], s["C"], s["k"], s["k"])).astype(np.float32)  # (O, C, kH, kW)
    b = rng.standard_normal(s["O"]).astype(np.float32)  # (O,)
    im2col, loops = load("conv.conv2d_im2col"), load("conv.conv2d_loops")
    xt, wt, bt = torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b)

    results = {
        "im2col": lambda: im2col.conv2d(x, w, b, padding=1),
        "loops": lambda: loops.conv2d(x, w, b, padding=1),
        "torch": lambda: F.conv2d(xt, wt, bt, padding=1).numpy(),
    }
    reference = results["torch"]()
    for name, fn in results.items():
        if not np.allclose(fn(), reference, rtol=1e-3, atol=1e-3):
            print(f"{name} disagrees with torch: not timing wrong answers", file=sys.stderr)
            return 1
    print(f"timing on N={s['N']}, C={s['C']}, {s['H']}x{s['W']}, {s['O']} filters of {s['k']}x{s['k']} "
          f"(torch threads: {torch.get_num_threads()}) ...", file=sys.stderr, flush=True)
    seconds = {name: best_of(fn, args.repeat) for name, fn in results.items()}
    ratios = {"loops / im2col": seconds["loops"] / seconds["im2col"],
              "im2col / torch": seconds["im2col"] / seconds["torch"]}
    goals = {"loops / im2col": ratios["loops / im2col"] >= 50, "im2col / torch": ratios["im2col / torch"] <= 3}
    if args.json:
        print(json.dumps({"shape": s, "threads": args.threads, "seconds": seconds, "ratios": ratios, "goals_met": goals}, indent=2))
        return 0
    for name, sec in seconds.items():
        print(f"{name:>8}  {sec * 1e3:10.2f} ms")
    print(f"loops / im2col  {ratios['loops / im2col']:8.1f}x  (goal >= 50: {'met' if goals['loops / im2col'] else 'NOT met'})")
    print(f"im2col / torch  {ratios['im2col / torch']:8.2f}x  (goal <= 3: {'met' if goals['im2col / torch'] else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
