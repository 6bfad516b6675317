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
    # BEGIN SOLUTION: branch = bn2(conv2(relu(bn1(conv1 with stride)))); shortcut = x or bn(1x1 conv with stride); relu(sum)
    _check(x, params, stride)
    branch = _conv(x, params["conv1.weight"], stride, 1)  # (N, P, H', W')
    branch = np.maximum(_batch_norm(branch, params, "bn1"), 0)
    branch = _batch_norm(_conv(branch, params["conv2.weight"], 1, 1), params, "bn2")  # (N, P, H', W')
    shortcut = x
    if "downsample.0.weight" in params:
        shortcut = _batch_norm(_conv(x, params["downsample.0.weight"], stride, 0), params, "downsample.1")
    return np.maximum(branch + shortcut, 0).astype(x.dtype, copy=False)
    # END SOLUTION


def _conv(x, weight, stride, padding):
    """A cross-correlation without bias: x (N, C, H, W), weight (O, C, k, k) -> (N, O, H', W')."""
    # BEGIN SOLUTION: pad; for each kernel tap take the strided slice it sees and contract the channels
    n, c, h, w = x.shape
    o, _, kh, kw = weight.shape
    out_h = (h + 2 * padding - kh) // stride + 1
    out_w = (w + 2 * padding - kw) // stride + 1
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))  # (N, C, H + 2p, W + 2p)
    out = np.zeros((n, o, out_h, out_w), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            seen = padded[:, :, i:i + stride * out_h:stride, j:j + stride * out_w:stride]  # (N, C, H', W')
            out += np.einsum("nchw,oc->nohw", seen, weight[:, :, i, j])  # (N, O, H', W')
    return out
    # END SOLUTION


def _batch_norm(z, params, name):
    """Eval-mode batch norm of z (N, C, H, W) with the statistics and affine parameters under `name`."""
    # BEGIN SOLUTION: per channel: (z - running_mean) / sqrt(running_var + eps) * weight + bias
    weight, bias, mean, var = (params[f"{name}.{f}"][None, :, None, None] for f in BN_FIELDS)  # (1, C, 1, 1)
    return (z - mean) / np.sqrt(var + EPS) * weight + bias
    # END SOLUTION


def _check(x, params, stride):
    """ValueError unless x, stride and every parameter fit one block."""
    # BEGIN SOLUTION: x 4-D; stride an int >= 1; the keys present; conv1 (P, C, 3, 3), conv2 (P, P, 3, 3), BN (P,); a shortcut that can be added
    if np.ndim(x) != 4:
        raise ValueError(f"x must be (N, C, H, W), not of shape {np.shape(x)}")
    if isinstance(stride, bool) or not isinstance(stride, (int, np.integer)) or stride < 1:
        raise ValueError(f"stride must be an int >= 1, not {stride!r}")
    names = ["conv1.weight", "conv2.weight"] + [f"{bn}.{f}" for bn in ("bn1", "bn2") for f in BN_FIELDS]
    if "downsample.0.weight" in params or any(k.startswith("downsample.") for k in params):
        names += ["downsample.0.weight"] + [f"downsample.1.{f}" for f in BN_FIELDS]
    missing = [k for k in names if k not in params]
    if missing:
        raise ValueError(f"params has no {missing}")
    c = x.shape[1]
    planes = params["conv1.weight"].shape[0]
    expected = {"conv1.weight": (planes, c, 3, 3), "conv2.weight": (planes, planes, 3, 3),
                "downsample.0.weight": (planes, c, 1, 1)}
    for k in names:
        shape = expected.get(k, (planes,))
        if params[k].shape != shape:
            raise ValueError(f"params[{k!r}] is {params[k].shape} but must be {shape} for x with {c} channels "
                             f"and conv1 with {planes} filters")
    if "downsample.0.weight" not in params and (stride != 1 or planes != c):
        raise ValueError(f"without downsample.* in params the shortcut is x itself, which cannot be added to the "
                         f"branch when stride={stride} or the channels change from {c} to {planes}")
    # END SOLUTION
