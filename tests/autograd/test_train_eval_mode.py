"""autograd.train_eval_mode: SmallNet against the torch model with the same weights, in training and eval mode.

Torch's dropout masks cannot be reproduced in NumPy, so torch is the reference wherever the output does not
depend on the mask: eval mode (any p), training with p = 0 or p = 1, and the running statistics, which batch norm
computes before dropout and which show in every eval output after training. Dropout itself is checked by its
properties: with fc2 the identity (fc2.weight = eye, fc2.bias = 0) the output IS the dropped hidden layer, so it
can be compared unit by unit with the output of a p = 0 net on the same batch. Every forward pass with p > 0 in
these scenarios gets a seeded generator, so a catalogued mistake can be run on exactly the same masks.
"""

from collections import OrderedDict

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]
KEYS = ("fc1.weight", "fc1.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
        "fc2.weight", "fc2.bias")


# ------------------------------------------------------------------ inputs and the torch model

def make_params(rng, D, H, O, dtype):
    """Weights that spread the hidden units over both signs, and running statistics far from 0 and 1, so using
    the batch statistics instead of the running ones (or the other way round) changes every output."""
    return {
        "fc1.weight": (rng.standard_normal((H, D)) * 1.5 / np.sqrt(D)).astype(dtype),  # (H, D)
        "fc1.bias": rng.uniform(-1.0, 1.0, H).astype(dtype),  # (H,)
        "bn.weight": (rng.choice([-1.0, 1.0], H) * rng.uniform(0.5, 2.0, H)).astype(dtype),  # (H,)
        "bn.bias": rng.uniform(-0.5, 1.0, H).astype(dtype),  # (H,)
        "bn.running_mean": rng.uniform(-1.0, 1.0, H).astype(dtype),  # (H,)
        "bn.running_var": rng.uniform(0.3, 3.0, H).astype(dtype),  # (H,)
        "fc2.weight": (rng.standard_normal((O, H)) / np.sqrt(H)).astype(dtype),  # (O, H)
        "fc2.bias": rng.uniform(-1.0, 1.0, O).astype(dtype),  # (O,)
    }


def identity_fc2(rng, D, H, dtype):
    """Params whose fc2 is the identity (O = H): the net's output is then its dropped hidden layer."""
    params = make_params(rng, D, H, H, dtype)
    params["fc2.weight"] = np.eye(H, dtype=dtype)
    params["fc2.bias"] = np.zeros(H, dtype=dtype)
    return params


def batch(rng, N, D, dtype):
    """Inputs whose features have their own offsets, so batch means are far from the running means."""
    return (rng.uniform(-2.0, 2.0, D) + rng.uniform(0.5, 2.0, D) * rng.standard_normal((N, D))).astype(dtype)


def batches(rng, sizes, D, dtype):
    return {f"x{i + 1}": batch(rng, N, D, dtype) for i, N in enumerate(sizes)}


def new_seed(rng) -> int:
    return int(rng.integers(2**31))


def torch_net(params, p):
    """The torch model with these weights, in float64 and in training mode (as a new module is)."""
    torch = oracle.torch()
    nn = torch.nn
    (H, D), (O, _) = params["fc1.weight"].shape, params["fc2.weight"].shape
    model = nn.Sequential(OrderedDict([("fc1", nn.Linear(D, H)), ("bn", nn.BatchNorm1d(H, eps=1e-5, momentum=0.1)),
                                       ("relu", nn.ReLU()), ("drop", nn.Dropout(p)),
                                       ("fc2", nn.Linear(H, O))])).double()
    state = {k: oracle.tensor(v) for k, v in params.items()}
    state["bn.num_batches_tracked"] = torch.tensor(0)
    model.load_state_dict(state)  # strict: exactly these keys
    return model


# ------------------------------------------------------------------ scripts, run on the learner's net and torch's
#
# A script is a list of steps: ("train",) and ("eval",) switch the mode; ("run", "x1", seed) is
# net.forward(x1, rng=np.random.default_rng(seed)), or net.forward(x1) when seed is None. The output of a forward
# pass is recorded when torch's is deterministic: in eval mode, or in training with p = 0 or p = 1. The others
# still run: they move the running statistics, which later eval outputs show.

def recorded(training, p):
    return not training or p in (0.0, 1.0)


def learner_script(m, params, p, steps, xs):
    net = m.SmallNet(params) if p is None else m.SmallNet(params, p)
    p = 0.5 if p is None else p
    outputs, training = [], True
    for step in steps:
        if step[0] in ("train", "eval"):
            getattr(net, step[0])()
            training = step[0] == "train"
            continue
        _, name, seed = step
        out = net.forward(xs[name]) if seed is None else net.forward(xs[name], rng=np.random.default_rng(seed))
        if recorded(training, p):
            outputs.append(out)
    return tuple(outputs)


def torch_script(params, p, steps, xs, dtype):
    torch = oracle.torch()
    p = 0.5 if p is None else p
    model = torch_net(params, p)
    outputs, names, training, seen = [], [], True, {True: 0, False: 0}
    for step in steps:
        if step[0] in ("train", "eval"):
            getattr(model, step[0])()
            training = step[0] == "train"
            continue
        name = step[1]
        with torch.no_grad():
            out = model(oracle.tensor(xs[name]))
        seen[training] += 1
        if recorded(training, p):
            outputs.append(oracle.numpy(out, dtype))
            names.append(f"output of {'training' if training else 'eval'} forward {seen[training]} ({name})")
    return tuple(outputs), tuple(names)


def describe(p, steps, xs):
    parts = ["net = SmallNet(params)" if p is None else f"net = SmallNet(params, p={p})"]
    for step in steps:
        if step[0] in ("train", "eval"):
            parts.append(f"net.{step[0]}()")
        else:
            _, name, seed = step
            parts.append(f"net.forward({name})" if seed is None else
                         f"net.forward({name}, rng=np.random.default_rng({seed}))")
    shapes = ", ".join(f"{name}: {x.shape}" for name, x in xs.items())
    return "; ".join(parts) + f"  # {shapes}"


def check_script(check, params, p, steps, xs, dtype, dtype_rule=False, shown=""):
    expected, names = torch_script(params, p, steps, xs, dtype)
    check.close(lambda m: learner_script(m, params, p, steps, xs), expected, call=describe(p, steps, xs) + shown,
                inputs={**xs, "params": params}, names=names, dtype=dtype_rule)


def runs(names, seeds=None):
    """Forward steps over `names`, each with its seed (None: rng left out)."""
    seeds = seeds or [None] * len(names)
    return [("run", name, seed) for name, seed in zip(names, seeds)]


# ------------------------------------------------------------------ eval and training against torch

# (D, H, O): every size different; hidden wider and narrower than the input; all equal.
SIZES = {"d5_h7_o3": (5, 7, 3), "d6_h10_o2": (6, 10, 2), "d3_h4_o6": (3, 4, 6), "square4": (4, 4, 4)}


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("sizes", list(SIZES.values()), ids=list(SIZES))
def test_eval_new_net(check, rng, sizes, dtype):
    """Right after eval(), does a new net normalise with the given running statistics, as torch, even for a batch of one?"""
    D, H, O = sizes
    params = make_params(rng, D, H, O, dtype)
    xs = batches(rng, [5, 1], D, dtype)
    check_script(check, params, None, [("eval",)] + runs(["x1", "x2"]), xs, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("N, sizes", [(2, (5, 7, 3)), (6, (6, 10, 2)), (7, (3, 4, 6)), (3, (4, 4, 4))],
                         ids=["batch2", "6x6_h10_o2", "7x3_h4_o6", "square4"])
def test_training_p_zero(check, rng, N, sizes, dtype):
    """Is a new net in training mode, normalising with the batch mean and biased variance (p = 0: torch exactly)?"""
    D, H, O = sizes
    params = make_params(rng, D, H, O, dtype)
    xs = batches(rng, [N], D, dtype)
    check_script(check, params, 0.0, runs(["x1"]), xs, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_running_statistics(check, rng, dtype):
    """After three training batches (p = 0), do eval outputs show running statistics updated as torch's (unbiased, 0.1)?"""
    params = make_params(rng, 5, 6, 3, dtype)
    xs = batches(rng, [4, 2, 6, 5, 1], 5, dtype)
    steps = runs(["x1", "x2", "x3"]) + [("eval",)] + runs(["x4", "x5"])
    check_script(check, params, 0.0, steps, xs, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_running_stats_frozen_in_eval(check, rng, dtype):
    """In eval mode, do the running statistics stay put (the same batch twice gives the same output, as torch)?"""
    params = make_params(rng, 4, 5, 3, dtype)
    xs = batches(rng, [5, 6, 4], 4, dtype)
    steps = runs(["x1"]) + [("eval",)] + runs(["x2", "x3", "x2"])
    check_script(check, params, 0.0, steps, xs, dtype)


def test_toggle(check, rng):
    """Can train() and eval() be switched back and forth (and called twice in a row), each forward in the right mode?"""
    params = make_params(rng, 3, 5, 2, np.float64)
    xs = batches(rng, [4, 3, 5, 2, 6], 3, np.float64)
    steps = (runs(["x1"]) + [("eval",)] + runs(["x2"]) + [("train",)] + runs(["x3"]) + [("train",)] + runs(["x4"])
             + [("eval",), ("eval",)] + runs(["x2"]) + [("train",)] + runs(["x5"]) + [("eval",)] + runs(["x5"]))
    check_script(check, params, 0.0, steps, xs, np.float64)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("p", [0.3, 0.8])
def test_eval_ignores_dropout(check, rng, p, dtype):
    """With p > 0, after two training batches, is eval free of dropout and equal to torch's (an rng passed or not)?"""
    params = make_params(rng, 5, 8, 3, dtype)
    xs = batches(rng, [6, 4, 5], 5, dtype)
    steps = runs(["x1", "x2"], [new_seed(rng), new_seed(rng)]) + [("eval",)] + runs(["x3", "x3"], [new_seed(rng), None])
    check_script(check, params, p, steps, xs, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_p_one(check, rng, dtype):
    """With p = 1, is the hidden layer all zeros in training (the output fc2.bias, no NaN), and eval as torch's?"""
    params = make_params(rng, 4, 6, 3, dtype)
    xs = batches(rng, [5, 3], 4, dtype)
    steps = runs(["x1"], [new_seed(rng)]) + [("eval",)] + runs(["x2"])
    check_script(check, params, 1.0, steps, xs, dtype)


def test_own_copies(check, rng):
    """Does the net keep its own copies: after the caller overwrites its arrays, are the net's outputs unchanged?"""
    params = make_params(rng, 4, 5, 3, np.float64)
    other = make_params(rng, 4, 5, 3, np.float64)
    xs = batches(rng, [5, 4], 4, np.float64)

    def scenario(m):
        mine = {k: v.copy() for k, v in params.items()}
        net = m.SmallNet(mine, 0.0)
        first = net.forward(xs["x1"])
        for k in KEYS:
            mine[k][...] = other[k]  # the caller reuses its arrays
        net.eval()
        return first, net.forward(xs["x2"])

    expected, names = torch_script(params, 0.0, runs(["x1"]) + [("eval",)] + runs(["x2"]), xs, np.float64)
    check.close(scenario, expected, inputs={**xs, "params": params}, names=names,
                call="mine = copies of params; net = SmallNet(mine, p=0.0); net.forward(x1); "
                     "mine[k][...] = other values for every key; net.eval(); net.forward(x2)")


# ------------------------------------------------------------------ dropout, by its properties

def five_sigma(q, n):
    """Five standard deviations of the fraction of n independent events of probability q (binomial).

    A correct answer falls outside this band about once in 1.7 million runs."""
    return 5 * np.sqrt(q * (1 - q) / n)


def mask_features(dropped, plain):
    """What dropout shows when fc2 is the identity: `dropped` is a p > 0 output, `plain` the p = 0 output of the
    same batch. (fraction of the positive units of `plain` that are 0 in `dropped`, to 1 decimal; smallest and
    largest dropped / plain where both are nonzero; how many units are nonzero in `dropped` but 0 in `plain`)."""
    dropped, plain = np.asarray(dropped, dtype=np.float64), np.asarray(plain, dtype=np.float64)
    live = plain > 0
    kept = live & (dropped != 0)
    ratio = dropped[kept] / plain[kept]
    lo, hi = (float(ratio.min()), float(ratio.max())) if ratio.size else (np.nan, np.nan)
    return round(float(np.mean(dropped[live] == 0)), 1), lo, hi, int(np.sum((dropped != 0) & ~live))


MASK_NAMES = ("fraction of the positive p = 0 units that are 0 (to 1 decimal)",
              "smallest ratio to the p = 0 output where both are nonzero",
              "largest ratio to the p = 0 output where both are nonzero",
              "units nonzero although the p = 0 output is 0 there")


def dropped_and_plain(m, params, x, p, seed):
    net = m.SmallNet(params) if p is None else m.SmallNet(params, p)
    dropped = net.forward(x) if seed is None else net.forward(x, rng=np.random.default_rng(seed))
    return dropped, m.SmallNet(params, 0.0).forward(x)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("p", [0.2, 0.7])
def test_dropout_mask(check, rng, p, dtype):
    """With fc2 the identity, is every hidden unit either 0 or its p = 0 value times 1 / (1 - p), about p of them 0?"""
    params = identity_fc2(rng, 5, 64, dtype)
    x, seed = batch(rng, 100, 5, dtype), new_seed(rng)
    call = (f"a = SmallNet(params, p={p}).forward(x, rng=np.random.default_rng({seed})); "
            f"b = SmallNet(params, p=0.0).forward(x); a compared with b  # fc2 the identity, x: {x.shape}")
    check.close(lambda m: mask_features(*dropped_and_plain(m, params, x, p, seed)), (round(p, 1), 1 / (1 - p),
                1 / (1 - p), 0), call=call, inputs={"x": x, "params": params}, names=MASK_NAMES)


def test_dropout_fraction(check, rng):
    """Over 20 seeded batches, is the fraction of dropped units p = 0.3, within five binomial standard deviations?"""
    p = 0.3
    params = identity_fc2(rng, 4, 32, np.float64)
    xs = [batch(rng, 50, 4, np.float64) for _ in range(20)]
    seeds = [new_seed(rng) for _ in xs]
    # The units that can be dropped visibly: those positive at p = 0 (torch's count sets the bound).
    live = sum(int(np.sum(torch_script(params, 0.0, runs(["x"]), {"x": x}, np.float64)[0][0] > 0)) for x in xs)

    def fraction(m):
        zeros = total = 0
        for x, seed in zip(xs, seeds):
            dropped, plain = (np.asarray(a, dtype=np.float64) for a in dropped_and_plain(m, params, x, p, seed))
            zeros, total = zeros + int(np.sum(dropped[plain > 0] == 0)), total + int(np.sum(plain > 0))
        return zeros / max(total, 1)

    # Loosened from the float tolerances: the fraction is random, with a binomial spread.
    check.close(fraction, p, rtol=0.0, atol=five_sigma(p, live), inputs={"params": params},
                call=f"SmallNet(params, p={p}).forward(x, rng=np.random.default_rng(seed)) for 20 batches x (50, 4) "
                     "and seeds, against SmallNet(params, p=0.0).forward(x)  # fc2 the identity",
                names="fraction of the positive p = 0 units that are 0")


def test_same_seed(check, rng):
    """Do two generators from one seed give the same output, and two calls sharing one generator different masks?"""
    params = identity_fc2(rng, 4, 40, np.float64)
    x, seed = batch(rng, 30, 4, np.float64), new_seed(rng)

    def scenario(m):
        a = m.SmallNet(params, 0.5).forward(x, rng=np.random.default_rng(seed))
        b = m.SmallNet(params, 0.5).forward(x, rng=np.random.default_rng(seed))
        shared = np.random.default_rng(seed)
        net = m.SmallNet(params, 0.5)
        c, d = net.forward(x, rng=shared), net.forward(x, rng=shared)
        return bool(np.array_equal(a, b)), bool(np.array_equal(c, d))

    check.close(scenario, (True, False), inputs={"x": x, "params": params},
                names=("a == b (one seed, two generators)", "c == d (one generator, two calls)"),
                call=f"a, b = SmallNet(params, p=0.5).forward(x, rng=np.random.default_rng({seed})) twice; "
                     f"rng = np.random.default_rng({seed}); c, d = net.forward(x, rng=rng) twice on one net")


def test_defaults(check, rng):
    """Does SmallNet(params).forward(x) use p = 0.5 and a fresh generator for rng=None (units 0 or doubled)?"""
    params = identity_fc2(rng, 5, 64, np.float64)
    x = batch(rng, 100, 5, np.float64)
    check.close(lambda m: mask_features(*dropped_and_plain(m, params, x, None, None)), (0.5, 2.0, 2.0, 0),
                call="a = SmallNet(params).forward(x); b = SmallNet(params, p=0.0).forward(x); a compared with b"
                     f"  # fc2 the identity, x: {x.shape}", inputs={"x": x, "params": params}, names=MASK_NAMES)


# ------------------------------------------------------------------ bad input

def _train_one(m, params, x, toggle):
    net = m.SmallNet(params, 0.0)
    if toggle:
        net.eval()
        net.forward(x)  # a batch of one is fine in eval mode
        net.train()
    return net.forward(x)


def test_bad_input(check, rng):
    """Are a p outside [0, 1], an x that is not (N, D), a missing key and a batch of one in training refused?"""
    params = make_params(rng, 4, 5, 3, np.float64)
    x, one = batch(rng, 3, 4, np.float64), batch(rng, 1, 4, np.float64)
    inputs = {"params": params}
    for p in (-0.1, 1.5):
        check.raises(lambda m: m.SmallNet(params, p), call=f"SmallNet(params, p={p})", inputs=inputs,
                     reason=f"p={p} is not a probability")
    lacking = {k: v for k, v in params.items() if k != "bn.running_var"}
    check.raises(lambda m: m.SmallNet(lacking), call="SmallNet(params without 'bn.running_var')",
                 inputs={"params": lacking}, reason="params lacks bn.running_var")
    for bad, reason in ((x[0], "x is 1-D, not (N, D)"), (x[None], "x is 3-D, not (N, D)"),
                        (x[:, :3], "x has 3 features but fc1.weight takes 4")):
        check.raises(lambda m: m.SmallNet(params).forward(bad),
                     call=f"SmallNet(params).forward(x) with x.shape == {bad.shape}", inputs={**inputs, "x": bad},
                     reason=reason)
    for toggle in (False, True):
        call = ("net = SmallNet(params, p=0.0); net.eval(); net.forward(x); net.train(); net.forward(x)" if toggle
                else "SmallNet(params, p=0.0).forward(x)") + "  # x: (1, 4)"
        check.raises(lambda m: _train_one(m, params, one, toggle), call=call, inputs={**inputs, "x": one},
                     reason="a batch of one has no variance: torch refuses it in training mode")


# ------------------------------------------------------------------ random shapes, dtype

@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """On sizes, p and scripts drawn afresh each run, do training (p = 0) and eval outputs match torch?"""
    for p in (0.0, round(float(rng.uniform(0.1, 0.9)), 2)):
        D, H, O = (int(n) for n in rng.integers(1, 9, size=3))
        params = make_params(rng, D, H, O, dtype)
        n_train = int(rng.integers(1, 4))
        sizes = [int(n) for n in rng.integers(4, 9, size=n_train)] + [int(n) for n in rng.integers(1, 6, size=2)]
        xs = batches(rng, sizes, D, dtype)
        names = list(xs)
        seeds = [new_seed(rng) for _ in names]
        steps = runs(names[:n_train], seeds[:n_train]) + [("eval",)] + runs(names[n_train:], seeds[n_train:])
        check_script(check, params, p, steps, xs, dtype, shown=f"  # D, H, O = {D}, {H}, {O}")


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Are the outputs right in the dtype of the input (float32 params and x in, float32 out), in both modes?"""
    params = make_params(rng, 4, 6, 3, dtype)
    xs = batches(rng, [5, 3], 4, dtype)
    check_script(check, params, 0.0, runs(["x1"]) + [("eval",)] + runs(["x2"]), xs, dtype, dtype_rule=True)
