"""Learning-rate schedulers: StepLR, MultiStepLR, CosineAnnealingLR and LinearLR over an optimiser's `lr`."""

import math

import numpy as np  # noqa: F401 - the kit's files all import NumPy; the rates are plain floats


class SGD:
    """Plain gradient descent, GIVEN (not part of the exercise): the optimiser the schedulers are tested with.

    A scheduler relies on nothing but the `lr` attribute: it reads `optimizer.lr` once, as the base rate,
    and then writes `optimizer.lr` when it is made and at every `step()`. Any object with an `lr` works.

    Args:
        params: a list of float arrays, updated in place by `step`.
        lr: the learning rate (a scheduler changes it between steps).

    Shapes:
        params: [p_0, p_1, ...], each of any shape; step(grads): grads[k] has the shape of p_k.

    PyTorch: torch.optim.SGD(params, lr=lr).
    """

    def __init__(self, params, lr=1e-3):
        self.params = list(params)
        self.lr = lr

    def step(self, grads):
        """p -= lr * g for every parameter, in place, with the current `lr`."""
        for p, g in zip(self.params, grads):
            p -= self.lr * g


class StepLR:
    """Multiply the learning rate by `gamma` every `step_size` epochs.

    Epoch e (0 when the scheduler is made, +1 at each `step()`): lr = base_lr * gamma ** (e // step_size),
    where base_lr is `optimizer.lr` when the scheduler is made.

    Args:
        optimizer: any object with an `lr` attribute (read once as base_lr, then set).
        step_size: the number of epochs between two decays, an int >= 1.
        gamma: the factor applied at every decay.

    Raises:
        ValueError: if step_size < 1.

    Shapes:
        get_last_lr() -> [lr], a list of one float.

    PyTorch: torch.optim.lr_scheduler.StepLR(optimizer, step_size, gamma=gamma).
    """

    def __init__(self, optimizer, step_size, gamma=0.1):
        # TODO: check step_size, keep optimizer.lr as the base rate, step once from epoch -1 to set epoch 0
        raise NotImplementedError("optim.lr_schedulers: __init__")

    def step(self):
        """Count one epoch and set optimizer.lr to that epoch's rate."""
        # TODO: epoch += 1, then lr = base_lr * gamma ** (epoch // step_size)
        raise NotImplementedError("optim.lr_schedulers: step")

    def get_last_lr(self):
        """The rate the last step (or the constructor) set: [optimizer.lr]."""
        # TODO: a list of the one rate
        raise NotImplementedError("optim.lr_schedulers: get_last_lr")


class MultiStepLR:
    """Multiply the learning rate by `gamma` at every epoch listed in `milestones`.

    lr = base_lr * gamma ** (the number of milestones <= e). A milestone listed twice counts twice
    (torch keeps them in a Counter), so the rate drops by gamma ** 2 there. The order does not matter.

    Args:
        optimizer: any object with an `lr` attribute (read once as base_lr, then set).
        milestones: a list of epoch indices (ints), in any order, repeats allowed.
        gamma: the factor applied at each milestone.

    Shapes:
        get_last_lr() -> [lr], a list of one float.

    PyTorch: torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones, gamma=gamma).
    """

    def __init__(self, optimizer, milestones, gamma=0.1):
        # TODO: keep the milestones with their repeats (sorted), the base rate, set the epoch-0 rate
        raise NotImplementedError("optim.lr_schedulers: __init__")

    def step(self):
        """Count one epoch and set optimizer.lr to that epoch's rate."""
        # TODO: epoch += 1, then lr = base_lr * gamma ** (milestones passed so far)
        raise NotImplementedError("optim.lr_schedulers: step")

    def get_last_lr(self):
        """The rate the last step (or the constructor) set: [optimizer.lr]."""
        # TODO: a list of the one rate
        raise NotImplementedError("optim.lr_schedulers: get_last_lr")


class CosineAnnealingLR:
    """Anneal the learning rate from base_lr down to eta_min along half a cosine over T_max epochs.

    lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * e / T_max)) / 2. Past T_max it does not restart:
    the cosine goes on, so the rate climbs back to base_lr at 2 * T_max, as torch's does.

    Args:
        optimizer: any object with an `lr` attribute (read once as base_lr, then set).
        T_max: the number of epochs from base_lr down to eta_min, >= 1.
        eta_min: the lowest rate.

    Raises:
        ValueError: if T_max < 1.

    Shapes:
        get_last_lr() -> [lr], a list of one float.

    PyTorch: torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max, eta_min=eta_min).
    """

    def __init__(self, optimizer, T_max, eta_min=0.0):
        # TODO: check T_max, keep the base rate, step once from epoch -1 to set epoch 0
        raise NotImplementedError("optim.lr_schedulers: __init__")

    def step(self):
        """Count one epoch and set optimizer.lr to that epoch's rate."""
        # TODO: epoch += 1, then the closed form at the new epoch
        raise NotImplementedError("optim.lr_schedulers: step")

    def get_last_lr(self):
        """The rate the last step (or the constructor) set: [optimizer.lr]."""
        # TODO: a list of the one rate
        raise NotImplementedError("optim.lr_schedulers: get_last_lr")


class LinearLR:
    """Scale the learning rate by a factor that moves linearly from start_factor to end_factor.

    factor(e) = start_factor + (end_factor - start_factor) * min(e, total_iters) / total_iters and
    lr = base_lr * factor(e): base_lr * start_factor at epoch 0, base_lr * end_factor from total_iters on.

    Args:
        optimizer: any object with an `lr` attribute (read once as base_lr, then set).
        start_factor: the factor at epoch 0, in (0, 1].
        end_factor: the factor from epoch total_iters on, in [0, 1].
        total_iters: the number of epochs the factor takes to get there, >= 1.

    Raises:
        ValueError: if start_factor is outside (0, 1], end_factor outside [0, 1] or total_iters < 1.

    Shapes:
        get_last_lr() -> [lr], a list of one float.

    PyTorch: torch.optim.lr_scheduler.LinearLR(optimizer, start_factor, end_factor, total_iters).
    """

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5):
        # TODO: check the factors and total_iters, keep the base rate, set base * start_factor now
        raise NotImplementedError("optim.lr_schedulers: __init__")

    def step(self):
        """Count one epoch and set optimizer.lr to that epoch's rate."""
        # TODO: epoch += 1, then base_lr * factor(epoch)
        raise NotImplementedError("optim.lr_schedulers: step")

    def get_last_lr(self):
        """The rate the last step (or the constructor) set: [optimizer.lr]."""
        # TODO: a list of the one rate
        raise NotImplementedError("optim.lr_schedulers: get_last_lr")
