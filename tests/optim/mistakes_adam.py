"""Classic wrong answers to optim.adam, each named and explained. Each replaces the whole class."""

import numpy as np

from grader.testing.mistakes import mistake


class _Adam:
    """A correct Adam whose pieces the wrong versions below override one at a time."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        if lr < 0 or eps < 0 or weight_decay < 0 or not all(0 <= b < 1 for b in betas):
            raise ValueError("bad hyperparameter")
        self.params = list(params)
        self.lr, self.betas, self.eps, self.weight_decay = lr, tuple(betas), eps, weight_decay
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0

    def step(self, grads):
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError("one gradient per parameter")
        self.t += 1
        for k, g in enumerate(grads):
            self.update(k, g, self.t)

    def update(self, k, g, t):
        p, m, v = self.params[k], self.m[k], self.v[k]
        beta1, beta2 = self.betas
        g = self.decayed(p, g)
        m[...] = beta1 * m + (1 - beta1) * g
        v[...] = beta2 * v + (1 - beta2) * g * g
        self.apply(k, self.delta(m, v, t))

    def decayed(self, p, g):
        return g + self.weight_decay * p

    def delta(self, m, v, t):
        beta1, beta2 = self.betas
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + self.eps)

    def apply(self, k, delta):
        self.params[k] -= delta


class _NoBiasCorrection(_Adam):
    def delta(self, m, v, t):
        return self.lr * m / (np.sqrt(v) + self.eps)


class _EpsInsideSqrt(_Adam):
    def delta(self, m, v, t):
        beta1, beta2 = self.betas
        return self.lr * (m / (1 - beta1 ** t)) / np.sqrt(v / (1 - beta2 ** t) + self.eps)


class _EpsBeforeCorrection(_Adam):
    def delta(self, m, v, t):
        beta1, beta2 = self.betas
        return self.lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t) * m / (np.sqrt(v) + self.eps)


class _Decoupled(_Adam):
    def decayed(self, p, g):
        return g

    def apply(self, k, delta):
        self.params[k] -= self.lr * self.weight_decay * self.params[k] + delta


class _StepFromZero(_Adam):
    def step(self, grads):
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError("one gradient per parameter")
        for k, g in enumerate(grads):
            self.update(k, g, self.t)  # t is still 0 at the first step
        self.t += 1


class _StepNotIncremented(_Adam):
    def step(self, grads):
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError("one gradient per parameter")
        for k, g in enumerate(grads):
            self.update(k, g, 1)


class _StepPerParameter(_Adam):
    def step(self, grads):
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError("one gradient per parameter")
        for k, g in enumerate(grads):
            self.t += 1
            self.update(k, g, self.t)


class _BetasSwapped(_Adam):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, lr, betas, eps, weight_decay)
        self.betas = self.betas[::-1]


class _SharedState(_Adam):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, lr, betas, eps, weight_decay)
        self.m = [self.m[0]] * len(self.params)  # the same array object for every parameter
        self.v = [self.v[0]] * len(self.params)


class _NotInPlace(_Adam):
    def apply(self, k, delta):
        self.params[k] = self.params[k] - delta  # a new array; the caller's array never changes


MISTAKES = [
    mistake(
        "no_bias_correction",
        title={"en": "Adam without bias correction", "zh": "Adam 没有做偏差修正"},
        why={"en": "m and v start at 0, so during the first steps they are far too small. Divide them by "
                   "(1 - beta1**t) and (1 - beta2**t), with t = 1 at the first step, before using them.",
             "zh": "m 和 v 从 0 开始，前几步它们都明显偏小。使用前要分别除以 (1 - beta1**t) 和 (1 - beta2**t)，"
                   "第一步时 t = 1。"},
        Adam=_NoBiasCorrection),
    mistake(
        "eps_inside_sqrt",
        title={"en": "eps inside the square root", "zh": "eps 放在了平方根里面"},
        why={"en": "The denominator is sqrt(v_hat) + eps. sqrt(v_hat + eps) is the same for large gradients "
                   "but with eps = 1e-8 it is at least 1e-4, which freezes parameters whose gradients are tiny.",
             "zh": "分母是 sqrt(v_hat) + eps。sqrt(v_hat + eps) 在梯度大时看不出差别，但 eps = 1e-8 时它至少是 1e-4，"
                   "梯度很小的参数几乎不再更新。"},
        Adam=_EpsInsideSqrt),
    mistake(
        "eps_before_correction",
        title={"en": "eps added before v is bias-corrected", "zh": "在修正 v 之前就加上了 eps"},
        why={"en": "PyTorch divides by sqrt(v) / sqrt(1 - beta2**t) + eps: eps is added after the correction. "
                   "Folding the correction into the learning rate moves eps and changes the step when "
                   "gradients are small.",
             "zh": "PyTorch 的分母是 sqrt(v) / sqrt(1 - beta2**t) + eps：eps 在修正之后才加。把修正并入学习率，"
                   "等于改变了 eps 的位置，梯度很小时步长就不一样了。"},
        Adam=_EpsBeforeCorrection),
    mistake(
        "decoupled_weight_decay",
        title={"en": "AdamW's decoupled weight decay", "zh": "AdamW 式的解耦权重衰减"},
        why={"en": "Adam's weight_decay is an L2 penalty: add weight_decay * p to the gradient first, so it "
                   "also goes through m and v. Shrinking p directly by lr * weight_decay * p is AdamW.",
             "zh": "Adam 的 weight_decay 是 L2 惩罚：先把 weight_decay * p 加到梯度上，让它也进入 m 和 v。"
                   "直接用 lr * weight_decay * p 缩小参数是 AdamW 的做法。"},
        Adam=_Decoupled),
    mistake(
        "step_from_zero",
        title={"en": "bias correction with the step counted from 0", "zh": "偏差修正时步数从 0 开始计"},
        why={"en": "With t = 0, 1 - beta1**t is 0 and the first step divides by zero. Increase t before "
                   "using it, so that the first step uses t = 1.",
             "zh": "t = 0 时 1 - beta1**t 等于 0，第一步就会除以零。先把 t 加 1 再使用，第一步用的是 t = 1。"},
        Adam=_StepFromZero),
    mistake(
        "step_not_incremented",
        title={"en": "a step count that never grows", "zh": "步数 t 从不增加"},
        why={"en": "t must go up by one on every call of step(): the bias correction 1 - beta**t fades away "
                   "as t grows. Keep t on the optimiser (self.t += 1 at the start of step).",
             "zh": "每次调用 step() 时 t 都要加 1：偏差修正 1 - beta**t 随着 t 增大逐渐消失。"
                   "把 t 存在优化器上（在 step 开头执行 self.t += 1）。"},
        Adam=_StepNotIncremented),
    mistake(
        "step_per_parameter",
        title={"en": "t increased once per parameter", "zh": "每个参数都让 t 加了一次"},
        why={"en": "t counts calls of step(), not parameters: increase it once per step, outside the loop "
                   "over parameters (or keep one count per parameter, as PyTorch does).",
             "zh": "t 统计的是 step() 的调用次数，而不是参数个数：每一步只在遍历参数的循环外加一次"
                   "（或像 PyTorch 那样给每个参数各记一个步数）。"},
        Adam=_StepPerParameter),
    mistake(
        "betas_swapped",
        title={"en": "beta1 and beta2 swapped", "zh": "beta1 和 beta2 用反了"},
        why={"en": "betas = (beta1, beta2): beta1 (0.9) smooths the gradient in m, beta2 (0.999) smooths "
                   "the squared gradient in v. Each also goes with its own bias correction.",
             "zh": "betas = (beta1, beta2)：beta1（0.9）用于平滑梯度 m，beta2（0.999）用于平滑梯度平方 v，"
                   "两者的偏差修正也各自对应。"},
        Adam=_BetasSwapped),
    mistake(
        "shared_state",
        title={"en": "one m and v shared by all parameters", "zh": "所有参数共用一组 m 和 v"},
        why={"en": "Each parameter needs its own moments, shaped like it: "
                   "[np.zeros_like(p) for p in params]. Note that [np.zeros_like(p)] * n puts the same "
                   "array in the list n times.",
             "zh": "每个参数都需要与自身形状相同、独立的一组矩：[np.zeros_like(p) for p in params]。"
                   "注意 [np.zeros_like(p)] * n 会把同一个数组放进列表 n 次。"},
        Adam=_SharedState),
    mistake(
        "not_in_place",
        title={"en": "updating copies instead of the caller's arrays", "zh": "更新的是副本而不是调用者的数组"},
        why={"en": "self.params[i] = p - update (or np.array(p), p.astype(...) in __init__) makes a new array, "
                   "so the arrays the caller handed over never change. Keep the caller's arrays and write into "
                   "them: p -= update, or p[...] = new_value.",
             "zh": "self.params[i] = p - update（或在 __init__ 里用 np.array(p)、p.astype(...)）会生成新数组，"
                   "调用者传入的数组始终不变。要保留调用者的数组并写入它们：p -= update 或 p[...] = new_value。"},
        Adam=_NotInPlace),
]
