"""Classic wrong answers to tensors.reshape_view, each named and explained."""

import math

import numpy as np

from grader.testing.mistakes import mistake


def _infer_true_division(shape, numel):
    known = math.prod(n for n in shape if n != -1)
    return tuple(numel / known if n == -1 else n for n in shape)


def _strides_in_bytes(shape):
    return tuple(int(s) for s in np.empty(shape).strides)


def _strides_f_order(shape):
    strides, step = [], 1
    for n in shape:
        strides.append(step)
        step *= max(n, 1)
    return tuple(strides)


def _strides_zero_product(shape):
    return tuple(math.prod(shape[i + 1:]) for i in range(len(shape)))


def _flatten_unwrapped_end(x, start_dim=0, end_dim=-1):
    x = np.asarray(x)
    merged = math.prod(x.shape[start_dim:end_dim + 1])
    return x.reshape(x.shape[:start_dim] + (merged,) + x.shape[end_dim + 1:])


def _flatten_end_exclusive(x, start_dim=0, end_dim=-1):
    x = np.asarray(x)
    n = max(x.ndim, 1)
    start, end = start_dim % n, end_dim % n
    if x.ndim == 0:
        return x.reshape(1)
    return x.reshape(x.shape[:start] + (math.prod(x.shape[start:end]),) + x.shape[end:])


def _transpose_by_reshape(x, dim0, dim1):
    x = np.asarray(x)
    shape = list(x.shape)
    if shape:
        shape[dim0], shape[dim1] = shape[dim1], shape[dim0]
    return x.reshape(shape)


def _permute_by_reshape(x, dims):
    x = np.asarray(x)
    return x.reshape(tuple(x.shape[d] for d in dims))


def _permute_inverse(x, dims):
    x = np.asarray(x)
    return x.transpose(np.argsort([d % x.ndim for d in dims]) if x.ndim else ())


MISTAKES = [
    mistake(
        "true_division",
        title={"en": "the -1 filled in with / instead of //", "zh": "用 / 而不是 // 填入 -1"},
        why={"en": "numel / known is a float (24 / 8 is 3.0), and a shape holds ints. Check numel % known == 0 "
                   "first (otherwise raise ValueError), then use numel // known.",
             "zh": "numel / known 得到的是浮点数（24 / 8 等于 3.0），而形状里只能是整数。先检查 numel % known == 0"
                   "（不成立就抛出 ValueError），再用 numel // known。"},
        infer_shape=_infer_true_division),
    mistake(
        "strides_in_bytes",
        title={"en": "strides in bytes (NumPy's .strides) instead of elements",
               "zh": "步长按字节计（NumPy 的 .strides），而不是按元素个数"},
        why={"en": "NumPy's .strides counts bytes, so float64 strides are 8 times too large; torch's stride() counts "
                   "elements. The last dimension steps by 1 element, and each earlier one by the product of the "
                   "sizes after it.",
             "zh": "NumPy 的 .strides 以字节为单位，float64 的步长因此大了 8 倍；torch 的 stride() 以元素个数为单位。"
                   "最后一维步长为 1 个元素，前面每一维的步长是它后面各维大小的乘积。"},
        contiguous_strides=_strides_in_bytes),
    mistake(
        "strides_f_order",
        title={"en": "column-major (Fortran order) strides", "zh": "按列优先（Fortran 顺序）计算步长"},
        why={"en": "In C order (row-major, what torch and NumPy use by default) the LAST index moves fastest, so "
                   "the last stride is 1 and the strides shrink from left to right: (2, 3, 4) has (12, 4, 1), "
                   "not (1, 2, 6). Build the product from the right end.",
             "zh": "在 C 顺序（行优先，torch 和 NumPy 的默认方式）中，变化最快的是最后一个下标，所以最后一维步长为 1，"
                   "步长从左到右递减：(2, 3, 4) 的步长是 (12, 4, 1)，不是 (1, 2, 6)。乘积要从右端开始累乘。"},
        contiguous_strides=_strides_f_order),
    mistake(
        "strides_zero_product",
        title={"en": "a size of 0 multiplied into the strides", "zh": "把大小 0 也乘进了步长"},
        why={"en": "An array with a size of 0 holds no elements, so any stride would do, and torch counts a 0 as "
                   "1 when it multiplies the sizes: (2, 0, 3) has strides (3, 3, 1), not (0, 3, 1). Multiply by "
                   "max(size, 1).",
             "zh": "含有大小为 0 的维度的数组没有任何元素，步长取什么都行；torch 在累乘时把 0 当作 1："
                   "(2, 0, 3) 的步长是 (3, 3, 1)，而不是 (0, 3, 1)。累乘时用 max(size, 1)。"},
        contiguous_strides=_strides_zero_product),
    mistake(
        "unwrapped_end_dim",
        title={"en": "slicing with end_dim + 1 before turning a negative end_dim into an index",
               "zh": "还没把负的 end_dim 换算成下标，就用 end_dim + 1 做切片"},
        why={"en": "With the default end_dim=-1, end_dim + 1 is 0, so x.shape[start:end_dim + 1] is empty and "
                   "nothing gets merged (a size-1 dimension appears instead). First wrap every dim: "
                   "d + x.ndim when d < 0; then merge x.shape[start:end + 1], end included.",
             "zh": "end_dim 默认为 -1 时，end_dim + 1 等于 0，于是 x.shape[start:end_dim + 1] 是空的，什么都没合并"
                   "（反而多出一个大小为 1 的维度）。先把每个维度换算成非负下标：d < 0 时用 d + x.ndim；"
                   "然后合并 x.shape[start:end + 1]，包含 end 本身。"},
        flatten=_flatten_unwrapped_end),
    mistake(
        "end_dim_excluded",
        title={"en": "end_dim left out of the merge, as if it were a slice end",
               "zh": "把 end_dim 当成切片的终点，没有合并进去"},
        why={"en": "torch.flatten merges start_dim THROUGH end_dim, both included: flatten of (2, 3, 4) is (24,), "
                   "not (6, 4). Python slices stop before their end, so merge x.shape[start:end + 1].",
             "zh": "torch.flatten 合并的是从 start_dim 到 end_dim 的所有维度，两端都包含：(2, 3, 4) 展平后是 (24,)，"
                   "而不是 (6, 4)。Python 的切片不包含终点，所以要合并 x.shape[start:end + 1]。"},
        flatten=_flatten_end_exclusive),
    mistake(
        "reshape_for_transpose",
        title={"en": "reshape to the swapped shape instead of moving the axes",
               "zh": "用 reshape 到交换后的形状来代替真正移动维度"},
        why={"en": "reshape keeps the elements in their C order and only regroups them, so a (2, 3) array reshaped "
                   "to (3, 2) has the right shape and the wrong entries. Transposing moves entries: "
                   "out[j, i] = x[i, j]. Use x.transpose(perm) with the full permutation of axes.",
             "zh": "reshape 只按 C 顺序重新分组元素，元素的先后次序不变，所以把 (2, 3) 的数组 reshape 成 (3, 2)，"
                   "形状对了，元素却是错的。转置是在移动元素：out[j, i] = x[i, j]。应该用 x.transpose(perm)，"
                   "传入完整的维度排列。"},
        transpose=_transpose_by_reshape, permute=_permute_by_reshape),
    mistake(
        "inverse_permutation",
        title={"en": "permute sending dimension i to position dims[i] (the inverse permutation)",
               "zh": "permute 把第 i 维放到了 dims[i] 的位置（用成了逆排列）"},
        why={"en": "dims lists, for each OUTPUT position, which input dimension goes there: the result's shape is "
                   "(x.shape[dims[0]], x.shape[dims[1]], ...). (2, 3, 4) with dims (2, 0, 1) becomes (4, 2, 3). "
                   "x.transpose(dims) already follows this rule; do not invert it.",
             "zh": "dims 给出的是：结果的每个位置上放输入的哪一维。结果的形状是 (x.shape[dims[0]], x.shape[dims[1]], ...)，"
                   "所以 (2, 3, 4) 按 dims (2, 0, 1) 变成 (4, 2, 3)。x.transpose(dims) 本来就是这个规则，不要再求逆。"},
        permute=_permute_inverse),
]
