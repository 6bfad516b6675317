"""Classic wrong answers to layers.embedding, each named and explained."""

from functools import partial

import numpy as np

from grader.testing.mistakes import mistake


def _check(input, num_embeddings, padding_idx):
    """The input checks of a correct answer, so a mistake differs only where it is named."""
    input = np.asarray(input)
    if input.dtype.kind not in "iu":
        raise ValueError("input must hold integers")
    if input.size and (input.min() < 0 or input.max() >= num_embeddings):
        raise ValueError("index out of range")
    if padding_idx is not None and not -num_embeddings <= padding_idx < num_embeddings:
        raise ValueError("padding_idx out of range")


def _forward(input, weight, padding_idx=None, *, zero_padding=False):
    if np.ndim(weight) != 2:
        raise ValueError("weight must be 2-D")
    _check(input, weight.shape[0], padding_idx)
    out = weight[input]
    if zero_padding and padding_idx is not None:
        out = np.where((np.asarray(input) == padding_idx % weight.shape[0])[..., None], 0, out).astype(weight.dtype)
    return out


def _backward(grad_out, input, num_embeddings, padding_idx=None, *, accumulate="add_at", padding="zeroed",
              rows="num_embeddings"):
    """embedding_backward with knobs for the mistakes."""
    _check(input, num_embeddings, padding_idx)
    if np.shape(grad_out)[:-1] != np.shape(input):
        raise ValueError("grad_out must be input.shape + (D,)")
    idx, g = np.reshape(input, -1), grad_out.reshape(-1, grad_out.shape[-1])
    n_rows = num_embeddings if rows == "num_embeddings" else (int(idx.max()) + 1 if idx.size else 0)
    grad = np.zeros((n_rows, g.shape[1]), dtype=grad_out.dtype)
    if accumulate == "add_at":
        np.add.at(grad, idx, g)
    else:  # buffered fancy indexing: of the rows of a repeated index, only the last one lands
        grad[idx] += g
    if padding_idx is not None:
        if padding == "zeroed":
            grad[padding_idx % num_embeddings] = 0
        elif padding == "raw_compare":  # input == padding_idx never holds for a negative padding_idx
            for k in np.unique(idx[idx == padding_idx]):
                grad[k] = 0
    return grad


MISTAKES = [
    mistake(
        "repeats_lost",
        title={"en": "a fancy-indexed grad[input] += grad_out, which counts a repeated index once",
               "zh": "用花式索引写 grad[input] += grad_out，重复的索引只算了一次"},
        why={"en": "With fancy indexing, grad[idx] += rows reads grad[idx], adds, and writes back, so when an index "
                   "appears several times only its last row survives. Every appearance of an index must add to "
                   "its row: use np.add.at(grad, idx, rows) (or a loop, or np.bincount per column).",
             "zh": "花式索引下，grad[idx] += rows 是先读出 grad[idx]、相加、再写回，所以同一个索引出现多次时只有最后一行"
                   "留了下来。索引每出现一次都要累加到对应的行：用 np.add.at(grad, idx, rows)（或者循环、"
                   "按列用 np.bincount）。"},
        embedding_backward=partial(_backward, accumulate="fancy")),
    # Before padding_row_gets_gradient: for a negative padding_idx the two give the same answer, and this one
    # says why; for a positive padding_idx it is right, so the other is named there.
    mistake(
        "negative_padding_idx_unresolved",
        title={"en": "a negative padding_idx compared with the indices as it is",
               "zh": "负的 padding_idx 没有换算就直接和索引比较"},
        why={"en": "A negative padding_idx counts from the end, as torch reads it: -1 is row num_embeddings - 1. "
                   "Indices are never negative, so input == -1 finds nothing and the padding row keeps its "
                   "gradient. Convert first: padding_idx % num_embeddings (or num_embeddings + padding_idx).",
             "zh": "负的 padding_idx 按 torch 的规则从末尾数起：-1 就是第 num_embeddings - 1 行。索引永远不会是负数，"
                   "所以 input == -1 什么也匹配不到，padding 行的梯度就保留了下来。先换算："
                   "padding_idx % num_embeddings（或 num_embeddings + padding_idx）。"},
        embedding_backward=partial(_backward, padding="raw_compare")),
    mistake(
        "padding_row_gets_gradient",
        title={"en": "the padding row given a gradient", "zh": "padding 行也得到了梯度"},
        why={"en": "padding_idx marks a row that training must never change (a pad token's vector), so torch "
                   "gives it no gradient: after adding up the rows, set grad_weight[padding_idx] = 0.",
             "zh": "padding_idx 标记的是训练中绝不能改变的那一行（填充符的向量），所以 torch 不给它梯度："
                   "把各行累加完之后，令 grad_weight[padding_idx] = 0。"},
        embedding_backward=partial(_backward, padding="ignored")),
    mistake(
        "padding_zeroed_forward",
        title={"en": "the padding row replaced by zeros in the forward pass", "zh": "前向计算时把 padding 行换成了零"},
        why={"en": "padding_idx only affects the gradient. The forward pass looks the padding row up like any "
                   "other, and returns whatever is stored there (nn.Embedding happens to initialise it to zeros, "
                   "but F.embedding does not zero it for you).",
             "zh": "padding_idx 只影响梯度。前向计算时 padding 行和其他行一样照常查表，存的是什么就返回什么"
                   "（nn.Embedding 恰好把这一行初始化为零，但 F.embedding 不会替你把它置零）。"},
        embedding=partial(_forward, zero_padding=True)),
    mistake(
        "rows_from_indices",
        title={"en": "a grad_weight of input.max() + 1 rows instead of num_embeddings",
               "zh": "grad_weight 的行数取了 input.max() + 1，而不是 num_embeddings"},
        why={"en": "The gradient has the table's shape, (num_embeddings, embedding_dim), whichever indices happen "
                   "to appear; rows nobody picked get 0. That is why num_embeddings is an argument: the indices "
                   "alone do not tell how large the table is.",
             "zh": "梯度的形状就是整张表的形状 (num_embeddings, embedding_dim)，与实际出现了哪些索引无关；没有被选中的行"
                   "梯度为 0。这正是要传入 num_embeddings 的原因：仅凭索引看不出表有多大。"},
        embedding_backward=partial(_backward, rows="max_index")),
]
