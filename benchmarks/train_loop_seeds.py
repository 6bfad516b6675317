"""How far inside its bars autograd.train_loop's correct answers stay, over many seeds.

The tests in tests/autograd/test_train_loop.py judge a training loop by what it achieves: a held-out
MSE under a bar (quadratic and sine, float64 and float32) and a final loss under a fraction of the
first. This script trains the reference solution, the second opinion (ReLU, another initialisation,
float32 arithmetic for float32 data) and a third correct loop that starts its output bias at the
targets' mean (so its first loss is small, the hardest case for the loss ratio), over many seeds each,
and prints the worst value of every quantity next to its bar. It is the evidence that the checks do
not flake; the tests themselves draw one seed per scenario.

    .venv/bin/python benchmarks/train_loop_seeds.py [--seeds 200]
"""

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "autograd"))
import test_train_loop as T  # noqa: E402 - the bars and the data of the tests themselves


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class MeanBiasStart:
    """The reference loop, with the output bias started at mean(y): its first loss is the targets' variance."""

    def __init__(self, reference):
        self.reference = reference

    def train(self, x, y, hidden=32, steps=2000, lr=1e-2, rng=None):
        ref = self.reference
        init = ref._init

        def init_at_mean(h, r):
            w1, b1, w2, _ = init(h, r)  # the same draws from r as the reference
            return w1, b1, w2, np.full(1, float(np.mean(y)))

        ref._init = init_at_mean
        try:
            return ref.train(x, y, hidden, steps, lr, rng)
        finally:
            ref._init = init


def measure(impl, f, data_seed, seed, dtype=np.float64):
    """(held-out MSE on the grid, losses[-1] / losses[0]) for one run."""
    x, y = T.data(data_seed, f, dtype)
    predict, losses = impl.train(x, y, rng=np.random.default_rng(seed))
    out = np.asarray(predict(T.GRID.astype(dtype)), np.float64).reshape(-1)
    return float(np.mean((out - f(T.GRID)[:, 0]) ** 2)), losses[-1] / losses[0]


CASES = {  # name: (target, dtype, held-out bar)
    "quadratic float64": (T.quadratic, np.float64, T.HELD_OUT_BAR),
    "quadratic float32": (T.quadratic, np.float32, T.HELD_OUT_BAR),
    "sine float64": (T.sine, np.float64, T.SINE_BAR),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    args = parser.parse_args()
    reference = load(ROOT / "solutions" / "autograd" / "train_loop.py")
    impls = {"reference (tanh)": reference,
             "second opinion (ReLU, float32)": load(ROOT / "tests" / "kit" / "second_opinion" / "autograd" /
                                                    "train_loop.py"),
             "tanh, output bias at mean(y)": MeanBiasStart(reference)}
    print(f"{args.seeds} seeds per row; bars: held-out MSE as below, loss ratio {T.LOSS_RATIO:g}")
    print(f"{'implementation':32} {'case':18} {'worst held-out':>15} {'bar':>6} {'worst ratio':>12} {'failures':>9}")
    for name, impl in impls.items():
        for case, (f, dtype, bar) in CASES.items():
            start, held, ratio, failures = time.perf_counter(), [], [], 0
            for s in range(args.seeds):
                h, r = measure(impl, f, 10_000 + s, 20_000 + s, dtype)
                held.append(h)
                ratio.append(r)
                failures += not (h < bar and r < T.LOSS_RATIO)
            print(f"{name:32} {case:18} {max(held):15.3g} {bar:6g} {max(ratio):12.3g} {failures:9d}"
                  f"   ({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
