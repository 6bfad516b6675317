"""optim.lr_schedulers: the rates of StepLR, MultiStepLR, CosineAnnealingLR and LinearLR against torch's."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
STEPS = 120
BASE_LR = 0.1
# name -> (scheduler, keyword arguments). Each kwargs dict leaves out what the call does not pass, so the
# defaults are used as defaults. Chosen to tell classic slips apart: a milestone listed twice, milestones out
# of order, 120 steps with T_max = 10 or 50 (the cosine must climb back up after T_max, not restart), a
# LinearLR that decays (start 1, end 0.05) and one with total_iters = 1.
CONFIGS = {
    "StepLR-30": ("StepLR", {"step_size": 30}),
    "StepLR-7-gamma0.5": ("StepLR", {"step_size": 7, "gamma": 0.5}),
    "StepLR-1-gamma0.97": ("StepLR", {"step_size": 1, "gamma": 0.97}),
    "MultiStepLR-30,80": ("MultiStepLR", {"milestones": [30, 80]}),
    "MultiStepLR-repeated-10,10,50-gamma0.5": ("MultiStepLR", {"milestones": [10, 10, 50], "gamma": 0.5}),
    "MultiStepLR-unsorted-60,20,90-gamma0.3": ("MultiStepLR", {"milestones": [60, 20, 90], "gamma": 0.3}),
    "Cosine-T10": ("CosineAnnealingLR", {"T_max": 10}),
    "Cosine-T50-eta_min0.01": ("CosineAnnealingLR", {"T_max": 50, "eta_min": 0.01}),
    "Cosine-T120-eta_min0.002": ("CosineAnnealingLR", {"T_max": 120, "eta_min": 0.002}),
    "LinearLR-defaults": ("LinearLR", {}),
    "LinearLR-0.1-to-1-over-20": ("LinearLR", {"start_factor": 0.1, "end_factor": 1.0, "total_iters": 20}),
    "LinearLR-decay-1-to-0.05-over-30": ("LinearLR", {"start_factor": 1.0, "end_factor": 0.05, "total_iters": 30}),
    "LinearLR-total_iters1": ("LinearLR", {"start_factor": 0.5, "total_iters": 1}),
}
BY_KIND = {kind: {k: v for k, v in CONFIGS.items() if v[0] == kind}
           for kind in ("StepLR", "MultiStepLR", "CosineAnnealingLR", "LinearLR")}
NAMES = ("optimizer.lr after e scheduler steps", "get_last_lr()[0] after e scheduler steps")


def call_text(kind, kwargs, steps=STEPS):
    args = "".join(f", {k}={v!r}" for k, v in kwargs.items())
    return (f"opt = SGD([w], lr={BASE_LR}); sched = {kind}(opt{args}); then {steps} times: opt.step([g]); "
            f"sched.step() -- reading opt.lr and sched.get_last_lr() at e = 0 (just made) .. {steps}")


def torch_rates(kind, kwargs, steps=STEPS, base_lr=BASE_LR):
    """torch's scheduler over torch.optim.SGD: the rate at every epoch 0..steps, read both ways."""
    torch = oracle.torch()
    w = oracle.tensor(np.zeros(1), grad=True)
    opt = torch.optim.SGD([w], lr=base_lr)
    sched = getattr(torch.optim.lr_scheduler, kind)(opt, **kwargs)
    lrs, last = [opt.param_groups[0]["lr"]], [sched.get_last_lr()[0]]
    for _ in range(steps):
        w.grad = torch.zeros_like(w)
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
        last.append(sched.get_last_lr()[0])
    return np.array(lrs, dtype=np.float64), np.array(last, dtype=np.float64)


def run_rates(m, kind, kwargs, steps=STEPS, base_lr=BASE_LR):
    """The learner's scheduler over the file's SGD: the same two readings at every epoch."""
    w = np.zeros(1)
    opt = m.SGD([w], lr=base_lr)
    sched = getattr(m, kind)(opt, **kwargs)
    lrs, last = [opt.lr], [sched.get_last_lr()[0]]
    for _ in range(steps):
        opt.step([np.zeros(1)])
        sched.step()
        lrs.append(opt.lr)
        last.append(sched.get_last_lr()[0])
    return np.array(lrs, dtype=np.float64), np.array(last, dtype=np.float64)


def check_rates(check, kind, kwargs, steps=STEPS, base_lr=BASE_LR):
    check.close(lambda m: run_rates(m, kind, kwargs, steps, base_lr), torch_rates(kind, kwargs, steps, base_lr),
                call=call_text(kind, kwargs, steps), names=NAMES)


@pytest.mark.parametrize("config", BY_KIND["StepLR"].values(), ids=BY_KIND["StepLR"].keys())
def test_step_lr(check, config):
    """Does StepLR give torch's rate at every one of 120 epochs (gamma once every step_size epochs, none at 0)?"""
    check_rates(check, *config)


@pytest.mark.parametrize("config", BY_KIND["MultiStepLR"].values(), ids=BY_KIND["MultiStepLR"].keys())
def test_multistep_lr(check, config):
    """Does MultiStepLR give torch's rates, with a milestone listed twice decaying twice and any order accepted?"""
    check_rates(check, *config)


@pytest.mark.parametrize("config", BY_KIND["CosineAnnealingLR"].values(), ids=BY_KIND["CosineAnnealingLR"].keys())
def test_cosine_annealing_lr(check, config):
    """Does CosineAnnealingLR follow torch over 120 epochs, climbing back up after T_max instead of restarting?"""
    check_rates(check, *config)


@pytest.mark.parametrize("config", BY_KIND["LinearLR"].values(), ids=BY_KIND["LinearLR"].keys())
def test_linear_lr(check, config):
    """Does LinearLR start at base_lr * start_factor when made and reach end_factor exactly at total_iters?"""
    check_rates(check, *config)


def torch_trajectory(kind, kwargs, w0, grads, base_lr):
    torch = oracle.torch()
    w = oracle.tensor(w0, grad=True)
    opt = torch.optim.SGD([w], lr=base_lr)
    sched = getattr(torch.optim.lr_scheduler, kind)(opt, **kwargs)
    traj = [oracle.numpy(w, w0.dtype)]
    for g in grads:
        w.grad = oracle.tensor(g)
        opt.step()
        sched.step()
        traj.append(oracle.numpy(w, w0.dtype))
    return np.stack(traj)


def run_trajectory(m, kind, kwargs, w0, grads, base_lr):
    w = w0.copy()
    opt = m.SGD([w], lr=base_lr)
    sched = getattr(m, kind)(opt, **kwargs)
    traj = [w.copy()]
    for g in grads:
        opt.step([g])
        sched.step()
        traj.append(np.array(w, copy=True))  # SGD updates w in place
    return np.stack(traj)


DRIVE = {
    "StepLR-3-gamma0.5": ("StepLR", {"step_size": 3, "gamma": 0.5}),
    "MultiStepLR-2,2,5": ("MultiStepLR", {"milestones": [2, 2, 5]}),
    "Cosine-T4-eta_min0.05": ("CosineAnnealingLR", {"T_max": 4, "eta_min": 0.05}),
    "LinearLR-defaults": ("LinearLR", {}),
}


def check_drive(check, rng, kind, kwargs, dtype, steps=12, dtype_rule=False):
    w0 = rng.standard_normal((3, 4)).astype(dtype)
    grads = rng.standard_normal((steps, 3, 4)).astype(dtype)
    args = "".join(f", {k}={v!r}" for k, v in kwargs.items())
    check.close(lambda m: run_trajectory(m, kind, kwargs, w0, grads, 0.5),
                torch_trajectory(kind, kwargs, w0, grads, 0.5), inputs={"w0": w0, "grads": grads},
                call=f"opt = SGD([w], lr=0.5); sched = {kind}(opt{args}); then {steps} times: opt.step([grads[t]]); "
                     "sched.step() -- reading w after every step", names="w after t steps", dtype=dtype_rule)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("config", DRIVE.values(), ids=DRIVE.keys())
def test_scheduler_drives_sgd(check, rng, config, dtype):
    """Does the schedule really drive the optimiser: does w follow torch.optim.SGD under torch's scheduler?"""
    check_drive(check, rng, *config, dtype)


BAD = {
    "StepLR-step_size0": ("StepLR", {"step_size": 0}, "step_size = 0: the rate would decay every 0 epochs"),
    "StepLR-step_size-negative": ("StepLR", {"step_size": -3}, "step_size < 1"),
    "Cosine-T_max0": ("CosineAnnealingLR", {"T_max": 0}, "T_max = 0 divides by zero"),
    "LinearLR-start_factor0": ("LinearLR", {"start_factor": 0.0}, "start_factor must be in (0, 1] (torch)"),
    "LinearLR-start_factor1.5": ("LinearLR", {"start_factor": 1.5}, "start_factor > 1 (torch refuses it)"),
    "LinearLR-end_factor1.5": ("LinearLR", {"end_factor": 1.5}, "end_factor > 1 (torch refuses it)"),
    "LinearLR-end_factor-negative": ("LinearLR", {"end_factor": -0.1}, "end_factor < 0 (torch refuses it)"),
    "LinearLR-total_iters0": ("LinearLR", {"total_iters": 0}, "total_iters = 0: no epochs to move over"),
}


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_bad_arguments(check, case):
    """Is a step_size or T_max below 1, a LinearLR factor outside its range or total_iters = 0 refused?"""
    kind, kwargs, reason = case
    args = "".join(f", {k}={v!r}" for k, v in kwargs.items())
    check.raises(lambda m: getattr(m, kind)(m.SGD([np.zeros(2)], lr=BASE_LR), **kwargs),
                 call=f"{kind}(SGD([w], lr={BASE_LR}){args})", reason=reason)


def random_config(rng):
    kind = ("StepLR", "MultiStepLR", "CosineAnnealingLR", "LinearLR")[int(rng.integers(4))]
    if kind == "StepLR":
        return kind, {"step_size": int(rng.integers(1, 40)), "gamma": round(float(rng.uniform(0.1, 0.9)), 3)}
    if kind == "MultiStepLR":
        milestones = [int(k) for k in rng.integers(1, 110, size=int(rng.integers(1, 5)))]  # repeats possible
        return kind, {"milestones": milestones, "gamma": round(float(rng.uniform(0.1, 0.9)), 3)}
    if kind == "CosineAnnealingLR":
        return kind, {"T_max": int(rng.integers(1, 130)), "eta_min": round(float(rng.uniform(0, 0.05)), 4)}
    return kind, {"start_factor": round(float(rng.uniform(0.05, 1.0)), 3),
                  "end_factor": round(float(rng.uniform(0.0, 1.0)), 3), "total_iters": int(rng.integers(1, 60))}


def test_random_shapes(check, rng):
    """With the scheduler, its arguments, the base rate and the step count drawn afresh, do the rates match torch?"""
    for _ in range(3):
        kind, kwargs = random_config(rng)
        steps, base_lr = int(rng.integers(100, 141)), round(float(rng.uniform(0.01, 1.0)), 4)
        check_rates(check, kind, kwargs, steps, base_lr)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Driven by each scheduler, do float32 parameters stay float32 (and float64 float64) with torch's values?"""
    for kind, kwargs in DRIVE.values():
        check_drive(check, rng, kind, kwargs, dtype, steps=6, dtype_rule=True)
