"""autograd.train_loop: a whole training loop checked by what any correct one must do.

The architecture and the initialisation are the learner's to choose, so no torch run can be matched
number for number. The checks are properties: on y = 3x² + 5 over [-2, 2] the held-out MSE on a grid
falls under a bar and the training loss falls to under a stated fraction of its start; a second target
(a sine, shifted and scaled) is fitted as well, so a loop tuned to one function does not pass; the
losses are one per step; hidden, lr and steps each change the run; one seed gives one run and two
seeds two. Each scenario draws its data and its generator from a seed of its own.

The bars: held-out MSE below HELD_OUT_BAR, whereas a constant predictor scores about 12.8 on the
quadratic; final loss below LOSS_RATIO times the first. benchmarks/train_loop_seeds.py runs them over
200 seeds for the reference (worst 0.18 and 1.4e-3), the second opinion (ReLU, float32; worst 0.034
and 2.5e-4) and a loop whose output bias starts at mean(y): no run misses a bar. Adam with its moments
reset every step (sign descent) misses them. So does a net that starts from zero biases and tiny
weights: every tanh unit is then odd, the target is even, and training sits on the plateau of the
constant for longer than 2000 steps; the exercise asks for nn.Linear's initialisation.
"""

import numpy as np
import pytest

N = 128  # training points, uniform over [-2, 2]
GRID = np.linspace(-2.0, 2.0, 200)[:, None]  # (200, 1): the held-out points
HELD_OUT_BAR = 0.4  # held-out MSE on the quadratic; the variance of 3x² + 5 over [-2, 2] is about 12.8
SINE_BAR = 0.05  # held-out MSE on the sine; its variance is about 2
LOSS_RATIO = 3e-3  # losses[-1] / losses[0] must be below this


def quadratic(x):
    return 3.0 * x ** 2 + 5.0


def sine(x):
    return 2.0 * np.sin(2.0 * x) - 1.0 + 0.5 * x


def new_seed(rng) -> int:
    return int(rng.integers(2**31))


def data(seed, f, dtype=np.float64):
    x = np.random.default_rng(seed).uniform(-2.0, 2.0, size=(N, 1))  # (N, 1)
    return x.astype(dtype), f(x).astype(dtype)


def seeded(seed, **kw):
    shown = "".join(f", {k}={v}" for k, v in kw.items())
    return f"predict, losses = train(x, y{shown}, rng=np.random.default_rng({seed}))"


def fit(m, f, data_seed, seed, dtype=np.float64, **kw):
    """(predict(grid), losses as a flat float64 array): one seeded run on y = f(x), in dtype."""
    x, y = data(data_seed, f, dtype)
    predict, losses = m.train(x, y, rng=np.random.default_rng(seed), **kw)
    return np.asarray(predict(GRID.astype(dtype))), np.asarray(losses, np.float64).reshape(-1)


def fit_report(out, losses, f, bar):
    """(predict(grid) is (200, 1), losses fall at all, held-out MSE under 10 * bar (the shape is learnt),
    held-out MSE under bar, losses[-1] under LOSS_RATIO * losses[0])."""
    held_out = float(np.mean((out.astype(np.float64).reshape(-1) - f(GRID)[:, 0]) ** 2)) \
        if out.size == len(GRID) else np.inf
    return (out.shape == GRID.shape, bool(losses.size > 1 and losses[-1] < losses[0]), bool(held_out < 10 * bar),
            bool(held_out < bar), bool(losses.size > 0 and losses[-1] < LOSS_RATIO * losses[0]))


def fit_names(bar):
    return ("predict(grid) has shape (200, 1)", "losses[-1] < losses[0]",
            f"held-out MSE < {10 * bar:g} (the net learnt the curve's shape, not just its mean)",
            f"held-out MSE < {bar:g}", f"losses[-1] < {LOSS_RATIO} * losses[0]")


def test_fits_quadratic(check, rng):
    """Trained on y = 3x² + 5, does predict fit a held-out grid over [-2, 2] and the training loss fall far?"""
    data_seed, seed = new_seed(rng), new_seed(rng)
    check.close(lambda m: fit_report(*fit(m, quadratic, data_seed, seed), quadratic, HELD_OUT_BAR), (True,) * 5,
                call=f"{seeded(seed)} with x of shape ({N}, 1) uniform over [-2, 2] and y = 3x² + 5; then the "
                     f"MSE of predict(grid) against 3 grid² + 5 on 200 points over [-2, 2] (bar {HELD_OUT_BAR})",
                names=fit_names(HELD_OUT_BAR))


def test_fits_sine(check, rng):
    """Trained on y = 2 sin(2x) - 1 + x / 2, another shape and scale, does predict fit the held-out grid too?"""
    data_seed, seed = new_seed(rng), new_seed(rng)
    check.close(lambda m: fit_report(*fit(m, sine, data_seed, seed), sine, SINE_BAR), (True,) * 5,
                call=f"{seeded(seed)} with x of shape ({N}, 1) uniform over [-2, 2] and y = 2 sin(2x) - 1 + x / 2; "
                     f"then the MSE of predict(grid) on 200 points over [-2, 2] (bar {SINE_BAR})",
                names=fit_names(SINE_BAR))


def per_step(m, data_seed, seed, steps):
    """(len(losses) == steps, every loss finite and >= 0, losses[-1] < losses[0] (for steps > 1), predict twice
    is the same)."""
    x, y = data(data_seed, quadratic)
    predict, losses = m.train(x, y, steps=steps, rng=np.random.default_rng(seed))
    arr = np.asarray(losses, np.float64).reshape(-1)
    first, second = np.asarray(predict(GRID)), np.asarray(predict(GRID))
    return (len(losses) == steps, bool(np.all(np.isfinite(arr)) and np.all(arr >= 0)),
            bool(arr.size == 1 if steps == 1 else arr.size > 1 and arr[-1] < arr[0]),
            bool(np.array_equal(first, second)))


@pytest.mark.parametrize("steps", [1, 60, 300])
def test_losses_per_step(check, rng, steps):
    """Is losses one training MSE per step (steps of them, each >= 0), falling, and predict unchanged by calls?"""
    data_seed, seed = new_seed(rng), new_seed(rng)
    check.close(lambda m: per_step(m, data_seed, seed, steps), (True, True, True, True),
                call=f"{seeded(seed, steps=steps)} on y = 3x² + 5, then predict(grid) twice",
                names=("len(losses) == steps", "every loss is finite and >= 0", "losses[-1] < losses[0] (steps > 1)",
                       "predict(grid) twice gives the same"))


def runs_differ(m, data_seed, seed, base, changed):
    x, y = data(data_seed, quadratic)
    a = np.asarray(m.train(x, y, rng=np.random.default_rng(seed), **base)[1], np.float64)
    b = np.asarray(m.train(x, y, rng=np.random.default_rng(seed), **changed)[1], np.float64)
    n = min(len(a), len(b))
    return bool(not np.array_equal(a[:n], b[:n]))


CHANGES = {
    "hidden": ({"hidden": 32, "steps": 200}, {"hidden": 8, "steps": 200}),
    "lr": ({"lr": 1e-2, "steps": 200}, {"lr": 3e-3, "steps": 200}),
}


@pytest.mark.parametrize("case", CHANGES.values(), ids=CHANGES.keys())
def test_arguments_matter(check, rng, case):
    """Does a different hidden or lr, with the same seed, give different losses (the argument is used)?"""
    base, changed = case
    data_seed, seed = new_seed(rng), new_seed(rng)
    shown = lambda kw: ", ".join(f"{k}={v}" for k, v in kw.items())  # noqa: E731
    check.close(lambda m: runs_differ(m, data_seed, seed, base, changed), True,
                call=f"train(x, y, {shown(base)}, rng=...) and train(x, y, {shown(changed)}, rng=...), both "
                     f"with np.random.default_rng({seed}), on y = 3x² + 5", names="the two runs' losses differ")


def seeded_runs(m, data_seed, seed):
    """(same seed: same losses, same seed: same predictions, another seed: other losses)."""
    x, y = data(data_seed, quadratic)
    pa, la = m.train(x, y, hidden=16, steps=100, rng=np.random.default_rng(seed))
    pb, lb = m.train(x, y, hidden=16, steps=100, rng=np.random.default_rng(seed))
    _, lc = m.train(x, y, hidden=16, steps=100, rng=np.random.default_rng(seed + 1))
    return (bool(np.array_equal(np.asarray(la), np.asarray(lb))),
            bool(np.array_equal(np.asarray(pa(GRID)), np.asarray(pb(GRID)))),
            bool(not np.array_equal(np.asarray(la), np.asarray(lc))))


def test_same_seed(check, rng):
    """Do two generators from one seed give the same losses and predictions, and another seed other losses?"""
    data_seed, seed = new_seed(rng), new_seed(rng)
    check.close(lambda m: seeded_runs(m, data_seed, seed), (True, True, True),
                call=f"train(x, y, hidden=16, steps=100, rng=np.random.default_rng(s)) for s = {seed}, {seed} "
                     f"and {seed + 1}",
                names=("the same seed gives the same losses", "the same seed gives the same predict(grid)",
                       "another seed gives other losses"))


def unseeded(m, data_seed):
    """The default call train(x, y): (len(losses) == 2000, then fit_report's checks, two unseeded calls differ).

    A fresh, unseeded generator is a new draw on every run, and from about one draw in 150 a correct loop sits
    on the plateau at the mean for all 2000 steps (measured on this data: 4 of 600). So the default call gets
    two fresh starts and the better one is judged: both plateau about once in 20,000 runs, while a loop that
    always plateaus (biases at zero) fails both."""
    x, y = data(data_seed, quadratic)
    reports = []
    for _ in range(2):
        predict, losses = m.train(x, y)
        losses = np.asarray(losses, np.float64).reshape(-1)
        reports.append((len(losses) == 2000,) + fit_report(np.asarray(predict(GRID)), losses, quadratic, HELD_OUT_BAR))
    report = max(reports, key=sum)  # the start that met more of the bars
    _, other = m.train(x, y, 4, 20)
    _, again = m.train(x, y, 4, 20)
    return report + (bool(not np.array_equal(np.asarray(other), np.asarray(again))),)


def test_defaults(check, rng):
    """Does train(x, y) use its defaults (hidden 32, 2000 steps, lr 1e-2, a fresh generator) and still fit (from
    the better of two fresh starts)?"""
    data_seed = new_seed(rng)
    check.close(lambda m: unseeded(m, data_seed), (True,) * 7,
                call="predict, losses = train(x, y) twice on y = 3x² + 5 (the better start judged), "
                     "then train(x, y, 4, 20) twice",
                names=("len(losses) == 2000",) + fit_names(HELD_OUT_BAR) + ("two unseeded calls give other losses",))


def same_as_written(m, data_seed, seed):
    """(losses of train(x, y, steps=50, rng) == losses of train(x, y, 32, 50, 1e-2, rng), the same seed)."""
    x, y = data(data_seed, quadratic)
    _, left_out = m.train(x, y, steps=50, rng=np.random.default_rng(seed))
    _, written = m.train(x, y, 32, 50, 1e-2, rng=np.random.default_rng(seed))
    return bool(np.array_equal(np.asarray(left_out, np.float64), np.asarray(written, np.float64)))


def test_default_values(check, rng):
    """Are the defaults hidden=32 and lr=1e-2: does leaving them out give the same run as writing them?"""
    data_seed, seed = new_seed(rng), new_seed(rng)
    check.close(lambda m: same_as_written(m, data_seed, seed), True,
                call=f"train(x, y, steps=50, rng=np.random.default_rng({seed})) and train(x, y, 32, 50, 1e-2, "
                     f"rng=np.random.default_rng({seed})) on y = 3x² + 5",
                names="the two runs' losses are the same")


BAD = {
    "x_1d": ({"x": "1-D"}, "x of shape (8,) is not (N, 1)"),
    "x_wide": ({"x": "wide"}, "x of shape (8, 2) is not (N, 1)"),
    "y_shape": ({"y": "short"}, "y of shape (7, 1) does not match x's (8, 1)"),
    "steps": ({"steps": 0}, "steps=0 trains nothing"),
    "hidden": ({"hidden": 0}, "hidden=0 gives no hidden unit"),
    "lr_zero": ({"lr": 0.0}, "lr=0.0 is not positive"),
    "lr_negative": ({"lr": -1e-2}, "lr=-0.01 is not positive"),
}


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_bad_input(check, rng, case):
    """Is x not (N, 1), a y of another shape, steps or hidden below 1, or an lr not above 0 refused?"""
    kw, reason = case
    kw = dict(kw)
    x, y = data(new_seed(rng), quadratic)
    x, y = x[:8], y[:8]
    form = kw.pop("x", None)
    if form == "1-D":
        x = x[:, 0].copy()
    elif form == "wide":
        x = np.hstack([x, x])
    if kw.pop("y", None):
        y = y[:7]
    seed = new_seed(rng)
    shown = "".join(f", {k}={v}" for k, v in kw.items())
    check.raises(lambda m: m.train(x, y, rng=np.random.default_rng(seed), **kw),
                 call=f"train(x, y{shown}, rng=np.random.default_rng({seed}))", inputs={"x": x, "y": y},
                 reason=reason)


def once_per_impl(run):
    """run(m), computed once for each implementation m and kept: two checks of one test share a training run."""
    kept = {}  # id(m) -> (m, run(m)); m is held so that its id is not reused

    def cached(m):
        if id(m) not in kept:
            kept[id(m)] = (m, run(m))
        return kept[id(m)][1]
    return cached


def test_dtype(check, rng):
    """With float32 x and y, is predict's output float32 (200, 1), and does it still fit the held-out grid?"""
    data_seed, seed = new_seed(rng), new_seed(rng)
    run = once_per_impl(lambda m: fit(m, quadratic, data_seed, seed, np.float32))  # (predict(grid), losses)
    call = f"{seeded(seed)} with float32 x, y on y = 3x² + 5, then predict(grid) with a float32 grid"
    check.shaped(lambda m: run(m)[0], np.empty((200, 1), np.float32), call=call, dtype=True)
    check.close(lambda m: fit_report(*run(m), quadratic, HELD_OUT_BAR), (True,) * 5,
                call=call, names=fit_names(HELD_OUT_BAR))
