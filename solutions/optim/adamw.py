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
        # BEGIN SOLUTION: check the hyperparameters, keep the caller's arrays (not copies), give each zero moments (and a zero v_max)
        if not lr >= 0:
            raise ValueError(f"lr must be >= 0, got {lr}")
        if not eps >= 0:
            raise ValueError(f"eps must be >= 0, got {eps}")
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas}")
        for k, beta in enumerate(betas):
            if not 0 <= beta < 1:
                raise ValueError(f"betas[{k}] must be in [0, 1), got {beta}")
        if not weight_decay >= 0:
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay}")
        self.params = list(params)  # the caller's arrays themselves
        self.lr, self.betas, self.eps = lr, tuple(betas), eps
        self.weight_decay, self.amsgrad = weight_decay, amsgrad
        self.exp_avg = [np.zeros_like(p) for p in self.params]  # m, one per parameter, shaped like it
        self.exp_avg_sq = [np.zeros_like(p) for p in self.params]  # v
        self.max_exp_avg_sq = [np.zeros_like(p) for p in self.params] if amsgrad else None  # v_max
        self.t = 0
        # END SOLUTION

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
        # BEGIN SOLUTION: t += 1; per parameter: p *= 1 - lr * wd, update m and v (and v_max), p -= lr / bias1 * m / (sqrt(v) / sqrt(bias2) + eps)
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError(f"grads has {len(grads)} arrays but there are {len(self.params)} params")
        self.t += 1
        lr, (beta1, beta2) = self.lr, self.betas  # self.lr read now: a scheduler may have changed it
        bias1 = 1.0 - beta1 ** self.t
        bias2 = 1.0 - beta2 ** self.t
        for k, (p, g) in enumerate(zip(self.params, grads)):
            if np.shape(g) != p.shape:
                raise ValueError(f"a gradient has shape {np.shape(g)} but its parameter has shape {p.shape}")
            m, v = self.exp_avg[k], self.exp_avg_sq[k]
            p *= 1.0 - lr * self.weight_decay  # decoupled decay, before the Adam step
            m *= beta1
            m += (1.0 - beta1) * g
            v *= beta2
            v += (1.0 - beta2) * g * g
            if self.amsgrad:
                np.maximum(self.max_exp_avg_sq[k], v, out=self.max_exp_avg_sq[k])  # of the raw v
                v = self.max_exp_avg_sq[k]
            p -= (lr / bias1) * m / (np.sqrt(v) / np.sqrt(bias2) + self.eps)  # in place
        # END SOLUTION
