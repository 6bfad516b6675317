"""The basic residual block of ResNet-18 and ResNet-34, in eval mode."""

import numpy as np

EPS = 1e-5
BN_FIELDS = ("weight", "bias", "running_mean", "running_var")


def basic_block(x, params, stride=1):
    """torchvision's BasicBlock: two 3x3 convolutions with batch norm, a shortcut, and a ReLU after the sum.

    The block, restated so this file stands alone:
        branch = bn2(conv2(relu(bn1(conv1(x)))))
        out = relu(branch + shortcut(x))
    conv1 is 3x3 with padding 1 and the block's stride, conv2 3x3 with padding 1 and stride 1, neither
    with a bias (the batch norm after each supplies the shift). The shortcut is x itself, or, when
    params holds "downsample.0.weight", a 1x1 convolution with the block's stride (no padding, no
    bias) followed by the batch norm "downsample.1". Every batch norm is in eval mode:
    (z - running_mean) / sqrt(running_var + 1e-5) * weight + bias, per channel. The convolutions are
    cross-correlations, as in torch: the kernel is not flipped.

    Args:
        x: the input, (N, C, H, W), float32 or float64.
        params: the block's state_dict, in x's dtype: "conv1.weight" (P, C, 3, 3), "bn1.weight",
            "bn1.bias", "bn1.running_mean", "bn1.running_var" (each (P,)), "conv2.weight" (P, P, 3, 3),
            "bn2.*" likewise, and optionally "downsample.0.weight" (P, C, 1, 1) with "downsample.1.*"
            (P,). Other keys (such as "bn1.num_batches_tracked") are ignored. Not modified.
        stride: the stride of conv1 and of the downsampling convolution, an int >= 1.

    Returns:
        (N, P, H', W') in x's dtype, with H' = (H - 1) // stride + 1 and W' likewise.

    Raises:
        ValueError: if x is not 4-D, stride is not an int >= 1, a key is missing, a weight's shape does
            not fit, or the block has no downsample but its stride or channel count changes the shape
            (the shortcut could not be added).

    Shapes:
        x: (N, C, H, W) -> (N, P, (H - 1) // stride + 1, (W - 1) // stride + 1)

    PyTorch: torchvision.models.resnet.BasicBlock(C, P, stride, downsample) in eval mode, holding params.
    """
    # TODO: branch = bn2(conv2(relu(bn1(conv1 with stride)))); shortcut = x or bn(1x1 conv with stride); relu(sum)
    raise NotImplementedError("architectures.resnet_block: basic_block")


def _conv(x, weight, stride, padding):
    """A cross-correlation without bias: x (N, C, H, W), weight (O, C, k, k) -> (N, O, H', W')."""
    # TODO: pad; for each kernel tap take the strided slice it sees and contract the channels
    raise NotImplementedError("architectures.resnet_block: _conv")


def _batch_norm(z, params, name):
    """Eval-mode batch norm of z (N, C, H, W) with the statistics and affine parameters under `name`."""
    # TODO: per channel: (z - running_mean) / sqrt(running_var + eps) * weight + bias
    raise NotImplementedError("architectures.resnet_block: _batch_norm")


def _check(x, params, stride):
    """ValueError unless x, stride and every parameter fit one block."""
    # TODO: x 4-D; stride an int >= 1; the keys present; conv1 (P, C, 3, 3), conv2 (P, P, 3, 3), BN (P,); a shortcut that can be added
    raise NotImplementedError("architectures.resnet_block: _check")
