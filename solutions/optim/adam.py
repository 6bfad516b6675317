"""Adam: per-element step sizes from running averages of the gradient and of its square."""

import numpy as np


class Adam:
    """The Adam optimiser over a list of NumPy arrays, which `step` updates in place.

    Every parameter keeps its own two moments, both starting at zero, and a step count t:

        g = grad + weight_decay * p               (L2 penalty folded into the gradient)
        m = beta1 * m + (1 - beta1) * g           (first moment: a smoothed direction)
        v = beta2 * v + (1 - beta2) * g * g       (second moment: a smoothed squared size)
        m_hat = m / (1 - beta1 ** t)              (t counts steps from 1: undoes the pull towards
        v_hat = v / (1 - beta2 ** t)               the zeros the moments started at)
        p -= lr * m_hat / (sqrt(v_hat) + eps)

    Args:
        params: a list of float arrays (float32 or float64). The optimiser keeps these very
            arrays and changes them in place, so the caller sees the new values.
        lr: the learning rate, >= 0.
        betas: (beta1, beta2), the decay rates of the two moments, each in [0, 1).
        eps: added to sqrt(v_hat) so the division never blows up, >= 0.
        weight_decay: the L2 coefficient added to the gradient (not AdamW's decoupled decay), >= 0.

    Raises:
        ValueError: if lr, eps or weight_decay is negative or a beta is outside [0, 1).

    Shapes:
        params: [p_0, p_1, ...], each of any shape; step(grads): grads[k] has the shape of p_k.
        The moments m and v of p_k have the shape (and dtype) of p_k.

    PyTorch: torch.optim.Adam(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay),
        then for each step: set every p.grad, optimizer.step().
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        # BEGIN SOLUTION: check the hyperparameters, keep the caller's arrays (not copies), and give each one zero moments
        _check_hyperparameters(lr, betas, eps, weight_decay)
        self.params = list(params)  # the caller's arrays themselves
        self.lr, self.betas, self.eps, self.weight_decay = lr, tuple(betas), eps, weight_decay
        self.exp_avg = [np.zeros_like(p) for p in self.params]  # m, one per parameter, shaped like it
        self.exp_avg_sq = [np.zeros_like(p) for p in self.params]  # v, one per parameter
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
        # BEGIN SOLUTION: t += 1; per parameter: add weight decay, update m and v, bias-correct, p -= lr * m_hat / (sqrt(v_hat) + eps)
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError(f"grads has {len(grads)} arrays but there are {len(self.params)} params")
        self.t += 1
        beta1, beta2 = self.betas
        bias1 = 1.0 - beta1 ** self.t  # small early on, where m is still pulled towards 0
        bias2 = 1.0 - beta2 ** self.t
        for p, g, m, v in zip(self.params, grads, self.exp_avg, self.exp_avg_sq):
            if np.shape(g) != p.shape:
                raise ValueError(f"a gradient has shape {np.shape(g)} but its parameter has shape {p.shape}")
            if self.weight_decay != 0:
                g = g + self.weight_decay * p  # a new array: the caller's gradient stays as it was
            m *= beta1
            m += (1.0 - beta1) * g
            v *= beta2
            v += (1.0 - beta2) * g * g
            p -= (self.lr / bias1) * m / (np.sqrt(v) / np.sqrt(bias2) + self.eps)  # in place
        # END SOLUTION


def _check_hyperparameters(lr, betas, eps, weight_decay):
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
