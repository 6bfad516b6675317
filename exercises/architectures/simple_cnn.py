"""A small image classifier: two convolution stages and a linear layer."""

import numpy as np

KEYS = ("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc.weight", "fc.bias")


def simple_cnn(x, params):
    """conv1, ReLU, max-pool 2, conv2, ReLU, max-pool 2, flatten, fc: the logits of each image.

    The network, restated so this file stands alone: conv1 and conv2 are 3x3 cross-correlations
    (the kernel not flipped, as nn.Conv2d) with padding 1 and stride 1, each with its bias, so they
    keep the image's size; max-pool 2 keeps the largest of each 2x2 block, stride 2, dropping a last
    odd row or column (floor, as nn.MaxPool2d(2)); flatten turns each image's (C2, H / 4, W / 4)
    feature maps into one row in torch's order, channel first, then row, then column
    (x.reshape(N, -1) on the NCHW array); fc is a Linear, z @ weight.T + bias.

    Args:
        x: the images, (N, C, H, W) with H, W >= 4, float32 or float64.
        params: a dict in x's dtype with "conv1.weight" (C1, C, 3, 3), "conv1.bias" (C1,),
            "conv2.weight" (C2, C1, 3, 3), "conv2.bias" (C2,), "fc.weight" (K, C2 * (H // 2 // 2) *
            (W // 2 // 2)) and "fc.bias" (K,). Other keys are ignored. Not modified.

    Returns:
        the logits, (N, K), in x's dtype.

    Raises:
        ValueError: if x is not 4-D or smaller than 4x4, a key is missing, or a weight's shape does not
            fit the one before it (conv1's channels, conv2's channels, fc's in-features).

    Shapes:
        x: (N, C, H, W) -> conv1 (N, C1, H, W) -> pool (N, C1, H // 2, W // 2) -> conv2 (N, C2, H // 2, W // 2)
        -> pool (N, C2, H // 2 // 2, W // 2 // 2) -> flatten (N, C2 * H // 2 // 2 * W // 2 // 2) -> fc (N, K)

    PyTorch: a module with conv1 = nn.Conv2d(C, C1, 3, padding=1), conv2 = nn.Conv2d(C1, C2, 3, padding=1),
        fc = nn.Linear(F, K), holding params; forward fc(flatten(pool(relu(conv2(pool(relu(conv1(x)))))))).
    """
    # TODO: two stages of conv (padding 1) + ReLU + 2x2 max-pool, then x.reshape(N, -1) and the linear layer
    raise NotImplementedError("architectures.simple_cnn: simple_cnn")


def _conv3x3(x, weight, bias):
    """A 3x3 cross-correlation with padding 1, stride 1 and a bias: (N, C, H, W) -> (N, O, H, W)."""
    # TODO: pad by 1; add, for each of the 9 taps, the shifted image contracted with that tap's weights
    raise NotImplementedError("architectures.simple_cnn: _conv3x3")


def _max_pool2(x):
    """The largest of each 2x2 block, stride 2, a last odd row or column dropped: (N, C, H, W) -> (N, C, H // 2, W // 2)."""
    # TODO: crop to even sizes, split each axis into (H // 2, 2) and take the max over the two 2s
    raise NotImplementedError("architectures.simple_cnn: _max_pool2")


def _check(x, params):
    """ValueError unless x is (N, C, H, W) of at least 4x4 and the six parameters chain."""
    # TODO: every key; x 4-D, H, W >= 4; conv1 (C1, C, 3, 3), conv2 (C2, C1, 3, 3), fc (K, C2 * H//4 * W//4); biases to match
    raise NotImplementedError("architectures.simple_cnn: _check")
