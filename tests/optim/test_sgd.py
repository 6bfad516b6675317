"""optim.sgd: SGD trajectories over many steps against torch.optim.SGD."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
STEPS = 50
# A matrix (non-square), a vector and a scalar-like parameter, each with its own momentum buffer.
SHAPES = {"w": (3, 4), "b": (5,), "s": (1,)}
# name -> SGD keyword arguments. Dampening only shows from the second step on (torch's buffer starts as
# a plain copy of the first gradient); maximize with weight decay tells "negate the gradient first"
# apart from "flip the sign of the whole step". lr = 0 is allowed (the parameters stay put), and a momentum or
# weight_decay of exactly 1 must still be applied.
CONFIGS = {
    "defaults": {},
    "lr0": {"lr": 0.0, "momentum": 0.9, "weight_decay": 0.3},
    "lr0.1": {"lr": 0.1},
    "momentum0.9": {"lr": 0.05, "momentum": 0.9},
    "momentum0.9-dampening0.5": {"lr": 0.05, "momentum": 0.9, "dampening": 0.5},
    "momentum1-dampening0.5": {"lr": 0.01, "momentum": 1.0, "dampening": 0.5},
    "nesterov-momentum0.8": {"lr": 0.05, "momentum": 0.8, "nesterov": True},
    "weight_decay0.3": {"lr": 0.05, "weight_decay": 0.3},
    "weight_decay1": {"lr": 0.05, "weight_decay": 1.0},
    "momentum0.9-weight_decay0.3": {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.3},
    "maximize-weight_decay0.3": {"lr": 0.05, "weight_decay": 0.3, "maximize": True},
    "everything": {"lr": 0.02, "momentum": 0.7, "weight_decay": 0.2, "nesterov": True, "maximize": True},
}


def call_text(kwargs, names, steps=STEPS, lrs=None):
    args = ", ".join([f"[{', '.join(names)}]"] + [f"{k}={v}" for k, v in kwargs.items()])
    text = f"opt = SGD({args}); opt.step([...]) x {steps}, reading {', '.join(names)} after every step"
    if lrs:
        text += "; " + ", ".join(f"opt.lr = {lr} before step {t + 1}" for t, lr in lrs.items())
    return text


def leaf_names(names):
    # Each result is a parameter's whole trajectory: index 0 is the start, index t is after step t.
    return tuple(f"{n}[t] after step t" for n in names)


def torch_trajectories(init, kwargs, grad_fn, steps=STEPS, lrs=None):
    """The parameters after each of `steps` torch.optim.SGD steps; grad_fn(t, params) gives the gradients,
    lrs maps a step index t (from 0) to the lr set just before that step."""
    torch = oracle.torch()
    params = [oracle.tensor(p) for p in init]
    opt = torch.optim.SGD(params, **kwargs)
    traj = [[oracle.numpy(p)] for p in params]
    for t in range(steps):
        if lrs and t in lrs:
            opt.param_groups[0]["lr"] = lrs[t]
        grads = grad_fn(t, [p.detach().numpy() for p in params])
        for p, g in zip(params, grads):
            p.grad = oracle.tensor(g)
        opt.step()
        for k, p in enumerate(params):
            traj[k].append(oracle.numpy(p))
    return tuple(np.stack(tr).astype(init[0].dtype) for tr in traj)


def run_sgd(m, init, kwargs, grad_fn, steps=STEPS, lrs=None):
    """Build SGD from m on fresh copies of `init`, step `steps` times, return each parameter's trajectory."""
    params = [p.copy() for p in init]  # the arrays handed to SGD, which it must update in place
    opt = m.SGD(params, **kwargs)
    traj = [[p.copy()] for p in params]
    for t in range(steps):
        if lrs and t in lrs:
            opt.lr = lrs[t]  # what a learning-rate scheduler does
        opt.step(grad_fn(t, params))
        # The API says "updated in place": so results are read from the arrays this test passed in.
        for k, p in enumerate(params):
            traj[k].append(np.array(p, copy=True))
    return tuple(np.stack(tr) for tr in traj)


def random_grads(rng, names, dtype, shapes=SHAPES, steps=STEPS):
    """Fresh gradients every step (one row per step), with a drift so that momentum matters."""
    grads = []
    for n in names:
        shape = shapes[n]
        drift = rng.standard_normal(shape)
        grads.append((rng.standard_normal((steps, *shape)) + drift).astype(dtype))
    return grads


def start(rng, names, dtype, shapes=SHAPES):
    return [rng.standard_normal(shapes[n]).astype(dtype) for n in names]


def follow(check, rng, kwargs, dtype, names=tuple(SHAPES), shapes=SHAPES, steps=STEPS, lrs=None, note=""):
    """Check the whole trajectory of SGD(kwargs) on random gradients against torch."""
    init = start(rng, names, dtype, shapes)
    grads = random_grads(rng, names, dtype, shapes, steps)

    def grad_fn(t, params):
        return [g[t] for g in grads]

    inputs = {**{f"{n}0": p for n, p in zip(names, init)}, **{f"{n}_grads": g for n, g in zip(names, grads)}}
    check.close(lambda m: run_sgd(m, init, kwargs, grad_fn, steps, lrs),
                torch_trajectories(init, kwargs, grad_fn, steps, lrs),
                call=call_text(kwargs, names, steps, lrs) + note, inputs=inputs, names=leaf_names(names))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("kwargs", CONFIGS.values(), ids=CONFIGS.keys())
def test_sgd_trajectory(check, rng, kwargs, dtype):
    """Do a matrix, a vector and a (1,) parameter follow torch.optim.SGD over 50 steps of changing gradients?"""
    follow(check, rng, kwargs, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("kwargs", [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.1, "momentum": 0.9, "nesterov": True},
                                    {"lr": 0.1, "momentum": 0.5, "dampening": 0.3, "weight_decay": 0.1}],
                         ids=["momentum0.9", "nesterov", "dampening0.3-weight_decay0.1"])
def test_sgd_quadratic(check, rng, kwargs, dtype):
    """Does SGD minimising a quadratic (gradients from the current parameters) follow torch.optim.SGD?"""
    names = ("w", "b")
    init = start(rng, names, dtype)
    targets = [rng.standard_normal(SHAPES[n]).astype(dtype) for n in names]
    curvature = [rng.uniform(0.5, 3.0, SHAPES[n]).astype(dtype) for n in names]

    def grad_fn(t, params):
        # loss = sum(a * (p - target)**2) / 2, so grad = a * (p - target): it moves with the parameters.
        return [a * (p - target) for a, p, target in zip(curvature, params, targets)]

    inputs = {**{f"{n}0": p for n, p in zip(names, init)}, **{f"{n}_target": p for n, p in zip(names, targets)}}
    check.close(lambda m: run_sgd(m, init, kwargs, grad_fn), torch_trajectories(init, kwargs, grad_fn),
                call=call_text(kwargs, names) + " (grad = a * (p - target))", inputs=inputs, names=leaf_names(names))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("kwargs", [{"lr": 0.1}, {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1}],
                         ids=["plain", "momentum0.9-weight_decay0.1"])
def test_sgd_lr_changed(check, rng, kwargs, dtype):
    """When opt.lr is changed between steps (as a scheduler does), does the next step use the new rate?"""
    follow(check, rng, kwargs, dtype, lrs={10: 0.03, 25: 0.0, 35: 0.2})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_sgd_separate_state(check, rng, dtype):
    """Does each parameter keep its own momentum buffer when two parameters have the same shape?"""
    follow(check, rng, {"lr": 0.05, "momentum": 0.9}, dtype, names=("w", "w2"), shapes={"w": (3, 4), "w2": (3, 4)})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """With the parameters' shapes, the options and the step count drawn afresh each run, does SGD follow torch?"""
    count, steps = int(rng.integers(1, 5)), int(rng.integers(1, 31))  # 1..4 parameters, 1..30 steps
    # name -> shape: 1..3 dimensions, each of size 1..6
    shapes = {f"p{k + 1}": tuple(int(d) for d in rng.integers(1, 7, size=int(rng.integers(1, 4))))
              for k in range(count)}
    nesterov = bool(rng.integers(2))
    kwargs = {"lr": float(rng.uniform(0.01, 0.1)), "momentum": float(rng.uniform(0.1, 0.95)),
              "dampening": 0.0 if nesterov else float(rng.uniform(0.0, 0.5)),
              "weight_decay": float(rng.uniform(0.0, 0.3)), "nesterov": nesterov, "maximize": bool(rng.integers(2))}
    kwargs = {k: round(v, 4) if isinstance(v, float) else v for k, v in kwargs.items()}
    note = "  # " + ", ".join(f"{n}: {shape}" for n, shape in shapes.items())
    follow(check, rng, kwargs, dtype, names=tuple(shapes), shapes=shapes, steps=steps, note=note)


BAD_HYPERPARAMETERS = {
    "lr-negative": ({"lr": -1e-3}, "lr < 0"),
    "momentum-negative": ({"momentum": -0.9}, "momentum < 0"),
    "weight_decay-negative": ({"weight_decay": -0.01}, "weight_decay < 0"),
    "nesterov-without-momentum": ({"nesterov": True}, "nesterov needs momentum > 0 (the default momentum is 0)"),
    "nesterov-with-dampening": ({"momentum": 0.9, "dampening": 0.1, "nesterov": True},
                                "nesterov needs dampening == 0"),
}


@pytest.mark.parametrize("case", BAD_HYPERPARAMETERS.values(), ids=BAD_HYPERPARAMETERS.keys())
def test_sgd_bad_hyperparameters(check, rng, case):
    """Does SGD refuse a negative lr, momentum or weight_decay, and nesterov without momentum or with dampening?"""
    kwargs, reason = case
    w = rng.standard_normal((2, 3))
    args = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    check.raises(lambda m: m.SGD([w.copy()], **kwargs), call=f"SGD([w], {args})", reason=reason, inputs={"w": w})


@pytest.mark.parametrize("count", [1, 3], ids=["too-few", "too-many"])
def test_sgd_wrong_number_of_grads(check, rng, count):
    """Does step() refuse a list of grads that does not hold one gradient per parameter?"""
    w, b = rng.standard_normal((2, 3)), rng.standard_normal(3)
    grads = [rng.standard_normal((2, 3)), rng.standard_normal(3), rng.standard_normal(3)][:count]

    def scenario(m):
        opt = m.SGD([w.copy(), b.copy()], lr=0.1)
        return opt.step(grads)

    check.raises(scenario, call=f"SGD([w, b], lr=0.1).step(grads) with {count} grads", inputs={"w": w, "b": b},
                 reason=f"2 params but {count} grads")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Do the parameters keep their dtype (float32 params stay float32) and the right values through momentum steps?"""
    names = ("w", "s")
    kwargs = {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.1}
    init = start(rng, names, dtype)
    grads = random_grads(rng, names, dtype, steps=5)

    def grad_fn(t, params):
        return [g[t] for g in grads]

    inputs = {**{f"{n}0": p for n, p in zip(names, init)}, **{f"{n}_grads": g for n, g in zip(names, grads)}}
    check.close(lambda m: run_sgd(m, init, kwargs, grad_fn, 5), torch_trajectories(init, kwargs, grad_fn, 5),
                call=call_text(kwargs, names, 5), inputs=inputs, names=leaf_names(names), dtype=True)
