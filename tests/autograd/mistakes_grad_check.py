"""Classic wrong answers to autograd.grad_check, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _value(v):
    v = np.asarray(v)
    if v.size != 1:
        raise ValueError("f must return a single number")
    return float(v.reshape(()))


def _grad(f, x, eps=1e-6, forward=False, one_eps=False, in_place=False, fixed_eps=False, float32=False):
    """Differences with one of several slips switched on."""
    if not eps > 0:
        raise ValueError("eps must be > 0")
    if fixed_eps:
        eps = 1e-5
    if in_place:
        work = x  # perturbed where it lies, and left at x - eps
    elif float32:
        work = np.array(x, copy=True)  # in x's own dtype
    else:
        work = np.array(x, dtype=np.float64)
    flat = work.reshape(-1)
    grad = np.empty(flat.size)
    base = _value(f(work)) if forward else None
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + eps
        up = _value(f(work))
        if forward:
            flat[i] = saved
            grad[i] = (up - base) / eps
            continue
        flat[i] = saved - eps
        down = _value(f(work))
        if not in_place:
            flat[i] = saved
        grad[i] = (up - down) / (eps if one_eps else 2 * eps)
    return grad.reshape(np.shape(x)).astype(np.asarray(x).dtype)


def _check(f, x, analytic_grad, eps=1e-6, rtol=1e-4, atol=1e-6, by_max=False, swapped=False, by_n=False, **slip):
    a = np.asarray(analytic_grad, dtype=np.float64)
    if a.shape != np.shape(x):
        raise ValueError("analytic_grad must be shaped like x")
    n = _grad(f, x, eps, **slip).astype(np.float64)
    diff = np.abs(a - n)
    with np.errstate(all="ignore"):
        if by_n:
            rel = diff / np.abs(n)
        else:
            scale = np.maximum(np.abs(a), np.abs(n))
            rel = np.where(scale > 0, diff / np.where(scale > 0, scale, 1.0), 0.0)
    max_rel = float(rel.max())
    if swapped:
        rtol, atol = atol, rtol
    ok = max_rel < rtol if by_max else bool(np.all(diff <= atol + rtol * np.abs(n)))
    return ok, max_rel


def _with(**slip):
    grad_slip = {k: v for k, v in slip.items() if k not in ("by_max", "swapped", "by_n")}
    return {"numerical_grad": lambda f, x, eps=1e-6: _grad(f, x, eps, **grad_slip),
            "grad_check": lambda f, x, analytic_grad, eps=1e-6, rtol=1e-4, atol=1e-6:
                _check(f, x, analytic_grad, eps, rtol, atol, **slip)}


MISTAKES = [
    mistake(
        "forward_difference",
        title={"en": "a forward difference (f(x + eps) - f(x)) / eps instead of a central one",
               "zh": "用了前向差分 (f(x + eps) - f(x)) / eps，而不是中心差分"},
        why={"en": "A one-sided step sees the curvature: its error is about eps / 2 · f'', while the symmetric "
                   "(f(x + eps) - f(x - eps)) / (2 eps) cancels that term and is off by only eps² / 6 · f'''. "
                   "With eps = 1e-6 both may look fine, but with a larger step, or a strongly curved f, the "
                   "forward difference is visibly wrong. Evaluate f on both sides of every element.",
             "zh": "单侧的差分会受到曲率的影响：误差约为 eps / 2 · f''；而对称的 (f(x + eps) - f(x - eps)) / (2 eps) "
                   "把这一项抵消了，误差只有 eps² / 6 · f'''。eps = 1e-6 时两者可能都还过得去，但步长大一些、或者 f 弯曲得"
                   "厉害时，前向差分就明显错了。对每个元素都要在两侧各求一次 f。"},
        **_with(forward=True)),
    mistake(
        "divided_by_eps",
        title={"en": "the central difference divided by eps instead of 2 * eps",
               "zh": "中心差分除以了 eps，而不是 2 * eps"},
        why={"en": "x + eps and x - eps are 2 * eps apart, so the slope between them is (f(x + eps) - f(x - eps)) "
                   "/ (2 * eps). Dividing by eps alone doubles every element of the gradient.",
             "zh": "x + eps 和 x - eps 相距 2 * eps，所以两点之间的斜率是 (f(x + eps) - f(x - eps)) / (2 * eps)。"
                   "只除以 eps，梯度的每个元素都会变成两倍。"},
        **_with(one_eps=True)),
    mistake(
        "x_not_restored",
        title={"en": "x perturbed in place and left at x - eps", "zh": "在 x 上原地扰动后，把它留在了 x - eps"},
        why={"en": "After f(x - eps) the element must get its own value back before the next one moves: otherwise "
                   "the caller's x comes back changed, and every later element is differenced around a shifted "
                   "point. Work on a copy, or save the value and assign it back (x[i] = saved); adding eps back "
                   "with x[i] += eps can miss the original by a rounding, so do not restore by arithmetic.",
             "zh": "求完 f(x - eps) 之后，这个元素必须先恢复原值，再去挪下一个元素：否则调用者拿回的 x 已经变了，之后的每个"
                   "元素也都是在一个偏移过的点附近做差分。要么在副本上操作，要么先保存原值再赋回去（x[i] = saved）；"
                   "用 x[i] += eps 加回去可能因为舍入而差一点点，所以不要靠算术来恢复。"},
        **_with(in_place=True)),
    mistake(
        "relative_error_by_n",
        title={"en": "the relative error divided by |n| alone (nan or inf where n is 0)",
               "zh": "相对误差只除以了 |n|（n 为 0 处得到 nan 或 inf）"},
        why={"en": "A gradient is often exactly 0 in places (an input f does not use, a ReLU that is off). There "
                   "|a - n| / |n| is 0 / 0 = nan or a / 0 = inf, and one such element spoils the maximum. The "
                   "symmetric |a - n| / max(|a|, |n|) is at most 1 wherever it is defined; where both are 0 the "
                   "two agree, so count 0 there (np.divide with where=, or np.where).",
             "zh": "梯度常常有恰好为 0 的地方（f 没有用到的输入、处于关闭状态的 ReLU）。在那里 |a - n| / |n| 是 0 / 0 = nan "
                   "或 a / 0 = inf，一个这样的元素就会毁掉最大值。对称的 |a - n| / max(|a|, |n|) 只要有定义就不超过 1；"
                   "两者都为 0 时它们是一致的，所以在那里记为 0（用带 where= 的 np.divide，或 np.where）。"},
        **_with(by_n=True)),
    mistake(
        "ok_from_max_rel_error",
        title={"en": "ok judged as max_rel_error < rtol instead of elementwise |a - n| <= atol + rtol * |n|",
               "zh": "用 max_rel_error < rtol 判断 ok，而不是逐元素检查 |a - n| <= atol + rtol * |n|"},
        why={"en": "A relative error cannot tell a tiny difference near 0 from a real one: where the true gradient "
                   "is 0, any nonzero a has relative error 1, however small it is. That is why torch's gradcheck "
                   "allows every element an absolute slack atol on top of rtol * |n|, and passes only when every "
                   "element is within its own bound.",
             "zh": "相对误差分不清 0 附近的微小差别和真正的错误：在真实梯度为 0 的地方，任何非零的 a 相对误差都是 1，"
                   "不管它多小。所以 torch 的 gradcheck 在 rtol * |n| 之外还给每个元素一个绝对余量 atol，并且只有每个元素"
                   "都在自己的界限之内时才算通过。"},
        **_with(by_max=True)),
    mistake(
        "rtol_atol_swapped",
        title={"en": "rtol and atol swapped: |a - n| <= rtol + atol * |n|",
               "zh": "rtol 和 atol 用反了：写成了 |a - n| <= rtol + atol * |n|"},
        why={"en": "atol is the absolute part, added as it is; rtol is the relative part, multiplied by |n|: "
                   "|a - n| <= atol + rtol * |n|, as torch.allclose and gradcheck write it. Swapped, the default "
                   "allows an absolute error of 1e-4 where the gradient is 0, a hundred times too much.",
             "zh": "atol 是绝对部分，直接加上；rtol 是相对部分，要乘以 |n|：|a - n| <= atol + rtol * |n|，和 torch.allclose"
                   "、gradcheck 的写法一样。用反了之后，默认值在梯度为 0 的地方允许 1e-4 的绝对误差，宽了一百倍。"},
        **_with(swapped=True)),
    mistake(
        "eps_ignored",
        title={"en": "eps ignored: a fixed step of 1e-5 whatever the caller passes",
               "zh": "忽略了 eps：不管调用者传什么，都用固定的步长 1e-5"},
        why={"en": "The step is the caller's choice: a noisy or float32 f needs a larger one, a very curved f a "
                   "smaller one. Use the eps argument, both in numerical_grad and when grad_check computes its "
                   "numerical gradient.",
             "zh": "步长由调用者决定：带噪声或 float32 的 f 需要更大的步长，弯曲得厉害的 f 需要更小的。要使用参数 eps，"
                   "numerical_grad 里要用，grad_check 计算数值梯度时也要用。"},
        **_with(fixed_eps=True)),
    mistake(
        "float32_differences",
        title={"en": "a float32 x differenced in float32", "zh": "float32 的 x 直接在 float32 下做差分"},
        why={"en": "Near 1, neighbouring float32 numbers are 1.2e-7 apart, so x + 1e-6 is rounded to a step of "
                   "8 or 9 spacings, and f in float32 has only about 7 digits: their difference divided by 2e-6 is "
                   "mostly rounding. Make a float64 copy (np.array(x, dtype=np.float64)), difference that, and "
                   "cast only the finished gradient back to float32.",
             "zh": "在 1 附近，相邻的 float32 数相差 1.2e-7，所以 x + 1e-6 会被舍入成 8 或 9 个间隔，而 float32 下的 f "
                   "只有大约 7 位有效数字：两者之差再除以 2e-6，剩下的大多是舍入误差。先做一个 float64 的副本"
                   "（np.array(x, dtype=np.float64)），在副本上做差分，只把算好的梯度转回 float32。"},
        **_with(float32=True)),
]
