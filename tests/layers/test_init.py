"""layers.init: gains and fans exactly as torch.nn.init; the random initialisers by their bounds and statistics.

PyTorch's random numbers cannot be reproduced in NumPy, so a draw is judged against the distribution
torch would draw from: its bound (uniform) or standard deviation (normal), read off torch itself by
recording the arguments torch.nn.init passes to Tensor.uniform_ / Tensor.normal_. Each scenario
returns a FEATURE of the draw (largest |w| / bound, sample std / std, ...), so a catalogued mistake
is recognised even when it draws its numbers in another order.

Draws hold n >= 16,000 numbers. The bands, each stated where it is used, are wide enough that a
correct answer met them on every one of 200 seeds (`--nnlings-seed=1` ... `200`) and narrow enough
that each catalogued mistake (a missing sqrt(3), fans swapped, the receptive field or the gain
left out, a variance used as a std) missed them on every seed, in every fixed case where it
changes the distribution (test_random_shapes draws its cases, so there a mistake may go unseen).
"""

import math
from unittest import mock

import numpy as np
import pytest

from grader.testing import oracle

# Weight shapes laid out (out, in, *kernel), never square, fan_in < fan_out and fan_in > fan_out:
# Linear (out=50, in=400): fan_in 400, fan_out 50; Conv1d (64, 20, 15): 300 and 960;
# Conv2d (40, 16, 5, 5): 400 and 1000, where leaving the receptive field out divides both fans by 25.
SHAPES = {"linear_50x400": (50, 400), "conv1d_64x20x15": (64, 20, 15), "conv2d_40x16x5x5": (40, 16, 5, 5)}
LINEAR_NAMES = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]
GAIN_NAMES = LINEAR_NAMES + ["sigmoid", "tanh", "relu", "leaky_relu", "selu"]
# None: the default (0.01), not passed. The slope is squared, so -0.5 and 0.5 agree; 3 is an int, as torch allows.
LEAKY_PARAMS = {"default": None, "0.2": 0.2, "0.5": 0.5, "-0.5": -0.5, "0": 0.0, "1": 1.0, "int3": 3,
                "sqrt5": math.sqrt(5)}
# Options of kaiming_*; {} calls it with its defaults (a=0, "fan_in", "leaky_relu": gain sqrt(2)).
# a=2 rather than a small slope: sqrt(2 / (1 + a)) and sqrt(2 / (1 + a^2)) then differ by 29%.
KAIMING_OPTIONS = {
    "default": {},
    "a2": {"a": 2.0},
    "relu_fan_out": {"mode": "fan_out", "nonlinearity": "relu"},
    "a_ignored_by_relu": {"a": 0.5, "nonlinearity": "relu"},
    "tanh": {"nonlinearity": "tanh"},
    "linear_fan_out_a_sqrt5": {"a": math.sqrt(5), "mode": "fan_out", "nonlinearity": "linear"},
}
XAVIER_GAINS = {"default": None, "relu_gain": math.sqrt(2), "0.5": 0.5}
# (in_features, out_features): more outputs than inputs (2,000 biases, enough to pin the bias's
# extremes down), and the other way round.
LINEAR_SIZES = {"30_to_2000": (30, 2000), "400_to_50": (400, 50)}
RANDOM_FNS = ["xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "linear_init"]
TORCH_INIT = {"xavier_uniform": "xavier_uniform_", "xavier_normal": "xavier_normal_",
              "kaiming_uniform": "kaiming_uniform_", "kaiming_normal": "kaiming_normal_"}


def new_seed(rng) -> int:
    return int(rng.integers(2**31))


def shown(options) -> str:
    return "".join(f", {k}={v!r}" for k, v in options.items())


def seeded(m, fn, shape, options, seed):
    return getattr(m, fn)(shape, **options, rng=np.random.default_rng(seed))


def seeded_call(fn, shape, options, seed) -> str:
    return f"{fn}({shape}{shown(options)}, rng=np.random.default_rng({seed}))"


# ---------------------------------------------------------------- torch's side


def torch_draws(make) -> list[tuple[str, tuple, float, float]]:
    """(kind, shape, low or mean, high or std) of every Tensor.uniform_ / normal_ call `make()` makes.

    torch.nn.init fills a tensor with tensor.uniform_(-bound, bound) or tensor.normal_(0, std);
    recording those arguments gives torch's exact bound and std without drawing anything."""
    torch = oracle.torch()
    seen = []

    def uniform_(self, low=0.0, high=1.0, *, generator=None):
        seen.append(("uniform", tuple(self.shape), float(low), float(high)))
        return self

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        seen.append(("normal", tuple(self.shape), float(mean), float(std)))
        return self

    with mock.patch.object(torch.Tensor, "uniform_", uniform_), mock.patch.object(torch.Tensor, "normal_", normal_):
        make()
    return seen


def torch_scale(fn, shape, options) -> float:
    """torch's bound (uniform initialisers) or std (normal ones) for this shape and these options."""
    torch = oracle.torch()
    ((kind, _, low, high),) = torch_draws(lambda: getattr(torch.nn.init, TORCH_INIT[fn])(torch.empty(shape), **options))
    assert (kind == "uniform" and low == -high) or (kind == "normal" and low == 0.0)
    return high


def torch_linear_bounds(in_features, out_features) -> tuple[float, float]:
    """The bounds of nn.Linear(in_features, out_features)'s weight and bias."""
    torch = oracle.torch()
    weight, bias = torch_draws(lambda: torch.nn.Linear(in_features, out_features))
    assert weight[1] == (out_features, in_features) and bias[1] == (out_features,)
    return weight[3], bias[3]


def torch_gain(nonlinearity, param=None) -> float:
    return float(oracle.torch().nn.init.calculate_gain(nonlinearity, param))


def torch_fans(shape) -> tuple[int, int]:
    torch = oracle.torch()
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    return int(fan_in), int(fan_out)


def normal_tail() -> float:
    """P(|Z| > 2) for a standard normal Z: erfc(2 / sqrt(2)), about 0.0455."""
    torch = oracle.torch()
    return float(torch.special.erfc(torch.tensor(2 / math.sqrt(2), dtype=torch.float64)))


# ---------------------------------------------------------------- features of a draw and their bands


def extreme_band(n) -> float:
    """How far below the bound the largest |w| of n uniform draws may fall.

    For n draws from U(-b, b), P(max |w| < b (1 - eps)) = (1 - eps)^n, about e^-20 = 2e-9 at
    eps = 20 / n (0.001 for 20,000 draws). A bound off by a missing sqrt(3) (42%), relu's gain
    (29%) or the fans is far outside."""
    return 20 / n


def moment_band(n) -> float:
    """The allowed |sample std / std - 1| and |sample mean / std| of n draws: 6 / sqrt(n).

    The sample mean over std has standard error 1 / sqrt(n); the sample std's relative error is
    about 1 / sqrt(2n) for normal draws and sqrt(0.2 / n) for uniform ones. 6 / sqrt(n) is six
    standard errors of the mean, 8.5 of a normal std, 13 of a uniform std; it is at most 0.047
    for these draws (n >= 16,000), while the catalogued mistakes move the std by 29% (relu's
    sqrt(2) left out, leaky_relu's slope not squared at a = 2) to several times over."""
    return 6 / math.sqrt(n)


def tail_band(n, p) -> float:
    """Six binomial standard deviations of the fraction of n normal draws beyond two stds."""
    return 6 * math.sqrt(p * (1 - p) / n)


def as_float64(w) -> np.ndarray:
    return np.asarray(w, dtype=np.float64)


def extremes(w, bound) -> tuple[bool, float]:
    """(every |w| <= bound, largest |w| / bound). The 1e-12 leaves room for a bound computed in another order."""
    a = np.abs(as_float64(w))
    return bool(np.all(a <= bound * (1 + 1e-12))), float(a.max() / bound)


def extreme_names(w="w"):
    return f"every |{w}| <= bound", f"largest |{w}| / bound"


def moments(w, std) -> tuple[float, float]:
    """(sample std / std, sample mean / std)."""
    a = as_float64(w)
    return float(a.std() / std), float(a.mean() / std)


def moment_names(w="w"):
    return f"sample std of {w} / expected std", f"sample mean of {w} / expected std"


def tail(w, std) -> float:
    """The fraction of the draw with |w| > 2 std (a normal's tail; a uniform of that std has none)."""
    return float(np.mean(np.abs(as_float64(w)) > 2 * std))


def check_uniform(check, scenario, shape, bound, call, what="w", w="w"):
    """A draw `w` of `shape` from U(-bound, bound): its shape, its extremes, its std and mean.

    `what` is the left side of the call shown (`weight, bias` for linear_init), `w` the array judged."""
    n = math.prod(shape)
    check.shaped(scenario, np.empty(shape), call=call, dtype=False)
    check.close(lambda m: extremes(scenario(m), bound), (True, 1.0), rtol=0.0, atol=extreme_band(n),
                call=f"{what} = {call}; bound = {bound:.6g}", names=extreme_names(w))
    check.close(lambda m: moments(scenario(m), bound / math.sqrt(3)), (1.0, 0.0), rtol=0.0, atol=moment_band(n),
                call=f"{what} = {call}; expected std = bound / sqrt(3) = {bound / math.sqrt(3):.6g}",
                names=moment_names(w))


def check_normal(check, scenario, shape, std, call):
    """A draw of `shape` from N(0, std^2): its shape, std, mean, and its tail beyond two stds."""
    n, p = math.prod(shape), normal_tail()
    check.shaped(scenario, np.empty(shape), call=call, dtype=False)
    check.close(lambda m: moments(scenario(m), std), (1.0, 0.0), rtol=0.0, atol=moment_band(n),
                call=f"w = {call}; expected std = {std:.6g}", names=moment_names())
    check.close(lambda m: tail(scenario(m), std), p, rtol=0.0, atol=tail_band(n, p),
                call=f"w = {call}; the fraction of w with |w| > 2 * {std:.6g}",
                names="fraction of |w| beyond two stds")


# ---------------------------------------------------------------- calculate_gain and fans


@pytest.mark.parametrize("nonlinearity", GAIN_NAMES)
def test_calculate_gain(check, nonlinearity):
    """Does calculate_gain(nonlinearity) give torch.nn.init.calculate_gain's value for every name torch accepts?"""
    check.close(lambda m: m.calculate_gain(nonlinearity), torch_gain(nonlinearity),
                call=f"calculate_gain({nonlinearity!r})", names="gain")


@pytest.mark.parametrize("param", LEAKY_PARAMS.values(), ids=LEAKY_PARAMS.keys())
def test_calculate_gain_leaky_relu(check, param):
    """Is leaky_relu's gain sqrt(2 / (1 + negative_slope^2)), with param as the slope (0.01 when None)?"""
    given = "" if param is None else f", {param!r}"
    check.close(lambda m: m.calculate_gain("leaky_relu", *([] if param is None else [param])),
                torch_gain("leaky_relu", param), call=f'calculate_gain("leaky_relu"{given})', names="gain")


@pytest.mark.parametrize("nonlinearity, param", [("relu", 0.2), ("tanh", 3), ("linear", 0.5), ("selu", 2.0),
                                                 ("sigmoid", 0.1)])
def test_calculate_gain_param_ignored(check, nonlinearity, param):
    """For a nonlinearity other than leaky_relu, is param ignored, as torch ignores it?"""
    check.close(lambda m: m.calculate_gain(nonlinearity, param=param), torch_gain(nonlinearity, param),
                call=f"calculate_gain({nonlinearity!r}, param={param!r})", names="gain")


@pytest.mark.parametrize("nonlinearity, param, reason", [
    ("ReLU", None, "names are lower case, as in torch.nn.functional"),
    ("gelu", None, "torch has no gain for gelu"),
    ("softmax", None, "torch has no gain for softmax"),
    ("leaky_relu", True, "a bool is not a valid negative slope"),
    ("leaky_relu", "0.2", "a string is not a valid negative slope"),
], ids=["ReLU", "gelu", "softmax", "slope_bool", "slope_str"])
def test_calculate_gain_bad(check, nonlinearity, param, reason):
    """Is an unknown nonlinearity, or a leaky_relu slope that is not a number, refused with ValueError, as torch?"""
    check.raises(lambda m: m.calculate_gain(nonlinearity, param), call=f"calculate_gain({nonlinearity!r}, {param!r})",
                 reason=reason)


FAN_SHAPES = {"linear_3x5": (3, 5), "linear_5x3": (5, 3), "1x7": (1, 7), "conv1d_4x3x2": (4, 3, 2),
              "conv2d_8x3x3x5": (8, 3, 3, 5), "conv3d_2x6x1x1x4": (2, 6, 1, 1, 4)}


@pytest.mark.parametrize("shape", FAN_SHAPES.values(), ids=FAN_SHAPES.keys())
def test_fan_in_and_fan_out(check, shape):
    """Are fan_in and fan_out those of torch: in and out channels, each times the kernel's size for a conv weight?"""
    check.close(lambda m: m.fan_in_and_fan_out(shape), torch_fans(shape), call=f"fan_in_and_fan_out({shape})",
                names=("fan_in", "fan_out"))


@pytest.mark.parametrize("shape", [(), (7,)], ids=["0d", "1d"])
def test_fan_in_and_fan_out_bad(check, shape):
    """Is a shape with fewer than two dimensions refused with ValueError, as torch refuses it?"""
    check.raises(lambda m: m.fan_in_and_fan_out(shape), call=f"fan_in_and_fan_out({shape})",
                 reason="fans need at least two dimensions (out, in)")


# ---------------------------------------------------------------- the random initialisers


@pytest.mark.parametrize("gain", XAVIER_GAINS.values(), ids=XAVIER_GAINS.keys())
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_xavier_uniform(check, rng, shape, gain):
    """Is xavier_uniform a draw from U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out)), as torch's bound?"""
    options, seed = ({} if gain is None else {"gain": gain}), new_seed(rng)
    check_uniform(check, lambda m: seeded(m, "xavier_uniform", shape, options, seed), shape,
                  torch_scale("xavier_uniform", shape, options), seeded_call("xavier_uniform", shape, options, seed))


@pytest.mark.parametrize("gain", XAVIER_GAINS.values(), ids=XAVIER_GAINS.keys())
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_xavier_normal(check, rng, shape, gain):
    """Is xavier_normal a normal draw with std = gain * sqrt(2 / (fan_in + fan_out)), as torch's?"""
    options, seed = ({} if gain is None else {"gain": gain}), new_seed(rng)
    check_normal(check, lambda m: seeded(m, "xavier_normal", shape, options, seed), shape,
                 torch_scale("xavier_normal", shape, options), seeded_call("xavier_normal", shape, options, seed))


@pytest.mark.parametrize("options", KAIMING_OPTIONS.values(), ids=KAIMING_OPTIONS.keys())
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_kaiming_uniform(check, rng, shape, options):
    """Is kaiming_uniform a draw from U(-b, b) with b = gain * sqrt(3 / fan), the fan and gain as torch's?"""
    seed = new_seed(rng)
    check_uniform(check, lambda m: seeded(m, "kaiming_uniform", shape, options, seed), shape,
                  torch_scale("kaiming_uniform", shape, options), seeded_call("kaiming_uniform", shape, options, seed))


@pytest.mark.parametrize("options", KAIMING_OPTIONS.values(), ids=KAIMING_OPTIONS.keys())
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_kaiming_normal(check, rng, shape, options):
    """Is kaiming_normal a normal draw with std = gain / sqrt(fan), the fan and gain as torch's?"""
    seed = new_seed(rng)
    check_normal(check, lambda m: seeded(m, "kaiming_normal", shape, options, seed), shape,
                 torch_scale("kaiming_normal", shape, options), seeded_call("kaiming_normal", shape, options, seed))


@pytest.mark.parametrize("sizes", LINEAR_SIZES.values(), ids=LINEAR_SIZES.keys())
def test_linear_init(check, rng, sizes):
    """Are linear_init's weight (out, in) and bias (out,) drawn within nn.Linear's bounds, 1 / sqrt(in_features)?"""
    (n_in, n_out), seed = sizes, new_seed(rng)
    weight_bound, bias_bound = torch_linear_bounds(n_in, n_out)
    call = f"linear_init({n_in}, {n_out}, rng=np.random.default_rng({seed}))"

    def init(m):
        return m.linear_init(n_in, n_out, rng=np.random.default_rng(seed))

    check.shaped(init, (np.empty((n_out, n_in)), np.empty(n_out)), call=call, dtype=False)
    check_uniform(check, lambda m: init(m)[0], (n_out, n_in), weight_bound, call, what="weight, bias", w="weight")
    check.close(lambda m: extremes(init(m)[1], bias_bound), (True, 1.0), rtol=0.0, atol=extreme_band(n_out),
                call=f"weight, bias = {call}; bound = {bias_bound:.6g}", names=extreme_names("bias"))


def test_linear_init_defaults(check):
    """Does linear_init(in_features, out_features) work without rng, drawing from a fresh generator?"""
    n_in, n_out = 200, 100
    weight_bound, bias_bound = torch_linear_bounds(n_in, n_out)
    check.shaped(lambda m: m.linear_init(n_in, n_out), (np.empty((n_out, n_in)), np.empty(n_out)),
                 call=f"linear_init({n_in}, {n_out})", dtype=False)
    check.close(lambda m: extremes(m.linear_init(n_in, n_out)[0], weight_bound), (True, 1.0), rtol=0.0,
                atol=extreme_band(n_in * n_out), call=f"weight, bias = linear_init({n_in}, {n_out}); "
                                                       f"bound = {weight_bound:.6g}", names=extreme_names("weight"))


@pytest.mark.parametrize("fn", ["xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal"])
def test_init_defaults(check, fn):
    """Does each initialiser work on a shape alone, with its defaults and a fresh generator for rng=None?"""
    shape = SHAPES["linear_50x400"]
    scale = torch_scale(fn, shape, {})
    if fn.endswith("uniform"):
        check_uniform(check, lambda m: getattr(m, fn)(shape), shape, scale, f"{fn}({shape})")
    else:
        check_normal(check, lambda m: getattr(m, fn)(shape), shape, scale, f"{fn}({shape})")


# ---------------------------------------------------------------- the generator


# The small draws of the generator tests, as the calls are shown.
SMALL = {"linear_init": "linear_init(40, 30{})", **{fn: fn + "((30, 40){})" for fn in TORCH_INIT}}


def small_call(fn, rng="") -> str:
    return SMALL[fn].format(f", rng={rng}" if rng else "")


def draw(m, fn, rng):
    """A draw of fn from rng; linear_init's weight and bias in one flat array."""
    if fn == "linear_init":
        return np.concatenate([as_float64(a).ravel() for a in m.linear_init(40, 30, rng=rng)])
    return as_float64(getattr(m, fn)((30, 40), rng=rng))


def same_seed_same_draw(m, fn, seed) -> bool:
    return bool(np.array_equal(draw(m, fn, np.random.default_rng(seed)), draw(m, fn, np.random.default_rng(seed))))


@pytest.mark.parametrize("fn", RANDOM_FNS)
def test_same_seed(check, rng, fn):
    """Do two generators made from one seed give the same draw (the numbers come from the rng passed)?"""
    seed = new_seed(rng)
    check.close(lambda m: same_seed_same_draw(m, fn, seed), True,
                call=f"{small_call(fn, f'np.random.default_rng({seed})')} twice, each with a new generator",
                names="the two draws are equal")


def fresh_draws(m, fn, seed) -> tuple[bool, bool]:
    """(two calls sharing one generator differ, two calls with rng=None differ)."""
    shared = np.random.default_rng(seed)
    first, second = draw(m, fn, shared), draw(m, fn, shared)
    if fn == "linear_init":
        a, b = (np.concatenate([as_float64(x).ravel() for x in m.linear_init(40, 30)]) for _ in range(2))
    else:
        a, b = as_float64(getattr(m, fn)((30, 40))), as_float64(getattr(m, fn)((30, 40)))
    return not np.array_equal(first, second), not np.array_equal(a, b)


@pytest.mark.parametrize("fn", RANDOM_FNS)
def test_fresh_draws(check, rng, fn):
    """Does every call draw new numbers: from a shared generator, and from a fresh one when rng is None?"""
    seed = new_seed(rng)
    check.close(lambda m: fresh_draws(m, fn, seed), (True, True),
                call=f"rng = np.random.default_rng({seed}); a = {small_call(fn, 'rng')}; b = {small_call(fn, 'rng')}; "
                     f"then c = {small_call(fn)}; d = {small_call(fn)}",
                names=("a and b differ", "c and d differ"))


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("fn, shape, options, reason", [
    ("xavier_uniform", (7,), {}, "fans need at least two dimensions"),
    ("xavier_normal", (7,), {}, "fans need at least two dimensions"),
    ("kaiming_normal", (7,), {}, "fans need at least two dimensions"),
    ("kaiming_uniform", (3, 4), {"mode": "fan_avg"}, 'mode must be "fan_in" or "fan_out"'),
    ("kaiming_normal", (3, 4), {"mode": "in"}, 'mode must be "fan_in" or "fan_out"'),
    ("kaiming_uniform", (3, 4), {"nonlinearity": "gelu"}, "calculate_gain has no gain for gelu"),
], ids=["xavier_uniform_1d", "xavier_normal_1d", "kaiming_normal_1d", "mode_fan_avg", "mode_in", "gelu"])
def test_init_bad_input(check, fn, shape, options, reason):
    """Are a one-dimensional shape, an unknown mode and an unknown nonlinearity refused with ValueError, as torch?"""
    check.raises(lambda m: getattr(m, fn)(shape, **options, rng=np.random.default_rng(0)),
                 call=seeded_call(fn, shape, options, 0), reason=reason)


# ---------------------------------------------------------------- random shapes, dtype


def test_random_shapes(check, rng):
    """On weight shapes and options drawn afresh each run, are the fans exact and the draws within torch's bounds?"""
    for _ in range(3):
        kernel = tuple(int(k) for k in rng.integers(1, 6, size=int(rng.integers(0, 3))))  # 0 to 2 kernel axes
        shape = (int(rng.integers(20, 120)), int(rng.integers(20, 120))) + kernel  # (out, in, *kernel)
        n = math.prod(shape)
        check.close(lambda m: m.fan_in_and_fan_out(shape), torch_fans(shape), call=f"fan_in_and_fan_out({shape})",
                    names=("fan_in", "fan_out"))
        a = round(float(rng.uniform(0.0, 3.0)), 2)
        mode = str(rng.choice(["fan_in", "fan_out"]))
        nonlinearity = str(rng.choice(["leaky_relu", "relu", "tanh", "linear"]))
        seed = new_seed(rng)
        # By position: shape, a, mode, nonlinearity, rng.
        bound = torch_scale("kaiming_uniform", shape, {"a": a, "mode": mode, "nonlinearity": nonlinearity})
        call = f"kaiming_uniform({shape}, {a}, {mode!r}, {nonlinearity!r}, np.random.default_rng({seed}))"
        check_uniform(check, lambda m: m.kaiming_uniform(shape, a, mode, nonlinearity, np.random.default_rng(seed)),
                      shape, bound, call)
        gain = round(float(rng.uniform(0.5, 2.0)), 2)
        std = torch_scale("xavier_normal", shape, {"gain": gain})
        call = f"xavier_normal({shape}, {gain}, np.random.default_rng({seed}))"
        scenario = lambda m: m.xavier_normal(shape, gain, np.random.default_rng(seed))  # noqa: E731
        check.shaped(scenario, np.empty(shape), call=call, dtype=False)
        check.close(lambda m: moments(scenario(m), std), (1.0, 0.0), rtol=0.0, atol=moment_band(n),
                    call=f"w = {call}; expected std = {std:.6g}", names=moment_names())


@pytest.mark.parametrize("fn", RANDOM_FNS)
def test_dtype(check, rng, fn):
    """Is every draw a float64 array of the requested shape, and a real draw (not one repeated value), so that
    the dtype is earned by a draw and not by zeros (linear_init: a float64 weight and bias)?"""
    seed = new_seed(rng)
    if fn == "linear_init":
        scenario = lambda m: m.linear_init(5, 3, rng=np.random.default_rng(seed))  # noqa: E731
        like, call = (np.empty((3, 5)), np.empty(3)), f"linear_init(5, 3, rng=np.random.default_rng({seed}))"
    else:
        scenario = lambda m: seeded(m, fn, (3, 5, 2), {}, seed)  # noqa: E731
        like, call = np.empty((3, 5, 2)), seeded_call(fn, (3, 5, 2), {}, seed)
    check.shaped(scenario, like, call=call)
    expected = (True, True) if fn == "linear_init" else (True,)
    check.close(lambda m: varies(scenario(m)), expected, call=call,
                names=("the weight varies", "the bias varies")[:len(expected)])


def varies(result) -> tuple:
    """For each array of a draw: whether it holds more than one value."""
    parts = result if isinstance(result, tuple) else (result,)
    return tuple(bool(np.ptp(np.asarray(p, dtype=np.float64)) > 0) for p in parts)
