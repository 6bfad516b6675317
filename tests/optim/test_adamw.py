"""optim.adamw: AdamW trajectories over many steps against torch.optim.AdamW."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
STEPS = 50
# A matrix (non-square), a vector and a scalar-like parameter, each with its own state.
SHAPES = {"w": (3, 4), "b": (5,), "s": (1,)}
# name -> (AdamW keyword arguments, how the gradients' size moves). A large lr * weight_decay is where
# the place of the decay (before or after the Adam step, times lr or not) shows. amsgrad only matters
# when v shrinks: "jumpy" gradients change their size by up to 1000x from one step to the next, and a
# small beta2 lets v follow them down.
CONFIGS = {
    "defaults": ({}, "steady"),
    "lr0.1-weight_decay0.5": ({"lr": 0.1, "weight_decay": 0.5}, "steady"),
    "lr0.05-betas0.8,0.99-eps1e-6-weight_decay0.2": (
        {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.2}, "steady"),
    "weight_decay0": ({"lr": 0.01, "weight_decay": 0.0}, "steady"),
    "tiny-grads-lr0.5-weight_decay0.1": ({"lr": 0.5, "weight_decay": 0.1}, "tiny"),
    "amsgrad-betas0.9,0.9-jumpy": ({"lr": 0.05, "betas": (0.9, 0.9), "amsgrad": True}, "jumpy"),
    "amsgrad-lr0.05-weight_decay0.3-jumpy": ({"lr": 0.05, "weight_decay": 0.3, "amsgrad": True}, "jumpy"),
    "amsgrad-betas0.8,0.5-shrinking": ({"lr": 0.05, "betas": (0.8, 0.5), "amsgrad": True}, "shrinking"),
}


def call_text(kwargs, names, steps=STEPS, lrs=None):
    args = ", ".join([f"[{', '.join(names)}]"] + [f"{k}={v}" for k, v in kwargs.items()])
    text = f"opt = AdamW({args}); opt.step([...]) x {steps}, reading {', '.join(names)} after every step"
    if lrs:
        text += "; " + ", ".join(f"opt.lr = {lr} before step {t + 1}" for t, lr in lrs.items())
    return text


def leaf_names(names):
    # Each result is a parameter's whole trajectory: index 0 is the start, index t is after step t.
    return tuple(f"{n}[t] after step t" for n in names)


def torch_trajectories(init, kwargs, grad_fn, steps=STEPS, lrs=None):
    """The parameters after each of `steps` torch.optim.AdamW steps; grad_fn(t, params) gives the gradients,
    lrs maps a step index t (from 0) to the lr set just before that step."""
    torch = oracle.torch()
    params = [oracle.tensor(p) for p in init]
    kwargs = dict(kwargs)
    if "betas" in kwargs:
        kwargs["betas"] = tuple(float(b) for b in kwargs["betas"])
    opt = torch.optim.AdamW(params, **kwargs)
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


def run_adamw(m, init, kwargs, grad_fn, steps=STEPS, lrs=None):
    """Build AdamW from m on fresh copies of `init`, step `steps` times, return each parameter's trajectory."""
    params = [p.copy() for p in init]  # the arrays handed to AdamW, which it must update in place
    opt = m.AdamW(params, **kwargs)
    traj = [[p.copy()] for p in params]
    for t in range(steps):
        if lrs and t in lrs:
            opt.lr = lrs[t]  # what a learning-rate scheduler does
        opt.step(grad_fn(t, params))
        # The API says "updated in place": so results are read from the arrays this test passed in.
        for k, p in enumerate(params):
            traj[k].append(np.array(p, copy=True))
    return tuple(np.stack(tr) for tr in traj)


def step_sizes(rng, kind, steps):
    """One factor per step for the gradients' size."""
    if kind == "tiny":
        return np.full(steps, 1e-9)
    if kind == "jumpy":
        return 10.0 ** rng.uniform(-2, 1, steps)  # 0.01 .. 10, redrawn every step
    if kind == "shrinking":
        return 10.0 ** np.linspace(1, -2, steps)  # from 10 down to 0.01
    return np.ones(steps)


def random_grads(rng, names, dtype, shapes=SHAPES, steps=STEPS, kind="steady"):
    """Fresh gradients every step (one row per step), with a drift so that momentum matters."""
    sizes = step_sizes(rng, kind, steps)
    grads = []
    for n in names:
        shape = shapes[n]
        drift = rng.standard_normal(shape)
        g = sizes.reshape(-1, *[1] * len(shape)) * (rng.standard_normal((steps, *shape)) + drift)
        grads.append(g.astype(dtype))
    return grads


def start(rng, names, dtype, shapes=SHAPES):
    return [rng.standard_normal(shapes[n]).astype(dtype) for n in names]


def follow(check, rng, kwargs, dtype, names=tuple(SHAPES), shapes=SHAPES, steps=STEPS, kind="steady", lrs=None,
           note="", dtype_rule=False):
    """Check the whole trajectory of AdamW(kwargs) on random gradients against torch."""
    init = start(rng, names, dtype, shapes)
    grads = random_grads(rng, names, dtype, shapes, steps, kind)

    def grad_fn(t, params):
        return [g[t] for g in grads]

    inputs = {**{f"{n}0": p for n, p in zip(names, init)}, **{f"{n}_grads": g for n, g in zip(names, grads)}}
    check.close(lambda m: run_adamw(m, init, kwargs, grad_fn, steps, lrs),
                torch_trajectories(init, kwargs, grad_fn, steps, lrs),
                call=call_text(kwargs, names, steps, lrs) + note, inputs=inputs, names=leaf_names(names),
                dtype=dtype_rule)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_adamw_trajectory(check, rng, config, dtype):
    """Do a matrix, a vector and a (1,) parameter follow torch.optim.AdamW over 50 steps of changing gradients?"""
    kwargs, kind = config
    follow(check, rng, kwargs, dtype, kind=kind, note="" if kind == "steady" else f"  # {kind} gradient sizes")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("kwargs", [{"lr": 0.1}, {"lr": 0.1, "weight_decay": 0.3, "amsgrad": True}],
                         ids=["lr0.1", "weight_decay0.3-amsgrad"])
def test_adamw_quadratic(check, rng, kwargs, dtype):
    """Does AdamW minimising a quadratic (gradients from the current parameters) follow torch.optim.AdamW?"""
    names = ("w", "b")
    init = start(rng, names, dtype)
    targets = [rng.standard_normal(SHAPES[n]).astype(dtype) for n in names]
    curvature = [rng.uniform(0.5, 3.0, SHAPES[n]).astype(dtype) for n in names]

    def grad_fn(t, params):
        # loss = sum(a * (p - target)**2) / 2, so grad = a * (p - target): it moves with the parameters.
        return [a * (p - target) for a, p, target in zip(curvature, params, targets)]

    inputs = {**{f"{n}0": p for n, p in zip(names, init)}, **{f"{n}_target": p for n, p in zip(names, targets)}}
    check.close(lambda m: run_adamw(m, init, kwargs, grad_fn), torch_trajectories(init, kwargs, grad_fn),
                call=call_text(kwargs, names) + " (grad = a * (p - target))", inputs=inputs, names=leaf_names(names))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_adamw_lr_changed(check, rng, dtype):
    """When opt.lr is changed between steps (as a scheduler does), do the next decay and step use the new rate?"""
    follow(check, rng, {"lr": 0.05, "weight_decay": 0.5}, dtype, lrs={10: 0.01, 25: 0.0, 35: 0.2})


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_adamw_separate_state(check, rng, dtype):
    """Does each parameter keep its own moments (and amsgrad maximum) when two parameters have the same shape?"""
    follow(check, rng, {"lr": 0.05, "betas": (0.9, 0.9), "amsgrad": True}, dtype, names=("w", "w2"),
           shapes={"w": (3, 4), "w2": (3, 4)}, kind="jumpy", note="  # jumpy gradient sizes")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """With the parameters' shapes, the options and the step count drawn afresh each run, does AdamW follow torch?"""
    count, steps = int(rng.integers(1, 5)), int(rng.integers(1, 31))  # 1..4 parameters, 1..30 steps
    # name -> shape: 1..3 dimensions, each of size 1..6
    shapes = {f"p{k + 1}": tuple(int(d) for d in rng.integers(1, 7, size=int(rng.integers(1, 4))))
              for k in range(count)}
    kwargs = {"lr": round(float(rng.uniform(0.01, 0.1)), 4), "weight_decay": round(float(rng.uniform(0.0, 0.5)), 4),
              "betas": (round(float(rng.uniform(0.5, 0.95)), 3), round(float(rng.uniform(0.5, 0.999)), 3)),
              "amsgrad": bool(rng.integers(2))}
    note = "  # jumpy gradient sizes; " + ", ".join(f"{n}: {shape}" for n, shape in shapes.items())
    follow(check, rng, kwargs, dtype, names=tuple(shapes), shapes=shapes, steps=steps, kind="jumpy", note=note)


BAD_HYPERPARAMETERS = {
    "lr-negative": ({"lr": -1e-3}, "lr < 0"),
    "eps-negative": ({"eps": -1e-8}, "eps < 0"),
    "beta1-is-1": ({"betas": (1.0, 0.999)}, "betas[0] = 1 is outside [0, 1)"),
    "beta2-negative": ({"betas": (0.9, -0.5)}, "betas[1] < 0"),
    "weight_decay-negative": ({"weight_decay": -0.01}, "weight_decay < 0"),
}


@pytest.mark.parametrize("case", BAD_HYPERPARAMETERS.values(), ids=BAD_HYPERPARAMETERS.keys())
def test_adamw_bad_hyperparameters(check, rng, case):
    """Does AdamW refuse a negative lr, eps or weight_decay, or a beta outside [0, 1), with ValueError?"""
    kwargs, reason = case
    w = rng.standard_normal((2, 3))
    args = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    check.raises(lambda m: m.AdamW([w.copy()], **kwargs), call=f"AdamW([w], {args})", reason=reason, inputs={"w": w})


@pytest.mark.parametrize("count", [1, 3], ids=["too-few", "too-many"])
def test_adamw_wrong_number_of_grads(check, rng, count):
    """Does step() refuse a list of grads that does not hold one gradient per parameter?"""
    w, b = rng.standard_normal((2, 3)), rng.standard_normal(3)
    grads = [rng.standard_normal((2, 3)), rng.standard_normal(3), rng.standard_normal(3)][:count]

    def scenario(m):
        opt = m.AdamW([w.copy(), b.copy()])
        return opt.step(grads)

    check.raises(scenario, call=f"AdamW([w, b]).step(grads) with {count} grads", inputs={"w": w, "b": b},
                 reason=f"2 params but {count} grads")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Do the parameters keep their dtype (float32 params stay float32) and the right values through AdamW steps?"""
    follow(check, rng, {"lr": 0.05, "weight_decay": 0.2, "amsgrad": True}, dtype, names=("w", "s"), steps=5,
           dtype_rule=True)
