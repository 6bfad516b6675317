"""SGD: plain gradient steps, with optional momentum (heavy-ball or Nesterov), weight decay and maximize."""

import numpy as np


class SGD:
    """Stochastic gradient descent over a list of NumPy arrays, which `step` updates in place.

    Per parameter p with gradient grad, in PyTorch's order:

        g = -grad if maximize else grad           (maximize: climb instead of descend)
        g = g + weight_decay * p                  (L2 penalty, added after the sign flip)
        if momentum != 0:
            buf = g                               on the first step (a copy: no dampening yet)
            buf = momentum * buf + (1 - dampening) * g    on every later step
            g = g + momentum * buf if nesterov else buf
        p -= lr * g

    `lr` is an attribute that a scheduler may change between steps: each step reads self.lr.

    Args:
        params: a list of float arrays (float32 or float64). The optimiser keeps these very
            arrays and changes them in place, so the caller sees the new values.
        lr: the learning rate, >= 0.
        momentum: the momentum factor, >= 0 (0: no momentum buffer at all).
        dampening: how much of each new gradient is held back from the buffer after the first step.
        weight_decay: the L2 coefficient added to the gradient, >= 0.
        nesterov: use Nesterov momentum (needs momentum > 0 and dampening == 0).
        maximize: maximise the objective (step along the gradient) instead of minimising it.

    Raises:
        ValueError: if lr, momentum or weight_decay is negative, or nesterov is asked for
            without momentum > 0 and dampening == 0.

    Shapes:
        params: [p_0, p_1, ...], each of any shape; step(grads): grads[k] has the shape of p_k.
        The momentum buffer of p_k has the shape (and dtype) of p_k.

    PyTorch: torch.optim.SGD(params, lr=lr, momentum=momentum, dampening=dampening,
        weight_decay=weight_decay, nesterov=nesterov, maximize=maximize),
        then for each step: set every p.grad, optimizer.step().
    """

    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False,
                 maximize=False):
        # BEGIN SOLUTION: check the hyperparameters, keep the caller's arrays (not copies), no momentum buffers yet
        if not lr >= 0:
            raise ValueError(f"lr must be >= 0, got {lr}")
        if not momentum >= 0:
            raise ValueError(f"momentum must be >= 0, got {momentum}")
        if not weight_decay >= 0:
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError(f"nesterov needs momentum > 0 and dampening == 0, got momentum={momentum}, "
                             f"dampening={dampening}")
        self.params = list(params)  # the caller's arrays themselves
        self.lr, self.momentum, self.dampening = lr, momentum, dampening
        self.weight_decay, self.nesterov, self.maximize = weight_decay, nesterov, maximize
        self.momentum_buffer = [None] * len(self.params)  # made from the first gradient, one per parameter
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
        # BEGIN SOLUTION: per parameter: flip for maximize, add weight decay, update the buffer (a copy of g at first), p -= self.lr * g
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError(f"grads has {len(grads)} arrays but there are {len(self.params)} params")
        for k, (p, g) in enumerate(zip(self.params, grads)):
            if np.shape(g) != p.shape:
                raise ValueError(f"a gradient has shape {np.shape(g)} but its parameter has shape {p.shape}")
            g = -g if self.maximize else g  # a new array (or the caller's, only read from here on)
            if self.weight_decay != 0:
                g = g + self.weight_decay * p
            if self.momentum != 0:
                buf = self.momentum_buffer[k]
                if buf is None:
                    buf = self.momentum_buffer[k] = np.array(g, dtype=p.dtype, copy=True)  # the first step
                else:
                    buf *= self.momentum
                    buf += (1.0 - self.dampening) * g
                g = g + self.momentum * buf if self.nesterov else buf
            p -= self.lr * g  # in place; self.lr is read now, so a scheduler's change takes effect
        # END SOLUTION

