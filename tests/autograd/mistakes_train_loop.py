"""Classic wrong answers to autograd.train_loop, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _check(x, y, hidden, steps, lr):
    if np.ndim(x) != 2 or np.shape(x)[1] != 1 or np.shape(x)[0] < 1 or np.shape(y) != np.shape(x):
        raise ValueError("bad x or y")
    if hidden < 1 or steps < 1 or not lr > 0:
        raise ValueError("bad hidden, steps or lr")


def _wrong(x, y, hidden, steps, lr, rng, *, sign=1.0, correct=True, reset=False, record="each", stale=False,
           global_rng=False, fixed_lr=None, fixed_steps=None, zero_start=False, flat=False):
    """The right tanh-MLP Adam loop, except where a keyword says otherwise."""
    _check(x, y, hidden, steps, lr)
    rng = np.random.default_rng() if rng is None else rng
    lr = fixed_lr if fixed_lr is not None else lr
    steps = fixed_steps if fixed_steps is not None else steps
    draw = np.random.uniform if global_rng else rng.uniform
    xs, ys = np.asarray(x, np.float64), np.asarray(y, np.float64)
    b = 1 / np.sqrt(hidden)
    P = {"w1": draw(-1, 1, (hidden, 1)), "b1": draw(-1, 1, hidden), "w2": draw(-b, b, (1, hidden)),
         "b2": draw(-b, b, 1)}
    if zero_start:  # 0.01 * randn weights and zero biases
        P = {"w1": 0.01 * rng.standard_normal((hidden, 1)), "b1": np.zeros(hidden),
             "w2": 0.01 * rng.standard_normal((1, hidden)), "b2": np.zeros(1)}
    start = {k: v.copy() for k, v in P.items()}
    m = {k: np.zeros_like(v) for k, v in P.items()}
    v = {k: np.zeros_like(p) for k, p in P.items()}
    losses, total = [], 0.0
    for t in range(1, steps + 1):
        h = np.tanh(xs @ P["w1"].T + P["b1"])
        diff = h @ P["w2"].T + P["b2"] - ys
        loss = float(np.mean(diff ** 2))
        total += loss
        if record == "each":
            losses.append(loss)
        elif record == "total":
            losses.append(total)
        g = 2 * diff / len(xs)
        gz = (g @ P["w2"]) * (1 - h ** 2)
        grads = {"w2": g.T @ h, "b2": g.sum(0), "w1": gz.T @ xs, "b1": gz.sum(0)}
        for k in P:
            if reset:
                m[k], v[k] = np.zeros_like(P[k]), np.zeros_like(P[k])
            m[k] = 0.9 * m[k] + 0.1 * grads[k]
            v[k] = 0.999 * v[k] + 0.001 * grads[k] ** 2
            tt = 1 if reset else t
            mh, vh = (m[k] / (1 - 0.9 ** tt), v[k] / (1 - 0.999 ** tt)) if correct else (m[k], v[k])
            P[k] = P[k] - sign * lr * mh / (np.sqrt(vh) + 1e-8)
    if record == "once":
        losses.append(loss)
    final = start if stale else dict(P)

    def predict(xn):
        xn = np.asarray(xn)
        out = np.tanh(xn.astype(np.float64) @ final["w1"].T + final["b1"]) @ final["w2"].T + final["b2"]
        return (out[:, 0] if flat else out).astype(xn.dtype)

    return predict, losses


def _variant(**how):
    def train(x, y, hidden=32, steps=2000, lr=1e-2, rng=None):
        return _wrong(x, y, hidden, steps, lr, rng, **how)
    return train


MISTAKES = [
    mistake(
        "gradient_ascent",
        title={"en": "parameters moved up the gradient instead of down", "zh": "参数沿梯度往上走，而不是往下"},
        why={"en": "The gradient points to where the loss grows fastest, so a descent step subtracts it: "
                   "p = p - lr * m_hat / (sqrt(v_hat) + eps). Adding it makes the loss climb at every step.",
             "zh": "梯度指向损失增长最快的方向，所以下降的一步要减去它：p = p - lr * m_hat / (sqrt(v_hat) + eps)。"
                   "加上它，损失每一步都会往上涨。"},
        train=_variant(sign=-1.0)),
    mistake(
        "moments_reset",
        title={"en": "Adam's moments started from zero again at every step", "zh": "每一步都把 Adam 的矩重新置零"},
        why={"en": "m and v are running averages over the whole run: create them once, before the loop, and let "
                   "each step update them. Rebuilt every step, m_hat / sqrt(v_hat) is just the sign of the "
                   "gradient, a fixed-size step that keeps jittering around the minimum instead of settling.",
             "zh": "m 和 v 是贯穿整个训练的滑动平均：在循环之前创建一次，每一步去更新它们。如果每一步都重建，"
                   "m_hat / sqrt(v_hat) 就只是梯度的符号，每步走固定的长度，在最小值附近来回抖动，停不下来。"},
        train=_variant(reset=True)),
    mistake(
        "zero_start",
        title={"en": "biases started at zero with tiny weights", "zh": "偏置从 0 开始、权重又很小"},
        why={"en": "With every hidden bias at 0, each unit tanh(w x) is an odd function of x, and so is any sum of "
                   "them: the net can only add a constant (the output bias) to an odd curve, while 3x² + 5 is even. "
                   "Training soon finds the constant, the mean of y (an MSE of about 11.6), then sits on that "
                   "plateau until the biases drift off zero, which from tiny weights takes longer than the steps "
                   "allow. Start the parameters as nn.Linear does, uniform in ±1/sqrt(fan_in) for the weights AND "
                   "the biases (±1 for the first layer, whose fan_in is 1), and let Adam update every one of them.",
             "zh": "所有隐藏层偏置都是 0 时，每个单元 tanh(w x) 都是 x 的奇函数，它们的和也是：网络只能在一条奇函数"
                   "曲线上加一个常数（输出层的偏置），而 3x² + 5 是偶函数。训练很快找到这个常数，即 y 的均值（MSE 约为"
                   " 11.6），然后就停在这个平台上，直到偏置慢慢离开 0；从很小的权重出发，这比给定的步数还要久。像 "
                   "nn.Linear 那样初始化：权重和偏置都在 ±1/sqrt(fan_in) 内均匀抽取（第一层 fan_in 为 1，即 ±1），"
                   "并让 Adam 更新每一个参数。"},
        train=_variant(zero_start=True)),
    mistake(
        "losses_running_total",
        title={"en": "losses kept as a running total instead of one MSE per step",
               "zh": "losses 记成了累计和，而不是每一步一个 MSE"},
        why={"en": "losses[i] is the training MSE at step i alone. Adding each loss to the previous ones gives a "
                   "curve that only grows, and says nothing about how well the net fits now.",
             "zh": "losses[i] 只是第 i 步的训练 MSE。把每一步的损失加到前面的上面，得到的曲线只会增长，"
                   "完全看不出网络现在拟合得怎么样。"},
        train=_variant(record="total")),
    mistake(
        "losses_once",
        title={"en": "the loss recorded once, after the loop", "zh": "只在循环结束后记录了一次损失"},
        why={"en": "The caller wants the whole curve: append the MSE inside the loop, once per step, so that "
                   "len(losses) == steps and losses[0] is the loss of the initial weights.",
             "zh": "调用者要的是整条曲线：在循环里每一步追加一次 MSE，这样 len(losses) == steps，"
                   "losses[0] 是初始权重的损失。"},
        train=_variant(record="once")),
    mistake(
        "predict_initial_weights",
        title={"en": "predict uses the initial weights", "zh": "predict 用的是初始权重"},
        why={"en": "predict must run the net with the weights as they are after the last step. A copy taken "
                   "before the loop (or a closure over arrays that training replaced) predicts with the untrained "
                   "net, however well the losses fell.",
             "zh": "predict 必须用最后一步之后的权重来运行网络。在循环之前做的副本（或者闭包抓住的数组在训练中被替换了）"
                   "用的是没训练过的网络，不管损失降得多好都没用。"},
        train=_variant(stale=True)),
    mistake(
        "global_random",
        title={"en": "the weights drawn from np.random instead of rng", "zh": "权重从 np.random 抽取，而不是从 rng"},
        why={"en": "All the randomness must come from the rng argument, so that one seed gives one run. np.random "
                   "has its own global state, which the seed does not touch: two runs with the same seed start "
                   "from different weights and give different losses.",
             "zh": "所有随机性都必须来自参数 rng，这样一个种子才对应一次确定的训练。np.random 有自己的全局状态，"
                   "种子管不到它：同一个种子的两次训练从不同的权重开始，得到的损失也不同。"},
        train=_variant(global_rng=True)),
    mistake(
        "lr_ignored",
        title={"en": "lr ignored: a fixed learning rate of 1e-2", "zh": "忽略了 lr：学习率固定为 1e-2"},
        why={"en": "Each Adam step is lr * m_hat / (sqrt(v_hat) + eps) with the lr the caller gave; a constant "
                   "written in its place means the argument changes nothing.",
             "zh": "每一步 Adam 的更新量是 lr * m_hat / (sqrt(v_hat) + eps)，lr 要用调用者给的值；"
                   "写成常数的话，这个参数就不起任何作用。"},
        train=_variant(fixed_lr=1e-2)),
    mistake(
        "steps_ignored",
        title={"en": "steps ignored: always 2000 updates", "zh": "忽略了 steps：总是更新 2000 次"},
        why={"en": "The loop runs exactly steps times and records one loss per step, so len(losses) == steps.",
             "zh": "循环正好运行 steps 次，每一步记录一个损失，所以 len(losses) == steps。"},
        train=_variant(fixed_steps=2000)),
    mistake(
        "predict_flat",
        title={"en": "predict returns (M,) instead of (M, 1)", "zh": "predict 返回 (M,) 而不是 (M, 1)"},
        why={"en": "The net's output layer has one unit, so its output is (M, 1), like its input and like y. "
                   "Flattening it to (M,) changes how it broadcasts against a (M, 1) target: (M,) - (M, 1) is "
                   "(M, M).",
             "zh": "网络的输出层只有一个单元，输出是 (M, 1)，和输入、和 y 一样。压平成 (M,) 会改变它和 (M, 1) 目标"
                   "之间的广播方式：(M,) - (M, 1) 的结果是 (M, M)。"},
        train=_variant(flat=True)),
]
