"""Classic wrong answers to tensors.matmul, each named and explained (test code: np.matmul is fine here)."""

import numpy as np

from grader.testing.mistakes import mistake


def _promoted(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return (a[None, :] if a.ndim == 1 else a), (b[:, None] if b.ndim == 1 else b)


def _matmul_no_removal(a, b):
    return np.matmul(*_promoted(a, b))


def _matmul_elementwise(a, b):
    return np.asarray(a) * np.asarray(b)


def _matmul_sum_last_axis(a, b):
    a2, b2 = _promoted(a, b)
    out = (a2[..., :, :, None] * b2[..., None, :, :]).sum(axis=-1)
    return out[..., 0, :] if np.ndim(a) == 1 else out


def _sum_to(grad, shape):
    out = grad.sum(axis=tuple(range(grad.ndim - len(shape))))
    return out.sum(axis=tuple(i for i, n in enumerate(shape) if n == 1 and out.shape[i] != 1), keepdims=True)


def _full_grads(grad_out, a, b, transpose=True):
    """G B^T and A^T G (or G B and A G without the transposes) before any batch sum, and the promoted inputs."""
    a2, b2 = _promoted(a, b)
    g = np.asarray(grad_out)
    g = g[..., None] if np.ndim(b) == 1 else g
    g = g[..., None, :] if np.ndim(a) == 1 else g
    if transpose:
        return np.matmul(g, np.swapaxes(b2, -1, -2)), np.matmul(np.swapaxes(a2, -1, -2), g), a2, b2
    return np.matmul(g, b2), np.matmul(a2, g), a2, b2


def _backward_no_transpose(grad_out, a, b):
    ga, gb, a2, b2 = _full_grads(grad_out, a, b, transpose=False)
    return _sum_to(ga, a2.shape).reshape(np.shape(a)), _sum_to(gb, b2.shape).reshape(np.shape(b))


def _backward_no_batch_sum(grad_out, a, b):
    ga, gb, _, _ = _full_grads(grad_out, a, b)
    ga = ga[..., 0, :] if np.ndim(a) == 1 else ga
    gb = gb[..., 0] if np.ndim(b) == 1 else gb
    return ga, gb


def _backward_promoted_kept(grad_out, a, b):
    ga, gb, a2, b2 = _full_grads(grad_out, a, b)
    return _sum_to(ga, a2.shape), _sum_to(gb, b2.shape)


MISTAKES = [
    mistake(
        "promoted_kept",
        title={"en": "the dimension added to a 1-D input left in the result",
               "zh": "为一维输入添加的维度留在了结果里"},
        why={"en": "A vector a is used as a (1, K) row and a vector b as a (K, 1) column only for the product; "
                   "torch removes that dimension again, so (3,) times (3, 4) is (4,), and a vector times a "
                   "vector is a 0-d number. Drop the added row (out[..., 0, :]) and column (out[..., 0]).",
             "zh": "一维的 a 只是在乘法中被当成 (1, K) 的行，一维的 b 被当成 (K, 1) 的列；torch 算完会把这个维度去掉，"
                   "所以 (3,) 乘 (3, 4) 得到 (4,)，向量乘向量得到 0 维的数。要把添加的行（out[..., 0, :]）"
                   "和列（out[..., 0]）去掉。"},
        matmul=_matmul_no_removal),
    mistake(
        "elementwise",
        title={"en": "a * b (the elementwise product) instead of the matrix product",
               "zh": "用 a * b（逐元素相乘）代替矩阵乘法"},
        why={"en": "a * b multiplies entries at the same position; for square matrices it even has the right shape. "
                   "The matrix product sums over the shared size K: out[i, j] = sum over k of a[i, k] * b[k, j]. "
                   "Give a a new last axis and b a new axis before its rows, multiply, and sum over K.",
             "zh": "a * b 只是把同一位置的元素相乘，对方阵来说形状甚至是对的。矩阵乘法要对公共维度 K 求和："
                   "out[i, j] = 对 k 求和 a[i, k] * b[k, j]。给 a 加一个新的最后一维，给 b 在行之前加一个新维度，"
                   "相乘后对 K 求和。"},
        matmul=_matmul_elementwise),
    mistake(
        "sum_last_axis",
        title={"en": "summing the broadcast product over the last axis instead of K",
               "zh": "对广播后的乘积沿最后一维而不是 K 求和"},
        why={"en": "a[..., :, :, None] * b[..., None, :, :] has shape (..., M, K, N); the index shared by a and b "
                   "is K, the second to last axis. Summing axis -1 adds over N, which mixes different output "
                   "columns. Use .sum(axis=-2).",
             "zh": "a[..., :, :, None] * b[..., None, :, :] 的形状是 (..., M, K, N)；a 和 b 共有的下标是 K，"
                   "即倒数第二维。对 axis=-1 求和是在 N 上求和，把不同的输出列混在了一起。应使用 .sum(axis=-2)。"},
        matmul=_matmul_sum_last_axis),
    mistake(
        "no_transpose",
        title={"en": "backward as G B and A G, without the transposes",
               "zh": "反向传播写成 G B 和 A G，漏了转置"},
        why={"en": "For C = A B, dL/dA = G B^T and dL/dB = A^T G: entry (i, k) of dL/dA pairs row i of G with row "
                   "k of B. For square matrices the untransposed products have the right shape and wrong numbers. "
                   "Transpose only the last two axes.",
             "zh": "对 C = A B，dL/dA = G B^T，dL/dB = A^T G：dL/dA 的 (i, k) 元素是 G 的第 i 行与 B 的第 k 行配对。"
                   "对方阵来说，不转置的乘积形状正确而数值错误。只转置最后两个维度。"},
        matmul_backward=_backward_no_transpose),
    mistake(
        "no_batch_sum",
        title={"en": "gradients not summed over the broadcast batch dimensions",
               "zh": "梯度没有在广播出来的批量维度上求和"},
        why={"en": "A matrix shared by every batch entry (b of shape (K, N) against a of shape (B, M, K)) received "
                   "a gradient from each of them, so its gradient is the SUM over the batch and has b's own shape. "
                   "Sum the extra leading axes away and the axes where the input had size 1 (keepdims=True).",
             "zh": "被每个批量元素共用的矩阵（b 的形状为 (K, N)，a 为 (B, M, K)）从每个批量元素都得到一份梯度，"
                   "所以它的梯度是对整个批量的求和，形状与 b 本身相同。要把多出来的前导维求和消掉，"
                   "并在输入大小为 1 的维度上用 keepdims=True 求和。"},
        matmul_backward=_backward_no_batch_sum),
    mistake(
        "grad_promoted_kept",
        title={"en": "the gradient of a 1-D input returned as a row or column",
               "zh": "一维输入的梯度以行或列的形式返回"},
        why={"en": "Each gradient has the shape of its input: a vector a of shape (K,) gets a gradient of shape "
                   "(K,), not the (1, K) of its promoted row. Reshape the summed gradient to a.shape (and b.shape).",
             "zh": "每个梯度的形状都与对应的输入相同：形状为 (K,) 的向量 a 得到形状为 (K,) 的梯度，"
                   "而不是提升后那一行的 (1, K)。把求和后的梯度 reshape 成 a.shape（以及 b.shape）。"},
        matmul_backward=_backward_promoted_kept),
]
