"""Classic wrong answers to autograd.mlp_backprop, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake

KEYS = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")


def _check(x, y, params):
    if any(k not in params for k in KEYS):
        raise ValueError("a key is missing")
    w1, b1, w2, b2 = (params[k] for k in KEYS)
    if x.ndim != 2 or y.ndim != 1 or len(y) != len(x) or w1.shape[1] != x.shape[1] or b1.shape != w1.shape[:1] \
            or w2.shape[1] != w1.shape[0] or b2.shape != w2.shape[:1] or y.min() < 0 or y.max() >= w2.shape[0]:
        raise ValueError("bad input")
    return w1, b1, w2, b2


def _run(x, y, params, per_sample=True, onehot="right", mask_at_zero=False, bias_mean=False, transposed=False,
         unstable=False, loss_sum=False, mask_layer="fc1"):
    """Loss and gradients with one of several slips switched on."""
    w1, b1, w2, b2 = _check(x, y, params)
    n, rows = x.shape[0], np.arange(x.shape[0])
    with np.errstate(all="ignore"):
        z1 = x @ w1.T + b1
        a1 = np.maximum(z1, 0)
        logits = a1 @ w2.T + b2
        shifted = logits if unstable else logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        p = e / e.sum(axis=1, keepdims=True)
        log_p = np.log(p) if unstable else shifted - np.log(e.sum(axis=1, keepdims=True))
        loss = -log_p[rows, y].sum() if loss_sum else -log_p[rows, y].mean()
        g = p.copy()
        if onehot == "right":
            g[rows, y] -= 1
        elif onehot == "columns":
            g[:, y] -= 1
        if per_sample and not loss_sum:
            g /= n
        if mask_layer == "logits":
            g = g * (logits > 0)
        grad_a1 = g @ w2
        if mask_layer == "fc1":
            grad_z1 = grad_a1 * ((z1 >= 0) if mask_at_zero else (z1 > 0))
        else:
            grad_z1 = grad_a1
        reduce = (lambda t: t.mean(axis=0)) if bias_mean else (lambda t: t.sum(axis=0))
        gw1, gw2 = ((x.T @ grad_z1), (a1.T @ g)) if transposed else ((grad_z1.T @ x), (g.T @ a1))
    grads = dict(zip(KEYS, (gw1, reduce(grad_z1), gw2, reduce(g))))
    return x.dtype.type(loss), {k: v.astype(x.dtype) for k, v in grads.items()}


def _with(**slip):
    return lambda x, y, params: _run(x, y, params, **slip)


MISTAKES = [
    mistake(
        "gradient_not_divided_by_n",
        title={"en": "the gradient of the sum, not of the mean (no division by N)",
               "zh": "求的是总和的梯度而不是平均值的梯度（没有除以 N）"},
        why={"en": "The loss is the MEAN over the batch, so every sample's share of it carries a factor 1/N: "
                   "d loss / d logits = (softmax - onehot) / N. Leave the 1/N out and every gradient is N times "
                   "too large, which only a batch of one hides.",
             "zh": "损失是整个批次的平均值，所以每个样本对它的贡献都带着 1/N：d loss / d logits = (softmax - onehot) / N。"
                   "漏掉 1/N，所有梯度都会大 N 倍，只有批次大小为 1 时才看不出来。"},
        mlp_loss_and_grads=_with(per_sample=False)),
    mistake(
        "onehot_not_subtracted",
        title={"en": "softmax taken as the gradient of the logits (the one-hot never subtracted)",
               "zh": "把 softmax 本身当成了 logits 的梯度（没有减去 one-hot）"},
        why={"en": "The gradient of -log softmax(z)[y] with respect to z is softmax(z) - onehot(y): the target "
                   "class gets p - 1, the others p. Without the -1 every gradient entry is positive and training "
                   "would push every logit down, the right one included.",
             "zh": "-log softmax(z)[y] 对 z 的梯度是 softmax(z) - onehot(y)：目标类别是 p - 1，其他类别是 p。"
                   "少了这个 -1，梯度的每一项都是正的，训练会把所有 logit 都往下压，包括正确类别的那个。"},
        mlp_loss_and_grads=_with(onehot="none")),
    mistake(
        "onehot_wrong_indexing",
        title={"en": "the one-hot subtracted as p[:, y] -= 1 (whole columns), not p[np.arange(N), y] -= 1",
               "zh": "用 p[:, y] -= 1 减去 one-hot（整列都减了），而不是 p[np.arange(N), y] -= 1"},
        why={"en": "p[:, y] picks whole COLUMNS: every row loses 1 at every class that is some sample's target. "
                   "Each row must lose 1 at its own target only, which is the pair index p[np.arange(N), y]. With a "
                   "batch of one the two agree, so the slip shows only from N = 2 on.",
             "zh": "p[:, y] 选中的是整列：每一行都会在所有出现过的目标类别上减 1。每一行只应在它自己的目标类别上减 1，"
                   "这要用成对的索引 p[np.arange(N), y]。批次大小为 1 时两者相同，所以从 N = 2 起才会暴露。"},
        mlp_loss_and_grads=_with(onehot="columns")),
    mistake(
        "relu_gradient_one_at_zero",
        title={"en": "the ReLU's gradient taken as 1 at 0 (z1 >= 0)", "zh": "ReLU 在 0 处的梯度取成了 1（用了 z1 >= 0）"},
        why={"en": "torch's ReLU passes no gradient where its input is exactly 0: the mask is z1 > 0, strict. "
                   "Pre-activations land on exactly 0 more often than one thinks (a zero input row and a zero bias, "
                   "a unit whose weights are all 0), and there z1 >= 0 wrongly lets the gradient through.",
             "zh": "torch 的 ReLU 在输入恰好为 0 的地方不传梯度：掩码是严格的 z1 > 0。激活前的值恰好为 0 的情况比想象中多"
                   "（全零的输入行遇上为零的偏置、权重全为 0 的隐藏单元），这时 z1 >= 0 会错误地让梯度通过。"},
        mlp_loss_and_grads=_with(mask_at_zero=True)),
    mistake(
        "bias_gradient_averaged",
        title={"en": "bias gradients averaged over the batch (divided by N twice)",
               "zh": "偏置梯度对批次取了平均（等于除了两次 N）"},
        why={"en": "The 1/N of the mean is already inside d loss / d logits. A bias is added to every sample, so "
                   "its gradient is the SUM over the batch of the gradient at its layer's output; averaging there "
                   "divides by N a second time.",
             "zh": "平均值带来的 1/N 已经包含在 d loss / d logits 里了。偏置加到了每个样本上，所以它的梯度是该层输出处"
                   "梯度对整个批次的求和；在这里再取平均，就又除了一次 N。"},
        mlp_loss_and_grads=_with(bias_mean=True)),
    mistake(
        "weight_gradients_transposed",
        title={"en": "weight gradients returned transposed (x.T @ grad_z1 instead of grad_z1.T @ x)",
               "zh": "权重梯度转置了（写成了 x.T @ grad_z1，而不是 grad_z1.T @ x）"},
        why={"en": "A weight's gradient has the weight's own shape, (out, in) as nn.Linear stores it: fc1.weight "
                   "is (H, D), so its gradient is grad_z1.T @ x; fc2.weight is (C, H), so grad_logits.T @ a1. "
                   "x.T @ grad_z1 is the transpose, which fits only when the sizes happen to be equal.",
             "zh": "权重的梯度和权重本身形状相同，按 nn.Linear 的存法是 (out, in)：fc1.weight 是 (H, D)，梯度是 "
                   "grad_z1.T @ x；fc2.weight 是 (C, H)，梯度是 grad_logits.T @ a1。x.T @ grad_z1 是它的转置，"
                   "只有各维大小碰巧相等时形状才对得上。"},
        mlp_loss_and_grads=_with(transposed=True)),
    mistake(
        "unstable_softmax",
        title={"en": "softmax without subtracting the largest logit (overflow for large logits)",
               "zh": "softmax 没有先减去最大的 logit（logit 很大时溢出）"},
        why={"en": "np.exp(1000) is inf, and inf / inf is nan. softmax(z) equals softmax(z - max(z)) for every "
                   "row, and after the shift the largest exponent is exp(0) = 1, so nothing overflows. Compute "
                   "log-softmax as shifted - log(sum(exp(shifted))) rather than log(softmax), which gives -inf "
                   "where a probability underflows to 0.",
             "zh": "np.exp(1000) 是 inf，而 inf / inf 是 nan。对每一行都有 softmax(z) = softmax(z - max(z))，平移之后最大的"
                   "指数是 exp(0) = 1，就不会溢出。log-softmax 要写成 shifted - log(sum(exp(shifted)))，不要写成 "
                   "log(softmax)：概率下溢为 0 时后者会得到 -inf。"},
        mlp_loss_and_grads=_with(unstable=True)),
    mistake(
        "loss_summed",
        title={"en": "the loss summed over the batch instead of averaged", "zh": "损失对批次求和而不是取平均"},
        why={"en": "F.cross_entropy's default reduction is 'mean': the loss is the average of the N per-sample "
                   "losses, and its gradients carry the matching 1/N. A summed loss grows with the batch size, and "
                   "so would the step a fixed learning rate takes.",
             "zh": "F.cross_entropy 默认的 reduction 是 'mean'：损失是 N 个样本损失的平均值，梯度里也带着相应的 1/N。"
                   "求和的损失会随批次大小增长，固定学习率下每一步的步长也会跟着变大。"},
        mlp_loss_and_grads=_with(loss_sum=True)),
    mistake(
        "relu_mask_on_the_logits",
        title={"en": "the ReLU mask applied at the wrong layer (logits > 0 instead of z1 > 0)",
               "zh": "ReLU 掩码用错了层（用了 logits > 0，而不是 z1 > 0）"},
        why={"en": "The only ReLU sits between fc1 and fc2, so its mask belongs to fc1's output z1: grad_z1 = "
                   "(grad_logits @ W2) * (z1 > 0). The logits go straight into the softmax and have no ReLU: "
                   "masking the gradient there drops the classes with negative logits and lets the dead hidden "
                   "units pass the gradient.",
             "zh": "唯一的 ReLU 位于 fc1 和 fc2 之间，所以它的掩码属于 fc1 的输出 z1：grad_z1 = (grad_logits @ W2) * (z1 > 0)。"
                   "logits 直接进入 softmax，后面没有 ReLU：在那里用掩码会丢掉 logit 为负的类别的梯度，还会让已经关闭的"
                   "隐藏单元把梯度传下去。"},
        mlp_loss_and_grads=_with(mask_layer="logits")),
    mistake(
        "relu_mask_forgotten",
        title={"en": "the gradient passed through the ReLU unmasked", "zh": "梯度穿过 ReLU 时没有乘掩码"},
        why={"en": "Where z1 <= 0 the ReLU outputs a constant 0, so a small change of z1 there changes nothing: "
                   "the gradient must stop. grad_z1 = grad_a1 * (z1 > 0), with the mask saved from the forward pass.",
             "zh": "在 z1 <= 0 的地方，ReLU 的输出恒为 0，z1 的微小变化不会带来任何改变，所以梯度必须在这里停下："
                   "grad_z1 = grad_a1 * (z1 > 0)，掩码来自前向传播时保存的 z1。"},
        mlp_loss_and_grads=_with(mask_layer="none")),
]
