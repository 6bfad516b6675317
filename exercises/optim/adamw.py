"""AdamW: Adam whose weight decay shrinks the weights directly instead of passing through the gradient."""

import numpy as np


class AdamW:
    """The AdamW optimiser over a list of NumPy arrays, which `step` updates in place.

    Every parameter keeps its own two moments (and, with amsgrad, the running maximum of v), all
    starting at zero, and a step count t. Per step, in PyTorch's order:

        p = p * (1 - lr * weight_decay)           (decoupled decay first: the gradient never sees it)
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad * grad
        v_max = max(v_max, v)                     (amsgrad only: the maximum of the raw v so far)
        denom = sqrt(v_max or v) / sqrt(1 - beta2 ** t) + eps
        p -= lr / (1 - beta1 ** t) * m / denom    (t counts steps from 1)

    `lr` is an attribute that a scheduler may change between steps: each step reads self.lr
    (for the decay and for the Adam step).

    Args:
        params: a list of float arrays (float32 or float64). The optimiser keeps these very
            arrays and changes them in place, so the caller sees the new values.
        lr: the learning rate, >= 0.
        betas: (beta1, beta2), the decay rates of the two moments, each in [0, 1).
        eps: added to the bias-corrected sqrt(v) so the division never blows up, >= 0.
        weight_decay: the decoupled decay rate, >= 0: each step multiplies p by 1 - lr * weight_decay.
        amsgrad: divide by the square root of the largest v seen so far instead of the current v.

    Raises:
        ValueError: if lr, eps or weight_decay is negative or a beta is outside [0, 1).

    Shapes:
        params: [p_0, p_1, ...], each of any shape; step(grads): grads[k] has the shape of p_k.
        The moments (and v_max) of p_k have the shape (and dtype) of p_k.

    PyTorch: torch.optim.AdamW(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
        amsgrad=amsgrad), then for each step: set every p.grad, optimizer.step().
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        # TODO: check the hyperparameters, keep the caller's arrays (not copies), give each zero moments (and a zero v_max)
        raise NotImplementedError("optim.adamw: __init__")

    def step(self, grads):
        """Update every parameter in place from its gradient.

        Args:
            grads: a list of arrays, grads[k] the gradient of the loss with respect to params[k].
                They are only read, never changed.

        Returns:
            None. The new values are in the parameter arrays themselves.

        Raises:
            ValueError: if `grads` does not hold one gradient per parameter.
        """
        # TODO: t += 1; per parameter: p *= 1 - lr * wd, update m and v (and v_max), p -= lr / bias1 * m / (sqrt(v) / sqrt(bias2) + eps)
        raise NotImplementedError("optim.adamw: step")
