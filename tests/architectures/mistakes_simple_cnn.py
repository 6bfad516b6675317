"""Classic wrong answers to architectures.simple_cnn, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake

KEYS = ("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc.weight", "fc.bias")


def _conv(x, weight, bias, padding=1, flip=False, use_bias=True):
    if flip:
        weight = weight[:, :, ::-1, ::-1]
    n, c, h, w = x.shape
    oh, ow = h + 2 * padding - 2, w + 2 * padding - 2
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.zeros((n, weight.shape[0], oh, ow), dtype=x.dtype)
    for i in range(3):
        for j in range(3):
            out += np.einsum("nchw,oc->nohw", xp[:, :, i:i + oh, j:j + ow], weight[:, :, i, j])
    return out + bias[None, :, None, None] if use_bias else out


def _pool(x, stride=2, ceil=False):
    n, c, h, w = x.shape
    if ceil:
        x = np.pad(x, ((0, 0), (0, 0), (0, h % 2), (0, w % 2)), constant_values=-np.inf)
        h, w = x.shape[2:]
    oh, ow = (h - 2) // stride + 1, (w - 2) // stride + 1
    out = np.full((n, c, oh, ow), -np.inf, dtype=x.dtype)
    for i in range(2):
        for j in range(2):
            out = np.maximum(out, x[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride][:, :, :oh, :ow])
    return out


def _net(x, params, nhwc=False, relu2=True, padding=1, pool_stride=2, flip=False, ceil=False, bias=True):
    """The network with one of several slips switched on; the fc is cut or padded to whatever the flatten gives."""
    if np.ndim(x) != 4 or any(k not in params for k in KEYS) or x.shape[1] != params["conv1.weight"].shape[1] \
            or min(x.shape[2:]) < 4:
        raise ValueError("bad input")
    h = _pool(np.maximum(_conv(x, params["conv1.weight"], params["conv1.bias"], padding, flip, bias), 0),
              pool_stride, ceil)
    h = _conv(h, params["conv2.weight"], params["conv2.bias"], padding, flip, bias)
    h = _pool(np.maximum(h, 0) if relu2 else h, pool_stride, ceil)
    flat = (h.transpose(0, 2, 3, 1) if nhwc else h).reshape(h.shape[0], -1)
    fc = params["fc.weight"]
    size = min(flat.shape[1], fc.shape[1])  # what a learner does to make the shapes meet
    return (flat[:, :size] @ fc[:, :size].T + params["fc.bias"]).astype(x.dtype)


def _with(**slip):
    return lambda x, params: _net(x, params, **slip)


MISTAKES = [
    mistake(
        "flatten_channels_last",
        title={"en": "the feature maps flattened channels last, (H, W, C), not in torch's (C, H, W) order",
               "zh": "特征图按通道在后 (H, W, C) 的顺序展平，而不是 torch 的 (C, H, W) 顺序"},
        why={"en": "fc's weight columns were laid out by torch.flatten on NCHW feature maps: all of channel 0's "
                   "positions first, then channel 1's. Transposing to NHWC before reshaping gives a row of the "
                   "same length in another order, so every weight meets the wrong feature.",
             "zh": "fc 权重的各列是按 torch.flatten 对 NCHW 特征图展平的顺序排列的：先是通道 0 的所有位置，再是通道 1 的。"
                   "先转成 NHWC 再 reshape，得到的行长度相同但顺序不同，每个权重都对上了错误的特征。"},
        simple_cnn=_with(nhwc=True)),
    mistake(
        "no_relu_after_conv2",
        title={"en": "no ReLU after conv2", "zh": "conv2 之后没有 ReLU"},
        why={"en": "Each stage is convolution, ReLU, pooling. Without the second ReLU the negative responses of "
                   "conv2 reach the pooling and the linear layer, and the two convolutions together are closer to "
                   "one linear map.",
             "zh": "每一级都是卷积、ReLU、池化。少了第二个 ReLU，conv2 的负响应会进入池化和线性层，两个卷积合起来也更接近"
                   "一个线性映射。"},
        simple_cnn=_with(relu2=False)),
    mistake(
        "conv_without_padding",
        title={"en": "the convolutions without padding (each shrinks the image by 2)",
               "zh": "卷积没有填充（每次都让图像缩小 2）"},
        why={"en": "padding=1 puts a ring of zeros around the image so that a 3x3 kernel gives an output as large "
                   "as its input. Without it each convolution loses the border, the second stage sees a smaller "
                   "image, and the flattened features no longer match fc.",
             "zh": "padding=1 会在图像周围补一圈 0，使 3x3 卷积的输出和输入一样大。没有它，每次卷积都丢掉边缘，"
                   "第二级看到的图像更小，展平后的特征数也和 fc 对不上了。"},
        simple_cnn=_with(padding=0)),
    mistake(
        "pool_stride_one",
        title={"en": "max-pooling with stride 1 (overlapping windows) instead of 2",
               "zh": "最大池化的步长用了 1（窗口重叠），而不是 2"},
        why={"en": "nn.MaxPool2d(2) means kernel 2 and, by default, stride equal to the kernel: the 2x2 windows sit "
                   "side by side and halve the image. With stride 1 they overlap, the image shrinks by one pixel "
                   "only, and the features that reach fc are different ones.",
             "zh": "nn.MaxPool2d(2) 表示卷积核为 2，步长默认等于卷积核：2x2 的窗口并排放置，把图像缩小一半。"
                   "步长为 1 时窗口互相重叠，图像只缩小一个像素，进入 fc 的特征也就不一样了。"},
        simple_cnn=_with(pool_stride=1)),
    mistake(
        "kernel_flipped",
        title={"en": "a true convolution (the kernel flipped) instead of torch's cross-correlation",
               "zh": "做了真正的卷积（把卷积核翻转了），而不是 torch 的互相关"},
        why={"en": "What deep learning calls convolution is a cross-correlation: weight[o, c, i, j] multiplies the "
                   "input at offset (i, j) of the window, with no flip. The textbook convolution flips the kernel "
                   "in both directions, which gives other numbers for the same weights.",
             "zh": "深度学习里说的卷积其实是互相关：weight[o, c, i, j] 乘的是窗口中偏移 (i, j) 处的输入，不翻转。"
                   "教科书上的卷积会把卷积核上下左右都翻转，同样的权重就会得到不同的结果。"},
        simple_cnn=_with(flip=True)),
    mistake(
        "pool_ceil",
        title={"en": "an odd last row or column pooled on its own (ceil) instead of dropped (floor)",
               "zh": "把最后一行或一列单独池化（向上取整），而不是丢掉它（向下取整）"},
        why={"en": "nn.MaxPool2d keeps only the windows that fit: a 7-row map gives 3 rows, and row 6 is dropped. "
                   "Pooling the leftover row as a window of its own gives ceil(7 / 2) = 4 rows, so more features "
                   "than fc has weights for.",
             "zh": "nn.MaxPool2d 只保留完整的窗口：7 行的特征图得到 3 行，第 6 行被丢掉。把剩下的那一行单独当作一个窗口池化，"
                   "会得到 ceil(7 / 2) = 4 行，特征数比 fc 的权重还多。"},
        simple_cnn=_with(ceil=True)),
    mistake(
        "conv_bias_dropped",
        title={"en": "the convolution biases left out", "zh": "漏掉了卷积的偏置"},
        why={"en": "nn.Conv2d has a bias by default, one number per output channel added at every position: "
                   "conv1.bias and conv2.bias are part of the network. Leaving them out shifts every feature map "
                   "and changes which values the ReLUs let through.",
             "zh": "nn.Conv2d 默认带偏置，每个输出通道一个数，加到每个位置上：conv1.bias 和 conv2.bias 都是网络的一部分。"
                   "漏掉它们会平移每张特征图，也会改变 ReLU 放行的那些值。"},
        simple_cnn=_with(bias=False)),
]
