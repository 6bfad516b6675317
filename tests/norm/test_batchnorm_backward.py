"""norm.batchnorm_backward: batch_norm_backward against torch.autograd of F.batch_norm (training), and
BatchNorm1d against torch.nn.BatchNorm1d over sequences of training and eval batches."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]
NAMES = ("grad_x", "grad_weight", "grad_bias")  # without a weight, grad_weight must be None


# ------------------------------------------------------------------ inputs

def batch(rng, shape, dtype, spread=3.0):
    """A batch whose channels (axis 1) each have their own mean and scale."""
    view = (1, shape[1]) + (1,) * (len(shape) - 2)
    means = rng.uniform(-spread, spread, size=shape[1]).reshape(view)
    scales = rng.uniform(0.5, spread, size=shape[1]).reshape(view)
    return (means + scales * rng.standard_normal(shape)).astype(dtype)


def weight_of(rng, C, dtype):
    """A per-channel scale with both signs, away from 0."""
    return (rng.choice([-1.0, 1.0], size=C) * rng.uniform(0.5, 2.0, size=C)).astype(dtype)


def torch_grads(g, x, w, eps=1e-5):
    """autograd's (grad_x, grad_weight, grad_bias) for F.batch_norm in training mode, in the dtype of x.

    The bias is a tensor of zeros: it does not change the gradients, and autograd gives its gradient."""
    torch = oracle.torch()
    xt = oracle.tensor(x, grad=True)
    wt = None if w is None else oracle.tensor(w, grad=True)
    bt = torch.zeros(x.shape[1], dtype=torch.float64, requires_grad=True)
    out = torch.nn.functional.batch_norm(xt, None, None, wt, bt, training=True, eps=eps)
    found = [oracle.numpy(t, x.dtype) for t in oracle.grads(out, [xt] + ([] if wt is None else [wt]) + [bt],
                                                             oracle.tensor(g))]
    return (found[0], found[1], found[2]) if w is not None else (found[0], None, found[1])


def check_backward(check, g, x, w, eps=None, by_name=False, dtype_rule=False, show_shapes=False):
    """batch_norm_backward(grad_out, x[, weight][, eps]) against autograd. The optional arguments are passed
    only when given (by position, except an eps after a left-out weight), so their defaults are used otherwise."""
    names = ["grad_out", "x"] + ([] if w is None else ["weight"])
    args, kwargs = [g, x] + ([] if w is None else [w]), {}
    shown = list(names)
    if eps is not None:
        if w is None:
            kwargs["eps"] = eps
            shown.append(f"eps={eps}")
        else:
            args.append(eps)
            shown.append(repr(eps))
    if by_name:
        kwargs.update(zip(names + ["eps"], args))
        args = []
        shown = [f"{n}={n}" for n in names] + ([] if eps is None else [f"eps={eps}"])
    inputs = dict(zip(names, (g, x, w)))
    call = f"batch_norm_backward({', '.join(shown)})" + (f" with x.shape == {x.shape}" if show_shapes else "")
    check.close(lambda m: m.batch_norm_backward(*args, **kwargs), torch_grads(g, x, w, 1e-5 if eps is None else eps),
                call=call, inputs=inputs, names=NAMES, dtype=dtype_rule)


# (N, C), (N, C, L) and (N, C, H, W) with N, C and the spatial sizes all different; a batch of one with
# spatial axes (every channel still has several values); a single channel. (With only two values per channel
# x_hat is +-1 and grad_x nearly cancels to 0, too ill-conditioned for float32: every case has 3 or more.)
BACKWARD_SHAPES = [
    pytest.param((5, 3), id="2d-5x3"),
    pytest.param((3, 4), id="2d-3x4"),
    pytest.param((4, 3, 5), id="3d-4x3x5"),
    pytest.param((1, 3, 6), id="3d-batch1"),
    pytest.param((2, 3, 4, 5), id="4d-2x3x4x5"),
    pytest.param((1, 2, 3, 4), id="4d-batch1"),
    pytest.param((3, 1, 2, 5), id="4d-one-channel"),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape", BACKWARD_SHAPES)
def test_batch_norm_backward(check, rng, shape, dtype):
    """Do grad_x, grad_weight and grad_bias match autograd through training-mode F.batch_norm, mean and variance included?"""
    x, g = batch(rng, shape, dtype), rng.standard_normal(shape).astype(dtype)
    check_backward(check, g, x, weight_of(rng, shape[1], dtype))


NO_WEIGHT_SHAPES = [
    pytest.param((6, 4), id="2d-6x4"),
    pytest.param((3, 2, 5), id="3d-3x2x5"),
    pytest.param((2, 3, 3, 4), id="4d-2x3x3x4"),
]


@pytest.mark.parametrize("passed", [False, True], ids=["left-out", "weight=None"])
@pytest.mark.parametrize("shape", NO_WEIGHT_SHAPES)
def test_batch_norm_backward_no_weight(check, rng, shape, passed):
    """Without a weight (left out, or weight=None), is grad_weight None and are grad_x and grad_bias autograd's?"""
    x, g = batch(rng, shape, np.float64), rng.standard_normal(shape)
    if not passed:
        check_backward(check, g, x, None)
    else:
        check.close(lambda m: m.batch_norm_backward(g, x, weight=None), torch_grads(g, x, None),
                    call="batch_norm_backward(grad_out, x, weight=None)", inputs={"grad_out": g, "x": x}, names=NAMES)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("eps", [0.1, 1e-3])
def test_batch_norm_backward_eps(check, rng, eps, dtype):
    """With eps=0.1 or 1e-3 on channels of variance about 0.3, do the gradients use sqrt(var + eps) as torch?"""
    x = (rng.uniform(-1, 1, size=(1, 3, 1)) + 0.5 * rng.standard_normal((4, 3, 5))).astype(dtype)
    g = rng.standard_normal(x.shape).astype(dtype)
    check_backward(check, g, x, weight_of(rng, 3, dtype), eps=eps)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_tiny_variance_channel(check, rng, dtype):
    """For a channel whose variance (about 1e-6) is far below the default eps, are the gradients still autograd's?"""
    x = batch(rng, (3, 3, 4), dtype)
    # Centred near 0 so that float32 loses nothing to cancellation in x - mean.
    x[:, 1] = (0.01 + 1e-3 * rng.standard_normal((3, 4))).astype(dtype)
    g = rng.standard_normal(x.shape).astype(dtype)
    check_backward(check, g, x, weight_of(rng, 3, dtype))


def test_keywords(check, rng):
    """Does batch_norm_backward accept every argument by name (grad_out=, x=, weight=, eps=)?"""
    x, g = batch(rng, (4, 3, 2), np.float64), rng.standard_normal((4, 3, 2))
    check_backward(check, g, x, weight_of(rng, 3, np.float64), eps=1e-2, by_name=True)


# x shape, grad_out shape (None: x's), weight length (None: no weight), reason
BACKWARD_BAD = [
    pytest.param((6,), None, None, "x is 1-D, not (N, C), (N, C, L) or (N, C, H, W)", id="x-1d"),
    pytest.param((2, 3, 2, 2, 2), None, 3, "x is 5-D, not (N, C), (N, C, L) or (N, C, H, W)", id="x-5d"),
    pytest.param((4, 3), (3, 4), 3, "grad_out (3, 4) is not shaped like x (4, 3)", id="grad_out-transposed"),
    pytest.param((2, 3, 5), (2, 3), 3, "grad_out (2, 3) is not shaped like x (2, 3, 5)", id="grad_out-2d"),
    pytest.param((4, 3, 5), None, 5, "weight has 5 entries but x has 3 channels (axis 1)", id="weight-length"),
    pytest.param((1, 3), None, 3, "x (1, 3) has one value per channel: torch refuses it in training mode",
                 id="one-value-2d"),
    pytest.param((1, 3, 1, 1), None, None, "x (1, 3, 1, 1) has one value per channel: torch refuses it in training "
                 "mode", id="one-value-4d"),
]


@pytest.mark.parametrize("x_shape, g_shape, w_len, reason", BACKWARD_BAD)
def test_batch_norm_backward_bad_input(check, rng, x_shape, g_shape, w_len, reason):
    """Is an x of the wrong rank, a grad_out not shaped like x, a weight not (C,) or a single value per channel refused?"""
    x = rng.standard_normal(x_shape)
    g = rng.standard_normal(x_shape if g_shape is None else g_shape)
    w = None if w_len is None else rng.standard_normal(w_len)
    inputs = {"grad_out": g, "x": x} if w is None else {"grad_out": g, "x": x, "weight": w}
    check.raises(lambda m: m.batch_norm_backward(g, x, w), call="batch_norm_backward(grad_out, x, weight)",
                 reason=reason, inputs=inputs)


# ------------------------------------------------------------------ BatchNorm1d: one script, run on the learner's
# layer and on torch's
#
# A script is a list of steps: ("call", "x1") runs bn(x1), ("forward", "x2") runs bn.forward(x2),
# ("eval",) and ("train",) switch the mode. `record` says what is read after every forward pass:
# "output", "running_mean", "running_var", "num_batches_tracked"; "training" after construction and after each
# switch. Both sides are driven by the same code, so they record the same leaves.

class Learner:
    """Reads the learner's layer. Running statistics are compared as values: their dtype is free."""

    def __init__(self, m):
        self.m = m

    def make(self, C, kwargs, affine):
        bn = self.m.BatchNorm1d(C, **kwargs)
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
            try:
                return np.array(value, dtype=dtype)  # a copy: later in-place updates must not change what was read
            except (TypeError, ValueError):
                return value
        return value.copy() if isinstance(value, np.ndarray) else value  # an int, NumPy integer or 0-d array


class Torch:
    def make(self, C, kwargs, affine):
        torch = oracle.torch()
        bn = torch.nn.BatchNorm1d(C, dtype=torch.float64, **kwargs)
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


def drive(side, C, steps, xs, record, kwargs=None, affine=None, dtype=np.float64):
    """Run `steps` on a new layer; return (results, names) as flat tuples."""
    bn = side.make(C, kwargs or {}, affine)
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
        label = f"{'training' if training else 'eval'} batch {seen[training]} ({name})"
        for what in ("output", "running_mean", "running_var", "num_batches_tracked"):
            if what in record:
                results.append(side.read(bn, what, dtype, output))
                names.append(f"output of {label}" if what == "output" else f"{what} after {label}")
    return tuple(results), tuple(names)


def describe_script(C, steps, xs, kwargs=None, affine=None):
    args = ", ".join([str(C)] + [f"{k}={v}" for k, v in (kwargs or {}).items()])
    parts = [f"bn = BatchNorm1d({args})"]
    if affine is not None:
        parts.append("bn.weight, bn.bias = weight, bias")
    for step in steps:
        if step[0] in ("eval", "train"):
            parts.append(f"bn.{step[0]}()")
        else:
            parts.append(f"bn({step[1]})" if step[0] == "call" else f"bn.forward({step[1]})")
    shapes = ", ".join(f"{name}: {x.shape}" for name, x in xs.items())
    return "; ".join(parts) + f"  # {shapes}"


def check_script(check, C, steps, xs, record, kwargs=None, affine=None, dtype=np.float64, dtype_rule=False):
    expected, names = drive(Torch(), C, steps, xs, record, kwargs, affine, dtype)
    inputs = dict(xs)
    if affine is not None:
        inputs.update(weight=affine[0], bias=affine[1])
    check.close(lambda m: drive(Learner(m), C, steps, xs, record, kwargs, affine, dtype)[0], expected,
                call=describe_script(C, steps, xs, kwargs, affine), inputs=inputs, names=names, dtype=dtype_rule)


def batches(rng, shapes, dtype):
    return {f"x{i + 1}": batch(rng, shape, dtype) for i, shape in enumerate(shapes)}


def alternate(names):
    """Training steps through bn(x) and bn.forward(x) in turn: both must work."""
    return [("call" if i % 2 == 0 else "forward", name) for i, name in enumerate(names)]


def test_batchnorm1d_new_layer(check):
    """Does a new BatchNorm1d start with weight 1, bias 0, running_mean 0, running_var 1, no batches, in training mode?"""
    attributes = ("weight", "bias", "running_mean", "running_var", "num_batches_tracked", "training")

    def fresh(side):
        bn = side.make(4, {"eps": 1e-3, "momentum": 0.2}, None)
        return tuple(side.read(bn, what, np.float64) for what in attributes)

    check.close(lambda m: fresh(Learner(m)), fresh(Torch()), call="bn = BatchNorm1d(4, eps=0.001, momentum=0.2)",
                names=attributes)


TRAINING_SHAPES = [
    pytest.param((5, 3), id="2d-5x3"),
    pytest.param((2, 4), id="2d-batch2"),
    pytest.param((4, 3, 5), id="3d-4x3x5"),
    pytest.param((1, 3, 6), id="3d-batch1"),
    pytest.param((6, 2, 1), id="3d-length1"),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape", TRAINING_SHAPES)
def test_batchnorm1d_training(check, rng, shape, dtype):
    """In training, is each channel normalised over N (and L) with the biased variance, and running_var updated unbiased?"""
    xs = {"x": batch(rng, shape, dtype)}
    check_script(check, shape[1], [("call", "x")], xs, ("output", "running_mean", "running_var"), dtype=dtype)


# 2-D and 3-D batches through the same layer, as torch allows.
SEQUENCE_SHAPES = [(4, 3, 5), (6, 3), (2, 3, 4), (1, 3, 7)]


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("kwargs", [{}, {"eps": 0.1, "momentum": 0.3}], ids=["defaults", "eps0.1-momentum0.3"])
def test_batchnorm1d_sequence(check, rng, kwargs, dtype):
    """Over four training batches ((N, C, L) and (N, C) mixed), do outputs, running statistics and counts match torch?"""
    xs = batches(rng, SEQUENCE_SHAPES, dtype)
    check_script(check, 3, alternate(xs), xs, ("output", "running_mean", "running_var", "num_batches_tracked"),
                 kwargs=kwargs, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_batchnorm1d_eval(check, rng, dtype):
    """After training, does eval mode normalise with the running statistics (even a batch of one), using bn.weight and bn.bias, and update nothing?"""
    xs = batches(rng, [(5, 4), (3, 4, 6), (1, 4), (2, 4, 3), (3, 4)], dtype)
    affine = (weight_of(rng, 4, dtype), rng.uniform(-2, 2, size=4).astype(dtype))
    steps = alternate(["x1", "x2"]) + [("eval",), ("call", "x3"), ("forward", "x4"), ("train",), ("call", "x5")]
    check_script(check, 4, steps, xs, ("training", "output", "running_mean", "running_var", "num_batches_tracked"),
                 affine=affine, dtype=dtype)


# x shape, eval mode first?, reason
BN1D_BAD = [
    pytest.param((3,), False, "x is 1-D, not (N, C) or (N, C, L)", id="x-1d"),
    pytest.param((2, 3, 4, 4), False, "x is 4-D, not (N, C) or (N, C, L)", id="x-4d"),
    pytest.param((4, 5), False, "x has 5 channels but num_features is 3", id="channels-2d"),
    pytest.param((2, 4, 3), True, "x has 4 channels but num_features is 3", id="channels-3d-eval"),
    pytest.param((1, 3), False, "x (1, 3) has one value per channel: torch refuses it in training mode",
                 id="one-value-2d"),
    pytest.param((1, 3, 1), False, "x (1, 3, 1) has one value per channel: torch refuses it in training mode",
                 id="one-value-3d"),
]


@pytest.mark.parametrize("shape, in_eval, reason", BN1D_BAD)
def test_batchnorm1d_bad_input(check, rng, shape, in_eval, reason):
    """Is an input that is not (N, num_features) or (N, num_features, L), or one value per channel in training, refused?"""
    x = rng.standard_normal(shape)

    def scenario(m):
        bn = m.BatchNorm1d(3)
        if in_eval:
            bn.eval()
        return bn(x)

    call = "bn = BatchNorm1d(3); " + ("bn.eval(); " if in_eval else "") + "bn(x)"
    check.raises(scenario, call=call, reason=reason, inputs={"x": x})


def random_shape(rng, ndim, C, min_values=4):
    """(N, C, *) with the other sizes drawn from 1..5 and at least `min_values` values per channel (a channel of
    2 or 3 values can by chance have a variance so small that float32 rounding of x - mean shows)."""
    while True:
        rest = [int(n) for n in rng.integers(1, 6, size=ndim - 1)]
        shape = (rest[0], C, *rest[1:])
        if np.prod(shape) // C >= min_values:
            return shape


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """On ranks, shapes, weights and eps drawn afresh each run, do batch_norm_backward and BatchNorm1d match torch?"""
    for _ in range(3):
        C = int(rng.integers(1, 6))  # channels 1..5
        shape = random_shape(rng, int(rng.integers(2, 5)), C)  # (N, C), (N, C, L) or (N, C, H, W)
        x, g = batch(rng, shape, dtype), rng.standard_normal(shape).astype(dtype)
        w = weight_of(rng, C, dtype) if rng.random() < 0.7 else None
        eps = None if rng.random() < 0.5 else float(rng.choice([1e-3, 1e-2, 0.1]))
        check_backward(check, g, x, w, eps=eps, show_shapes=True)
    C = int(rng.integers(1, 6))
    n_train = int(rng.integers(1, 4))  # 1..3 training batches, then 1..2 eval batches, each 2-D or 3-D
    shapes = [random_shape(rng, int(rng.integers(2, 4)), C) for _ in range(n_train + int(rng.integers(1, 3)))]
    xs = batches(rng, shapes, dtype)
    names = list(xs)
    steps = alternate(names[:n_train]) + [("eval",)] + alternate(names[n_train:])
    check_script(check, C, steps, xs, ("output", "running_mean", "running_var", "num_batches_tracked"), dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Are the gradients and BatchNorm1d's outputs right in the dtype of the input (float32 in, float32 out)?"""
    for shape, with_weight in (((3, 2, 4), True), ((4, 3), False)):
        x, g = batch(rng, shape, dtype), rng.standard_normal(shape).astype(dtype)
        check_backward(check, g, x, weight_of(rng, shape[1], dtype) if with_weight else None, dtype_rule=True)
    xs = batches(rng, [(4, 3, 2), (5, 3)], dtype)
    check_script(check, 3, [("call", "x1"), ("eval",), ("call", "x2")], xs, ("output",), dtype=dtype,
                 dtype_rule=True)
