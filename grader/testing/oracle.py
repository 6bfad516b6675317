"""The reference side: PyTorch on the CPU in float64. Tests reach torch only through here."""

from __future__ import annotations

import numpy as np


def torch():
    """The torch module, imported on first use so the CLI stays quick.

    The references are tiny: one thread computes them faster than several that fight over the cores
    (pytest -n 2 runs two workers on a 2-core machine), and the same way in every process."""
    import torch as _torch

    if _torch.get_num_threads() != 1:
        _torch.set_num_threads(1)
    return _torch


def tensor(x, grad: bool = False):
    """A float64 CPU tensor of `x` (bool and integer arrays keep their kind)."""
    t = torch().from_numpy(np.array(x, copy=True))
    if t.is_floating_point():
        t = t.to(torch().float64)
    return t.requires_grad_(grad)


def numpy(t, dtype=np.float64) -> np.ndarray:
    """A NumPy copy of a tensor, cast to the dtype the learner must return."""
    return t.detach().cpu().numpy().astype(dtype, copy=True)


def grads(outputs, inputs, grad_outputs) -> list:
    """d(outputs)/d(inputs) weighted by grad_outputs, as tensors."""
    return list(torch().autograd.grad(outputs, inputs, grad_outputs=grad_outputs))
