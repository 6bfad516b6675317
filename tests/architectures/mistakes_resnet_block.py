"""Classic wrong answers to architectures.resnet_block, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake

FIELDS = ("weight", "bias", "running_mean", "running_var")


def _conv(x, weight, stride, padding):
    n, c, h, w = x.shape
    o, _, k, _ = weight.shape
    oh, ow = (h + 2 * padding - k) // stride + 1, (w + 2 * padding - k) // stride + 1
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.zeros((n, o, oh, ow), dtype=x.dtype)
    for i in range(k):
        for j in range(k):
            out += np.einsum("nchw,oc->nohw", xp[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride],
                             weight[:, :, i, j])
    return out


def _bn(z, params, name, batch_stats=False, eps_outside=False):
    w, b, mean, var = (params[f"{name}.{f}"][None, :, None, None] for f in FIELDS)
    if batch_stats:
        mean, var = z.mean(axis=(0, 2, 3), keepdims=True), z.var(axis=(0, 2, 3), keepdims=True)
    scale = np.sqrt(var) + 1e-5 if eps_outside else np.sqrt(var + 1e-5)
    return (z - mean) / scale * w + b


def _check(x, params, stride):
    if np.ndim(x) != 4 or stride < 1:
        raise ValueError("bad x or stride")
    keys = ["conv1.weight", "conv2.weight"] + [f"{b}.{f}" for b in ("bn1", "bn2") for f in FIELDS]
    if any(k.startswith("downsample.") for k in params):
        keys += ["downsample.0.weight"] + [f"downsample.1.{f}" for f in FIELDS]
    if any(k not in params for k in keys):
        raise ValueError("a key is missing")
    p, c = params["conv1.weight"].shape[:2]
    if c != x.shape[1] or params["conv2.weight"].shape != (p, p, 3, 3):
        raise ValueError("shapes do not fit")
    if "downsample.0.weight" not in params and (stride != 1 or p != c):
        raise ValueError("the shortcut cannot be added")


def _block(x, params, stride=1, relu_where="after", stride_on="conv1", downsample_stride=True,
           batch_stats=False, skip_downsample_bn=False, eps_outside=False):
    """The block with one of several slips switched on."""
    _check(x, params, stride)
    bn = lambda z, name: _bn(z, params, name, batch_stats, eps_outside)  # noqa: E731
    s1, s2 = (stride, 1) if stride_on == "conv1" else (1, stride)
    out = np.maximum(bn(_conv(x, params["conv1.weight"], s1, 1), "bn1"), 0)
    out = bn(_conv(out, params["conv2.weight"], s2, 1), "bn2")
    short = x
    if "downsample.0.weight" in params:
        short = _conv(x, params["downsample.0.weight"], stride if downsample_stride else 1, 0)
        if not downsample_stride:
            short = short[:, :, :out.shape[2], :out.shape[3]]  # cut to fit, as one does to silence the error
        short = short if skip_downsample_bn else bn(short, "downsample.1")
    if relu_where == "branch":
        total = np.maximum(out, 0) + short
    elif relu_where == "none":
        total = out + short
    else:
        total = np.maximum(out + short, 0)
    return total.astype(x.dtype)


def _with(**slip):
    return lambda x, params, stride=1: _block(x, params, stride, **slip)


MISTAKES = [
    mistake(
        "relu_before_the_sum",
        title={"en": "the last ReLU applied to the branch before the sum, not to the sum",
               "zh": "最后的 ReLU 作用在相加之前的分支上，而不是作用在和上"},
        why={"en": "In ResNet the block's output is relu(branch + shortcut). Rectifying the branch first and then "
                   "adding x lets negative inputs through untouched and stops a negative branch from cancelling a "
                   "positive input; the block then computes something else and its output is no longer >= 0.",
             "zh": "在 ResNet 中，块的输出是 relu(branch + shortcut)。先对分支做 ReLU 再加 x，会让负的输入原样通过，"
                   "也使得为负的分支无法抵消为正的输入；这样算出来的是另一个东西，输出也不再全都 >= 0。"},
        basic_block=_with(relu_where="branch")),
    mistake(
        "no_final_relu",
        title={"en": "no ReLU after the sum", "zh": "相加之后没有做 ReLU"},
        why={"en": "The basic block ends with a ReLU of branch + shortcut: bn2's output is not rectified on its own, "
                   "the sum is. Without it every negative value of the sum leaks into the next block.",
             "zh": "基本块以对 branch + shortcut 做 ReLU 结束：bn2 的输出本身不做 ReLU，做的是它们的和。"
                   "少了这一步，和里的所有负值都会漏进下一个块。"},
        basic_block=_with(relu_where="none")),
    mistake(
        "stride_on_conv2",
        title={"en": "the stride put on conv2 instead of conv1", "zh": "把步长放在了 conv2 上，而不是 conv1 上"},
        why={"en": "torchvision's BasicBlock downsamples in its first convolution: conv1 has the block's stride, "
                   "conv2 always stride 1. With padding 1 the output has the same shape either way, so only the "
                   "numbers show that conv2 looked at a full-size image and then skipped pixels.",
             "zh": "torchvision 的 BasicBlock 在第一个卷积里下采样：conv1 使用块的步长，conv2 的步长始终为 1。"
                   "由于 padding 为 1，两种写法输出的形状相同，只有数值能看出 conv2 先看了整幅图像再跳过像素。"},
        basic_block=_with(stride_on="conv2")),
    mistake(
        "downsample_without_stride",
        title={"en": "the downsample's 1x1 convolution without the block's stride",
               "zh": "下采样的 1x1 卷积没有使用块的步长"},
        why={"en": "The shortcut must land on the same grid as the branch: when conv1 has stride 2, the 1x1 "
                   "convolution in downsample.0 has stride 2 too, and so takes every second pixel. At stride 1 it "
                   "keeps the full image, which no longer fits, and cropping it to fit adds the wrong pixels.",
             "zh": "捷径必须落在和分支相同的网格上：conv1 的步长为 2 时，downsample.0 中的 1x1 卷积步长也是 2，"
                   "即每隔一个像素取一个。步长为 1 时它保留整幅图像，尺寸对不上，裁剪到合适尺寸后加上的也是错误的像素。"},
        basic_block=_with(downsample_stride=False)),
    mistake(
        "batch_statistics_in_eval",
        title={"en": "batch norm with the batch's statistics instead of the running ones",
               "zh": "批归一化用了当前批次的统计量，而不是滑动统计量"},
        why={"en": "An architecture used for inference runs in eval mode: every batch norm normalises with its "
                   "running_mean and running_var, fixed numbers learned in training. The batch's own mean and "
                   "variance make each sample's output depend on the rest of the batch.",
             "zh": "用于推理的网络运行在 eval 模式下：每个批归一化都用训练中学到的固定值 running_mean 和 running_var "
                   "来归一化。用当前批次自己的均值和方差，会让每个样本的输出依赖于同一批里的其他样本。"},
        basic_block=_with(batch_stats=True)),
    mistake(
        "downsample_bn_skipped",
        title={"en": "the downsample's batch norm skipped (the 1x1 convolution alone as the shortcut)",
               "zh": "跳过了下采样里的批归一化（只用 1x1 卷积作为捷径）"},
        why={"en": "downsample is a Sequential of two layers: the 1x1 convolution downsample.0 and the batch norm "
                   "downsample.1. The second puts the shortcut on the same scale as the branch, which bn2 has "
                   "normalised; without it the two halves of the sum are weighted differently.",
             "zh": "downsample 是由两层组成的 Sequential：1x1 卷积 downsample.0 和批归一化 downsample.1。"
                   "后者让捷径和已经被 bn2 归一化的分支处在同一尺度上；少了它，和的两部分权重就不一样了。"},
        basic_block=_with(skip_downsample_bn=True)),
    mistake(
        "eps_outside_the_root",
        title={"en": "eps added outside the square root (sqrt(var) + eps)", "zh": "eps 加在了平方根外面（sqrt(var) + eps）"},
        why={"en": "Batch norm divides by sqrt(running_var + eps). With eps = 1e-5 and variances near 1 the two "
                   "forms differ in the fifth digit only, but for a channel whose variance is near eps, "
                   "sqrt(var) + eps is far smaller than sqrt(var + eps) and that channel is blown up.",
             "zh": "批归一化除以的是 sqrt(running_var + eps)。eps = 1e-5 且方差接近 1 时，两种写法只在第五位小数上不同；"
                   "但如果某个通道的方差接近 eps，sqrt(var) + eps 会比 sqrt(var + eps) 小得多，这个通道就被放大了。"},
        basic_block=_with(eps_outside=True)),
]
