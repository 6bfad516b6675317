"""optim.adam: Adam trajectories over many steps against torch.optim.Adam."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
STEPS = 50
# A matrix (non-square), a vector and a scalar-like parameter, each with its own state.
SHAPES = {"w": (3, 4), "b": (5,), "s": (1,)}
# name -> (Adam keyword arguments, size of the gradients). Tiny gradients are where eps and the
# bias correction of v decide the step (lr is large there so that a misplaced eps, which shrinks
# the steps to almost nothing, cannot pass for a correct answer); betas[0] = 0 is allowed (no momentum).
CONFIGS = {
    "defaults": ({}, 1.0),
    "lr0.05-betas0.8,0.99-eps1e-6": ({"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-6}, 1.0),
    "weight_decay0.5": ({"lr": 0.01, "weight_decay": 0.5}, 1.0),
    "tiny-grads-1e-9-lr0.5": ({"lr": 0.5}, 1e-9),
    "tiny-grads-1e-9-lr0.5-eps1e-9": ({"lr": 0.5, "eps": 1e-9}, 1e-9),
    "betas0,0.9": ({"lr": 0.01, "betas": (0.0, 0.9)}, 1.0),
}


def call_text(kwargs, names, steps=STEPS):
    args = ", ".join([f"[{', '.join(names)}]"] + [f"{k}={v}" for k, v in kwargs.items()])
    return f"opt = Adam({args}); opt.step([...]) x {steps}, reading {', '.join(names)} after every step"


def leaf_names(names):
    # Each result is a parameter's whole trajectory: index 0 is the start, index t is after step t.
    return tuple(f"{n}[t] after step t" for n in names)


def torch_trajectories(init, kwargs, grad_fn, steps=STEPS):
    """The parameters after each of `steps` torch.optim.Adam steps; grad_fn(t, params) gives the gradients."""
    torch = oracle.torch()
    params = [oracle.tensor(p) for p in init]
    kwargs = dict(kwargs)
    if "betas" in kwargs:
        kwargs["betas"] = tuple(float(b) for b in kwargs["betas"])
    opt = torch.optim.Adam(params, **kwargs)
    traj = [[oracle.numpy(p)] for p in params]
    for t in range(steps):
        grads = grad_fn(t, [p.detach().numpy() for p in params])
        for p, g in zip(params, grads):
            p.grad = oracle.tensor(g)
        opt.step()
        for k, p in enumerate(params):
            traj[k].append(oracle.numpy(p))
    return tuple(np.stack(tr).astype(init[0].dtype) for tr in traj)


def run_adam(m, init, kwargs, grad_fn, steps=STEPS):
    """Build Adam from m on fresh copies of `init`, step `steps` times, return each parameter's trajectory."""
    params = [p.copy() for p in init]  # the arrays handed to Adam, which it must update in place
    opt = m.Adam(params, **kwargs)
    traj = [[p.copy()] for p in params]
    for t in range(steps):
        opt.step(grad_fn(t, params))
        # The API says "updated in place": so results are read from the arrays this test passed in.
        for k, p in enumerate(params):
            traj[k].append(np.array(p, copy=True))
    return tuple(np.stack(tr) for tr in traj)


def random_grads(rng, names, scale, dtype, shapes=SHAPES, steps=STEPS):
    """Fresh gradients every step (one row per step), with a drift so that momentum matters."""
    grads = []
    for n in names:
        shape = shapes[n]
        drift = rng.standard_normal(shape)
        grads.append((scale * (rng.standard_normal((steps, *shape)) + drift)).astype(dtype))
    return grads


def start(rng, names, dtype, shapes=SHAPES):
    return [rng.standard_normal(shapes[n]).astype(dtype) for n in names]


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_adam_trajectory(check, rng, config, dtype):
    """Do a matrix, a vector and a (1,) parameter follow torch.optim.Adam over 50 steps of changing gradients?"""
    kwargs, scale = config
    names = tuple(SHAPES)
    init = start(rng, names, dtype)
    grads = random_grads(rng, names, scale, dtype)

    def grad_fn(t, params):
        return [g[t] for g in grads]

    inputs = {**{f"{n}0": p for n, p in zip(names, init)}, **{f"{n}_grads": g for n, g in zip(names, grads)}}
    check.close(lambda m: run_adam(m, init, kwargs, grad_fn), torch_trajectories(init, kwargs, grad_fn),
                call=call_text(kwargs, names), inputs=inputs, names=leaf_names(names))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("weight_decay", [0.0, 0.1], ids=["no-decay", "weight_decay0.1"])
def test_adam_quadratic(check, rng, weight_decay, dtype):
    """Does Adam minimising a quadratic (gradients from the current parameters) follow torch.optim.Adam?"""
    names = ("w", "b")
    init = start(rng, names, dtype)
    targets = [rng.standard_normal(SHAPES[n]).astype(dtype) for n in names]
    curvature = [rng.uniform(0.5, 3.0, SHAPES[n]).astype(dtype) for n in names]
    kwargs = {"lr": 0.1, "weight_decay": weight_decay}

    def grad_fn(t, params):
        # loss = sum(a * (p - target)**2) / 2, so grad = a * (p - target): it moves with the parameters.
        return [a * (p - target) for a, p, target in zip(curvature, params, targets)]

    inputs = {**{f"{n}0": p for n, p in zip(names, init)}, **{f"{n}_target": p for n, p in zip(names, targets)}}
    check.close(lambda m: run_adam(m, init, kwargs, grad_fn), torch_trajectories(init, kwargs, grad_fn),
                call=call_text(kwargs, names) + " (grad = a * (p - target))", inputs=inputs, names=leaf_names(names))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_adam_separate_state(check, rng, dtype):
    """Does each parameter keep its own moments when two parameters have the same shape?"""
    names = ("w", "w2")
    init = [rng.standard_normal((3, 4)).astype(dtype) for _ in names]
    grads = [rng.standard_normal((STEPS, 3, 4)).astype(dtype) * s for s in (1.0, 10.0)]
    kwargs = {"lr": 0.01}

    def grad_fn(t, params):
        return [g[t] for g in grads]

    inputs = {"w0": init[0], "w20": init[1], "w_grads": grads[0], "w2_grads": grads[1]}
    check.close(lambda m: run_adam(m, init, kwargs, grad_fn), torch_trajectories(init, kwargs, grad_fn),
                call=call_text(kwargs, names), inputs=inputs, names=leaf_names(names))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """With the parameter count, their shapes and the step count drawn afresh each run, does Adam follow torch?"""
    count, steps = int(rng.integers(1, 5)), int(rng.integers(1, 31))  # 1..4 parameters, 1..30 steps
    # name -> shape: 1..3 dimensions, each of size 1..6
    shapes = {f"p{k + 1}": tuple(int(d) for d in rng.integers(1, 7, size=int(rng.integers(1, 4))))
              for k in range(count)}
    names = tuple(shapes)
    init = start(rng, names, dtype, shapes)  # one array per name, shaped shapes[name]
    grads = random_grads(rng, names, 1.0, dtype, shapes, steps)  # (steps, *shapes[name]) each
    kwargs = {"lr": 0.01}

    def grad_fn(t, params):
        return [g[t] for g in grads]

    inputs = {**{f"{n}0": p for n, p in zip(names, init)}, **{f"{n}_grads": g for n, g in zip(names, grads)}}
    note = ", ".join(f"{n}: {shape}" for n, shape in shapes.items())
    check.close(lambda m: run_adam(m, init, kwargs, grad_fn, steps), torch_trajectories(init, kwargs, grad_fn, steps),
                call=f"{call_text(kwargs, names, steps)}  # {note}", inputs=inputs, names=leaf_names(names))


BAD_HYPERPARAMETERS = {
    "lr-negative": ({"lr": -1e-3}, "lr < 0"),
    "eps-negative": ({"eps": -1e-8}, "eps < 0"),
    "beta1-is-1": ({"betas": (1.0, 0.999)}, "betas[0] = 1 is outside [0, 1)"),
    "beta2-is-1": ({"betas": (0.9, 1.0)}, "betas[1] = 1 is outside [0, 1)"),
    "beta1-negative": ({"betas": (-0.1, 0.999)}, "betas[0] < 0"),
    "beta2-above-1": ({"betas": (0.9, 1.5)}, "betas[1] > 1"),
    "weight_decay-negative": ({"weight_decay": -0.01}, "weight_decay < 0"),
}


@pytest.mark.parametrize("case", BAD_HYPERPARAMETERS.values(), ids=BAD_HYPERPARAMETERS.keys())
def test_adam_bad_hyperparameters(check, rng, case):
    """Does Adam refuse a negative lr, eps or weight_decay, or a beta outside [0, 1), with ValueError?"""
    kwargs, reason = case
    w = rng.standard_normal((2, 3))
    args = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    check.raises(lambda m: m.Adam([w.copy()], **kwargs), call=f"Adam([w], {args})", reason=reason, inputs={"w": w})


@pytest.mark.parametrize("count", [1, 3], ids=["too-few", "too-many"])
def test_adam_wrong_number_of_grads(check, rng, count):
    """Does step() refuse a list of grads that does not hold one gradient per parameter?"""
    w, b = rng.standard_normal((2, 3)), rng.standard_normal(3)
    grads = [rng.standard_normal((2, 3)), rng.standard_normal(3), rng.standard_normal(3)][:count]

    def scenario(m):
        opt = m.Adam([w.copy(), b.copy()])
        return opt.step(grads)

    check.raises(scenario, call=f"Adam([w, b]).step(grads) with {count} grads", inputs={"w": w, "b": b},
                 reason=f"2 params but {count} grads")
