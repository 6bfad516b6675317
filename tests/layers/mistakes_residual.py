"""Classic wrong answers to layers.residual, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake

KEYS = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")


def _unpack(x, params):
    w1, b1, w2, b2 = (params[k] for k in KEYS)
    if x.ndim != 2 or x.shape[1] != w1.shape[1] or w2.shape != (x.shape[1], w1.shape[0]):
        raise ValueError("shapes do not chain")
    return w1, b1, w2, b2


def _parts(x, params):
    """(w1, w2, z, a, branch output) of the forward pass."""
    w1, b1, w2, b2 = _unpack(x, params)
    z = x @ w1.T + b1
    a = np.maximum(z, 0)
    return w1, w2, z, a, a @ w2.T + b2


def _pack(grad_out, grad_x, gw1, gb1, gw2, gb2):
    dtype = grad_out.dtype
    return grad_x.astype(dtype), {k: v.astype(dtype) for k, v in zip(KEYS, (gw1, gb1, gw2, gb2))}


def _backward(grad_out, x, params, skip=True, mask_at_zero=False, bias_mean=False, transposed=False,
              relu_after_sum=False):
    """The backward pass with one of several slips switched on."""
    if grad_out.shape != x.shape:
        raise ValueError("grad_out and x differ")
    w1, w2, z, a, branch = _parts(x, params)
    if relu_after_sum:
        grad_out = grad_out * (x + branch > 0)
    grad_z = (grad_out @ w2) * ((z >= 0) if mask_at_zero else (z > 0))
    reduce = (lambda t: t.mean(axis=0)) if bias_mean else (lambda t: t.sum(axis=0))
    gw1, gw2 = (x.T @ grad_z, a.T @ grad_out) if transposed else (grad_z.T @ x, grad_out.T @ a)
    grad_x = grad_z @ w1 + (grad_out if skip else 0)
    return _pack(grad_out, grad_x, gw1, reduce(grad_z), gw2, reduce(grad_out))


def _forward_no_skip(x, params):
    return _parts(x, params)[4].astype(x.dtype)


def _forward_relu_after_sum(x, params):
    return np.maximum(x + _parts(x, params)[4], 0).astype(x.dtype)


MISTAKES = [
    mistake(
        "skip_gradient_forgotten",
        title={"en": "grad_x without the skip path's gradient", "zh": "grad_x 漏掉了跳跃连接那一路的梯度"},
        why={"en": "x reaches the output twice: through the branch and straight through the '+ x'. The identity "
                   "passes grad_out back unchanged, so grad_x = grad_out + (gradient through the branch). That "
                   "extra grad_out is what lets gradients flow through very deep residual networks.",
             "zh": "x 通过两条路到达输出：一条经过分支，一条经过“+ x”直接相加。恒等映射会把 grad_out 原样传回，所以 "
                   "grad_x = grad_out + （经过分支传回的梯度）。正是这多出来的 grad_out 让梯度能在很深的残差网络中顺畅传递。"},
        residual_block_backward=lambda grad_out, x, params: _backward(grad_out, x, params, skip=False)),
    mistake(
        "relu_gradient_one_at_zero",
        title={"en": "the ReLU's gradient taken as 1 at 0 (z >= 0)", "zh": "ReLU 在 0 处的梯度取成了 1（用了 z >= 0）"},
        why={"en": "torch's ReLU passes no gradient where its input is exactly 0: the mask is z > 0, strict. With "
                   "z >= 0, inputs that land on 0 (a zero row meeting a zero bias, say) wrongly pass the gradient on.",
             "zh": "torch 的 ReLU 在输入恰好为 0 的地方不传梯度：掩码是严格的 z > 0。写成 z >= 0 时，恰好落在 0 上的输入"
                   "（比如全零的一行遇上为零的偏置）会错误地把梯度传下去。"},
        residual_block_backward=lambda grad_out, x, params: _backward(grad_out, x, params, mask_at_zero=True)),
    mistake(
        "bias_gradient_averaged",
        title={"en": "bias gradients averaged over the batch instead of summed", "zh": "偏置梯度对批次取了平均而不是求和"},
        why={"en": "Each bias is added to every sample, so its gradient collects every sample's contribution: "
                   "grad_z.sum(axis=0) and grad_out.sum(axis=0). Any averaging belongs to the loss, which already "
                   "shows in grad_out.",
             "zh": "每个偏置都加到了每个样本上，所以它的梯度要把所有样本的贡献加起来：grad_z.sum(axis=0) 和 "
                   "grad_out.sum(axis=0)。取平均是损失函数的事，已经体现在 grad_out 里了。"},
        residual_block_backward=lambda grad_out, x, params: _backward(grad_out, x, params, bias_mean=True)),
    mistake(
        "weight_gradients_transposed",
        title={"en": "weight gradients returned transposed (x.T @ grad_z)", "zh": "权重梯度的方向转置了（写成了 x.T @ grad_z）"},
        why={"en": "A weight's gradient has the weight's own shape: fc1.weight is (h, d), so its gradient is "
                   "grad_z.T @ x (h, d); fc2.weight is (d, h), so grad_out.T @ a. x.T @ grad_z is the transpose, "
                   "which only happens to fit when h == d.",
             "zh": "权重的梯度和权重本身形状相同：fc1.weight 是 (h, d)，梯度是 grad_z.T @ x，形状 (h, d)；fc2.weight 是 "
                   "(d, h)，梯度是 grad_out.T @ a。x.T @ grad_z 是它的转置，只有 h == d 时形状才碰巧对得上。"},
        residual_block_backward=lambda grad_out, x, params: _backward(grad_out, x, params, transposed=True)),
    mistake(
        "skip_left_out",
        title={"en": "the block without its skip connection (no + x)", "zh": "残差块漏了跳跃连接（没有 + x）"},
        why={"en": "A residual block returns x + fc2(relu(fc1(x))): the branch learns a correction to x, and x "
                   "itself is added back. Without '+ x' it is a plain two-layer MLP, and grad_x loses its "
                   "grad_out term too.",
             "zh": "残差块返回 x + fc2(relu(fc1(x)))：分支学的是对 x 的修正，x 本身还要加回去。少了“+ x”它就只是普通的"
                   "两层 MLP，grad_x 也会少掉 grad_out 那一项。"},
        residual_block=_forward_no_skip,
        residual_block_backward=lambda grad_out, x, params: _backward(grad_out, x, params, skip=False)),
    mistake(
        "relu_after_the_sum",
        title={"en": "a ReLU applied after the sum, relu(x + branch)", "zh": "在相加之后又加了 ReLU：relu(x + branch)"},
        why={"en": "The original ResNet block ends with a ReLU, but this block does not: it is x + fc2(relu(fc1(x))) "
                   "with the only ReLU inside the branch, between fc1 and fc2. The output is not clipped at 0.",
             "zh": "最初的 ResNet 块最后有一个 ReLU，但这个块没有：它是 x + fc2(relu(fc1(x)))，唯一的 ReLU 在分支里，"
                   "位于 fc1 和 fc2 之间。输出不会在 0 处截断。"},
        residual_block=_forward_relu_after_sum,
        residual_block_backward=lambda grad_out, x, params: _backward(grad_out, x, params, relu_after_sum=True)),
]
