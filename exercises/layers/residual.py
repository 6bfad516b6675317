"""A residual block, x + Linear2(ReLU(Linear1(x))), and its backward pass through both paths."""

import numpy as np

KEYS = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")


def residual_block(x, params):
    """x plus a two-layer branch: x + fc2(relu(fc1(x))).

    The pieces, restated so this file stands alone: a Linear is z @ weight.T + bias with
    weight (out, in); relu(z) = max(z, 0). fc1 maps the d features to h hidden units and fc2
    maps them back to d, so that the branch can be added to x. No activation follows the sum.

    Args:
        x: the inputs, (N, d), float32 or float64.
        params: a dict with "fc1.weight" (h, d), "fc1.bias" (h,), "fc2.weight" (d, h) and
            "fc2.bias" (d,). Not modified.

    Returns:
        x + fc2(relu(fc1(x))), (N, d), in x's dtype.

    Raises:
        ValueError: if x's features do not match fc1's inputs, or fc2 does not map fc1's h
            hidden units back to x's d features.

    Shapes:
        x: (N, d) -> (N, d)

    PyTorch: x + fc2(torch.relu(fc1(x))) with fc1 = nn.Linear(d, h), fc2 = nn.Linear(h, d)
    """
    # TODO: the branch is Linear, ReLU, Linear; the skip adds x back unchanged
    raise NotImplementedError("layers.residual: residual_block")


def residual_block_backward(grad_out, x, params):
    """The gradients of a loss with respect to the block's input and parameters, given dL/d(output).

    With z = x @ fc1.weight.T + fc1.bias, a = relu(z) and y = x + a @ fc2.weight.T + fc2.bias,
    the gradient reaches x along two paths and the two add up: straight through the skip
    (grad_out itself) and back through the branch. ReLU's gradient is 1 where z > 0 and 0
    elsewhere (0 at z = 0, as torch). Each weight's gradient sums over the batch, as does each
    bias's.

    Args:
        grad_out: dL/dy, (N, d).
        x: the block's input in the forward pass, (N, d).
        params: the dict of the forward pass (see residual_block). Not modified.

    Returns:
        (grad_x, grads): grad_x (N, d), and grads a dict with exactly the keys of params:
        "fc1.weight" (h, d), "fc1.bias" (h,), "fc2.weight" (d, h), "fc2.bias" (d,); all in
        grad_out's dtype.

    Raises:
        ValueError: as residual_block, or if grad_out's shape differs from x's.

    Shapes:
        grad_out: (N, d), x: (N, d) -> grad_x (N, d), grads as params

    PyTorch: torch.autograd.grad(residual block output, [x, *parameters], grad_out)
    """
    # TODO: redo the forward pass, then back through fc2, the ReLU mask and fc1; add grad_out for the skip
    raise NotImplementedError("layers.residual: residual_block_backward")


def _unpack(x, params):
    """The four parameter arrays, after checking that the shapes chain: x (N, d), fc1 (h, d), fc2 (d, h)."""
    # TODO: fc1.weight must take x's d features, fc2.weight must give d back from fc1's h units
    raise NotImplementedError("layers.residual: _unpack")
