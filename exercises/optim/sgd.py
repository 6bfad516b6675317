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
        # TODO: check the hyperparameters, keep the caller's arrays (not copies), no momentum buffers yet
        raise NotImplementedError("optim.sgd: __init__")

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
        # TODO: per parameter: flip for maximize, add weight decay, update the buffer (a copy of g at first), p -= self.lr * g
        raise NotImplementedError("optim.sgd: step")

