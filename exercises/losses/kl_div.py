"""The Kullback-Leibler divergence loss, with the input given as log-probabilities, and its gradient."""

import numpy as np

REDUCTIONS = ("none", "batchmean", "sum", "mean")


def kl_div(input, target, reduction="mean", log_target=False):
    """The pointwise KL divergence KL(target || model) with the model given as `input` = log q.

    Pointwise, with log_target=False: target * (log(target) - input), and exactly 0 where
    target == 0 (the limit of t * log t; compute it without taking log(0)). With log_target=True
    the target is given as log-probabilities too: exp(target) * (target - input).
    Note the order: `input` holds the MODEL's log-probabilities, `target` the data distribution.

    Args:
        input: log-probabilities, any shape, float32 or float64.
        target: probabilities (log-probabilities with log_target=True), a shape that broadcasts
            with `input` (as in PyTorch; normally the same shape).
        reduction: "mean" (the default: the average over EVERY element, which is NOT the KL
            divergence of the rows), "batchmean" (the sum divided by N = input.shape[0], the
            mathematical KL divergence per sample; for a 0-d input the sum), "sum", or "none".
        log_target: whether `target` holds log-probabilities.

    Returns:
        For "mean", "batchmean" and "sum" a scalar (a NumPy scalar or a 0-d array) in the dtype of
        `input`; for "none" an array of the broadcast shape of `input` and `target`.

    Raises:
        ValueError: if `reduction` is not one of "none", "batchmean", "sum", "mean", or if the
            shapes of `input` and `target` cannot be broadcast together.

    Shapes:
        input: (N, *), target: (N, *) -> () for the reductions, (N, *) for "none"

    PyTorch: torch.nn.functional.kl_div(input, target, reduction=reduction, log_target=log_target)
    """
    # TODO: target * (log target - input), 0 where target is 0; then reduce
    raise NotImplementedError("losses.kl_div: kl_div")


def kl_div_backward(input, target, reduction="mean", log_target=False):
    """The gradient of kl_div(input, target, reduction, log_target) with respect to `input`.

    d/d(input) of the pointwise loss is -target (-exp(target) with log_target=True). "mean"
    divides by the number of elements of the pointwise loss, "batchmean" by input.shape[0];
    for "none" return the gradient of the SUM of the pointwise losses.

    Args:
        input, target, reduction, log_target: as in kl_div.

    Returns:
        dL/d(input), an array with the shape and dtype of `input` (where `target` stretched
        `input` by broadcasting, the gradient of the copies is added up).

    Raises:
        ValueError: as kl_div.

    Shapes:
        input: (N, *), target: (N, *) -> (N, *)

    PyTorch: torch.autograd.grad(kl_div(input, target, ...), input, grad_outputs=torch.ones_like(loss))
    """
    # TODO: -target (or -exp(target)), scaled as the reduction divides
    raise NotImplementedError("losses.kl_div: kl_div_backward")


def _check(input, target, reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction={reduction!r} is not one of {REDUCTIONS}")
    try:
        np.broadcast_shapes(np.shape(input), np.shape(target))
    except ValueError:
        raise ValueError(f"input of shape {np.shape(input)} and target of shape {np.shape(target)} "
                         "cannot be broadcast together") from None
