"""norm.batchnorm: BatchNorm2d against torch.nn.BatchNorm2d over sequences of training and eval batches."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]


# ------------------------------------------------------------------ inputs

def batch(rng, shape, dtype, spread=3.0):
    """A batch whose channels each have their own mean and scale (new ones for every batch)."""
    C = shape[1]
    means = rng.uniform(-spread, spread, size=C).reshape(1, C, 1, 1)
    scales = rng.uniform(0.5, spread, size=C).reshape(1, C, 1, 1)
    return (means + scales * rng.standard_normal(shape)).astype(dtype)


def batches(rng, shapes, dtype):
    return {f"x{i + 1}": batch(rng, shape, dtype) for i, shape in enumerate(shapes)}


# ------------------------------------------------------------------ one script, run on the learner's layer and on torch's
#
# A script is a list of steps: ("call", "x1") runs bn(x1), ("forward", "x2") runs bn.forward(x2),
# ("eval",) and ("train",) switch the mode. `record` says what is read after every step:
# "output", "running_mean", "running_var", "num_batches_tracked" after a forward pass, "training" after
# construction and after each switch. Both sides are driven by the same code, so they record the same leaves.

class Learner:
    """Reads the learner's layer. Running statistics are compared as values: their dtype is free."""

    def __init__(self, m):
        self.m = m

    def make(self, C, kwargs, affine):
        bn = self.m.BatchNorm2d(C, **kwargs)
        if affine is not None:
            bn.weight, bn.bias = affine  # forward must use the attributes as they are now
        return bn

    def run(self, bn, x, via):
        return bn(x) if via == "call" else bn.forward(x)

    def read(self, bn, what, dtype, output=None):
        if what == "output":
            return output.copy() if isinstance(output, np.ndarray) else output
        value = getattr(bn, what)
        if what in ("running_mean", "running_var", "weight", "bias"):
            return _values(value, dtype)
        return value.copy() if isinstance(value, np.ndarray) else value  # an int, NumPy integer or 0-d array


class Torch:
    def make(self, C, kwargs, affine):
        torch = oracle.torch()
        bn = torch.nn.BatchNorm2d(C, dtype=torch.float64, **kwargs)
        if affine is not None:
            with torch.no_grad():
                bn.weight.copy_(oracle.tensor(affine[0]))
                bn.bias.copy_(oracle.tensor(affine[1]))
        return bn

    def run(self, bn, x, via):
        with oracle.torch().no_grad():
            return bn(oracle.tensor(x))

    def read(self, bn, what, dtype, output=None):
        if what == "output":
            return oracle.numpy(output, dtype)
        value = getattr(bn, what)
        if what == "num_batches_tracked":
            return int(value)
        if what == "training":
            return bool(value)
        return oracle.numpy(value, dtype)


def _values(value, dtype):
    try:
        return np.array(value, dtype=dtype)  # a copy: later in-place updates must not change what was read
    except (TypeError, ValueError):
        return value


def drive(side, C, steps, xs, record, kwargs=None, affine=None, dtype=np.float64, eval_only=False):
    """Run `steps` on a new layer; return (results, names) as flat tuples.

    With eval_only, nothing is read after training batches (their leaves have tests of their own).
    """
    kwargs = kwargs or {}
    bn = side.make(C, kwargs, affine)
    results, names = [], []
    if "training" in record:
        results.append(side.read(bn, "training", dtype))
        names.append("training of a new layer")
    training, seen = True, {True: 0, False: 0}
    for step in steps:
        if step[0] in ("eval", "train"):
            getattr(bn, step[0])()
            training = step[0] == "train"
            if "training" in record:
                results.append(side.read(bn, "training", dtype))
                names.append(f"training after {step[0]}()")
            continue
        via, name = step
        output = side.run(bn, xs[name], via)
        seen[training] += 1
        if eval_only and training:
            continue
        label = f"{'training' if training else 'eval'} batch {seen[training]} ({name})"
        for what in ("output", "running_mean", "running_var", "num_batches_tracked"):
            if what in record:
                results.append(side.read(bn, what, dtype, output))
                names.append(f"output of {label}" if what == "output" else f"{what} after {label}")
    return tuple(results), tuple(names)


def describe_script(C, steps, kwargs=None, affine=None):
    args = ", ".join([str(C)] + [f"{k}={v}" for k, v in (kwargs or {}).items()])
    parts = [f"bn = BatchNorm2d({args})"]
    if affine is not None:
        parts.append("bn.weight, bn.bias = weight, bias")
    for step in steps:
        if step[0] in ("eval", "train"):
            parts.append(f"bn.{step[0]}()")
        else:
            parts.append(f"bn({step[1]})" if step[0] == "call" else f"bn.forward({step[1]})")
    return "; ".join(parts)


def check_script(check, C, steps, xs, record, kwargs=None, affine=None, dtype=np.float64, eval_only=False,
                 note=None):
    """`note`, if given, is appended to the call as a comment (such as the shapes of the batches)."""
    expected, names = drive(Torch(), C, steps, xs, record, kwargs, affine, dtype, eval_only)
    inputs = dict(xs)
    if affine is not None:
        inputs.update(weight=affine[0], bias=affine[1])
    call = describe_script(C, steps, kwargs, affine) + (f"  # {note}" if note else "")
    check.close(lambda m: drive(Learner(m), C, steps, xs, record, kwargs, affine, dtype, eval_only)[0], expected,
                call=call, inputs=inputs, names=names)


def alternate(names):
    """Training steps through bn(x) and bn.forward(x) in turn: both must work."""
    return [("call" if i % 2 == 0 else "forward", name) for i, name in enumerate(names)]


# ------------------------------------------------------------------ tests

def test_new_layer_attributes(check):
    """Does a new BatchNorm2d start with weight 1, bias 0, running_mean 0, running_var 1, no batches, in training mode?"""
    def fresh(side):
        bn = side.make(5, {"eps": 1e-3, "momentum": 0.2}, None)
        return tuple(side.read(bn, what, np.float64) for what in
                     ("weight", "bias", "running_mean", "running_var", "num_batches_tracked", "training"))

    expected = fresh(Torch())
    check.close(lambda m: fresh(Learner(m)), expected, call="bn = BatchNorm2d(5, eps=0.001, momentum=0.2)",
                names=("weight", "bias", "running_mean", "running_var", "num_batches_tracked", "training"))


FORWARD_SHAPES = [
    pytest.param((2, 3, 4, 5), id="2x3x4x5"),
    pytest.param((1, 3, 4, 4), id="batch1"),
    pytest.param((3, 2, 5, 2), id="non-square-5x2"),
    pytest.param((6, 4, 1, 1), id="spatial-1x1"),
    pytest.param((4, 1, 3, 3), id="one-channel"),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape", FORWARD_SHAPES)
def test_training_forward(check, rng, shape, dtype):
    """Does one training forward pass normalise each channel over (N, H, W) with the biased batch variance?"""
    xs = {"x": batch(rng, shape, dtype)}
    check_script(check, shape[1], [("call", "x")], xs, ("output",), dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_tiny_variance_channel(check, rng, dtype):
    """Does eps go inside the square root, sqrt(var + eps), for a channel whose variance is far below eps?"""
    x = batch(rng, (4, 3, 3, 4), dtype)
    # Variance about 1e-6 against eps 1e-5; centred near 0 so float32 loses nothing to cancellation in x - mean.
    x[:, 1] = (0.01 + 1e-3 * rng.standard_normal((4, 3, 4))).astype(dtype)
    check_script(check, 3, [("call", "x")], {"x": x}, ("output",), dtype=dtype)


SEQUENCE_SHAPES = [(4, 3, 5, 4), (2, 3, 3, 6), (5, 3, 2, 2), (3, 3, 4, 4)]


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_training_sequence_outputs(check, rng, dtype):
    """Over four training batches with different statistics, is each one normalised with its own statistics?"""
    xs = batches(rng, SEQUENCE_SHAPES, dtype)
    check_script(check, 3, alternate(xs), xs, ("output",), dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_running_stats_sequence(check, rng, dtype):
    """After each of four training batches, do running_mean and running_var (unbiased, momentum 0.1) match torch?"""
    xs = batches(rng, SEQUENCE_SHAPES, dtype)
    check_script(check, 3, alternate(xs), xs, ("running_mean", "running_var"), dtype=dtype)


def test_num_batches_tracked(check, rng):
    """Does num_batches_tracked count training forward passes only, not eval ones?"""
    xs = batches(rng, [(2, 2, 3, 3)] * 6, np.float64)
    steps = alternate(["x1", "x2", "x3"]) + [("eval",), ("call", "x4"), ("forward", "x5"), ("train",), ("call", "x6")]
    check_script(check, 2, steps, xs, ("num_batches_tracked",))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_momentum_and_eps(check, rng, dtype):
    """With momentum=0.3 and eps=0.1, do the outputs and running statistics of three training batches match torch?"""
    xs = batches(rng, [(3, 4, 3, 5), (2, 4, 4, 4), (4, 4, 2, 3)], dtype)
    check_script(check, 4, alternate(xs), xs, ("output", "running_mean", "running_var"),
                 kwargs={"eps": 0.1, "momentum": 0.3}, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_weight_and_bias(check, rng, dtype):
    """Does forward scale by bn.weight and shift by bn.bias as they are when it runs, in training and in eval?"""
    xs = batches(rng, [(3, 3, 4, 3), (2, 3, 5, 5), (2, 3, 3, 4)], dtype)
    weight = rng.uniform(-2.0, 2.0, size=3).astype(dtype)
    bias = rng.uniform(-2.0, 2.0, size=3).astype(dtype)
    steps = [("call", "x1"), ("forward", "x2"), ("eval",), ("call", "x3")]
    check_script(check, 3, steps, xs, ("output",), affine=(weight, bias), dtype=dtype)


EVAL_CASES = [
    pytest.param(3, {}, id="after-3-batches"),
    pytest.param(3, {"eps": 1e-3, "momentum": 0.3}, id="after-3-batches-momentum0.3-eps1e-3"),
    pytest.param(0, {}, id="new-layer"),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("n_train, kwargs", EVAL_CASES)
def test_eval_outputs(check, rng, n_train, kwargs, dtype):
    """In eval mode, is each batch normalised with running_mean and running_var instead of its own statistics?"""
    train = batches(rng, [(4, 3, 4, 5), (3, 3, 3, 3), (2, 3, 5, 4)][:n_train], dtype)
    evals = {"e1": batch(rng, (2, 3, 4, 4), dtype), "e2": batch(rng, (1, 3, 3, 5), dtype)}
    steps = alternate(train) + [("eval",), ("call", "e1"), ("forward", "e2")]
    check_script(check, 3, steps, {**train, **evals}, ("output",), kwargs=kwargs, dtype=dtype, eval_only=True)


def test_eval_freezes_statistics(check, rng):
    """Do forward passes in eval mode leave running_mean, running_var and num_batches_tracked unchanged?"""
    xs = batches(rng, [(3, 3, 4, 4), (2, 3, 3, 5), (4, 3, 2, 3), (2, 3, 4, 4)], np.float64)
    steps = alternate(["x1", "x2"]) + [("eval",), ("call", "x3"), ("forward", "x4")]
    check_script(check, 3, steps, xs, ("running_mean", "running_var", "num_batches_tracked"), eval_only=True)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_train_after_eval(check, rng, dtype):
    """Do eval() and train() switch `training`, and does training resume with batch statistics after train()?"""
    xs = batches(rng, [(3, 2, 4, 4), (2, 2, 3, 5), (3, 2, 5, 3)], dtype)
    steps = [("call", "x1"), ("eval",), ("call", "x2"), ("train",), ("forward", "x3")]
    check_script(check, 2, steps, xs, ("training", "output"), dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_batch_of_one(check, rng, dtype):
    """With N = 1 and H * W = 12, are the output and the unbiased running_var (n = N * H * W) right over three batches?"""
    xs = batches(rng, [(1, 3, 3, 4)] * 3, dtype)
    check_script(check, 3, alternate(xs), xs, ("output", "running_var"), dtype=dtype)


def random_batch_shape(rng, C, min_values=4):
    """(N, C, H, W) with N, H, W each drawn from 1..6 and at least `min_values` values per channel: a channel
    of 2 or 3 values can by chance have a variance so small that float32 rounding of x - mean shows."""
    while True:
        N, H, W = (int(d) for d in rng.integers(1, 7, size=3))
        if N * H * W >= min_values:
            return (N, C, H, W)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """With C, N, H and W drawn afresh each run, do training and eval outputs and running statistics match torch?"""
    C = int(rng.integers(1, 7))  # channels, 1..6, the same for every batch
    n_train, n_eval = int(rng.integers(1, 4)), int(rng.integers(1, 3))  # 1..3 training, then 1..2 eval batches
    shapes = [random_batch_shape(rng, C) for _ in range(n_train + n_eval)]  # (N, C, H, W) each
    xs = batches(rng, shapes, dtype)
    names = list(xs)
    steps = alternate(names[:n_train]) + [("eval",)] + alternate(names[n_train:])
    note = ", ".join(f"{name}: {shape}" for name, shape in zip(names, shapes))
    check_script(check, C, steps, xs, ("output", "running_mean", "running_var", "num_batches_tracked"),
                 dtype=dtype, note=note)


BAD = [
    pytest.param((3, 4, 5), False, "x is 3-D (C, H, W), not (N, C, H, W)", id="x-3d"),
    pytest.param((4, 3), False, "x is 2-D (N, C), not (N, C, H, W)", id="x-2d"),
    pytest.param((2, 3, 2, 4, 4), False, "x is 5-D, not (N, C, H, W)", id="x-5d"),
    pytest.param((2, 4, 3, 3), False, "x has 4 channels but num_features is 3", id="channels-training"),
    pytest.param((2, 4, 3, 3), True, "x has 4 channels but num_features is 3", id="channels-eval"),
]


@pytest.mark.parametrize("shape, in_eval, reason", BAD)
def test_bad_input(check, rng, shape, in_eval, reason):
    """Is an input that is not (N, num_features, H, W) refused with ValueError?"""
    x = rng.standard_normal(shape)

    def scenario(m):
        bn = m.BatchNorm2d(3)
        if in_eval:
            bn.eval()
        return bn(x)

    call = "bn = BatchNorm2d(3); " + ("bn.eval(); " if in_eval else "") + "bn(x)"
    check.raises(scenario, call=call, reason=reason, inputs={"x": x})


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Is the layer's output right in the dtype of its input (float32 in, float32 out), in training and in eval mode?"""
    xs = batches(rng, [(2, 3, 4, 4), (3, 3, 2, 5)], dtype)
    steps = [("call", "x1"), ("eval",), ("call", "x2")]
    expected, names = drive(Torch(), 3, steps, xs, ("output",), dtype=dtype)
    check.close(lambda m: drive(Learner(m), 3, steps, xs, ("output",), dtype=dtype)[0], expected,
                call=describe_script(3, steps), inputs=dict(xs), names=names, dtype=True)
