"""Classic wrong answers to optim.adamw, each named and explained. Each replaces the whole class."""

import numpy as np

from grader.testing.mistakes import mistake


class _AdamW:
    """A correct AdamW whose pieces the wrong versions below override one at a time."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        if lr < 0 or eps < 0 or weight_decay < 0 or not all(0 <= b < 1 for b in betas):
            raise ValueError("bad hyperparameter")
        self.params = list(params)
        self.lr, self.betas, self.eps, self.weight_decay, self.amsgrad = lr, tuple(betas), eps, weight_decay, amsgrad
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.v_max = [np.zeros_like(p) for p in self.params]
        self.t = 0

    def step(self, grads):
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError("one gradient per parameter")
        self.t += 1
        for k, g in enumerate(grads):
            self.update(k, g, self.t)

    def update(self, k, g, t):
        beta1, beta2 = self.betas
        self.decay_before(k)
        g = self.gradient(k, g)
        self.m[k][...] = beta1 * self.m[k] + (1 - beta1) * g
        self.v[k][...] = beta2 * self.v[k] + (1 - beta2) * g * g
        self.apply(k, self.delta(k, t))
        self.decay_after(k)

    def rate(self):
        return self.lr

    def decay_before(self, k):
        self.params[k] *= 1 - self.rate() * self.weight_decay

    def decay_after(self, k):
        pass

    def gradient(self, k, g):
        return g

    def v_hat(self, k, t):
        beta2 = self.betas[1]
        if self.amsgrad:
            np.maximum(self.v_max[k], self.v[k], out=self.v_max[k])
            return self.v_max[k] / (1 - beta2 ** t)
        return self.v[k] / (1 - beta2 ** t)

    def delta(self, k, t):
        beta1 = self.betas[0]
        return self.rate() * (self.m[k] / (1 - beta1 ** t)) / (np.sqrt(self.v_hat(k, t)) + self.eps)

    def apply(self, k, delta):
        self.params[k] -= delta


class _L2InGradient(_AdamW):
    def decay_before(self, k):
        pass

    def gradient(self, k, g):
        return g + self.weight_decay * self.params[k]


class _DecayAfterUpdate(_AdamW):
    def decay_before(self, k):
        pass

    def decay_after(self, k):
        self.params[k] *= 1 - self.rate() * self.weight_decay


class _DecayWithoutLr(_AdamW):
    def decay_before(self, k):
        self.params[k] *= 1 - self.weight_decay


class _DefaultNoDecay(_AdamW):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)


class _NoBiasCorrection(_AdamW):
    def delta(self, k, t):
        v = self.v[k]
        if self.amsgrad:
            np.maximum(self.v_max[k], v, out=self.v_max[k])
            v = self.v_max[k]
        return self.rate() * self.m[k] / (np.sqrt(v) + self.eps)


class _MaxOfVHat(_AdamW):
    def v_hat(self, k, t):
        v_hat = self.v[k] / (1 - self.betas[1] ** t)
        if self.amsgrad:
            np.maximum(self.v_max[k], v_hat, out=self.v_max[k])  # the maximum of the corrected v
            return self.v_max[k]
        return v_hat


class _AmsgradIgnored(_AdamW):
    def v_hat(self, k, t):
        return self.v[k] / (1 - self.betas[1] ** t)


class _LrReadOnce(_AdamW):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)
        self.initial_lr = lr

    def rate(self):
        return self.initial_lr


class _NotInPlace(_AdamW):
    def decay_before(self, k):
        self.params[k] = self.params[k] * (1 - self.rate() * self.weight_decay)  # a new array from here on

    def apply(self, k, delta):
        self.params[k] = self.params[k] - delta


MISTAKES = [
    mistake(
        "l2_in_gradient",
        title={"en": "weight decay added to the gradient (Adam's L2)", "zh": "把权重衰减加到了梯度上（Adam 的 L2）"},
        why={"en": "That is Adam's weight_decay: weight_decay * p then goes through m and v and gets divided "
                   "by sqrt(v), so weights with large gradients are hardly decayed. AdamW exists to avoid this: "
                   "shrink the weights directly, p *= 1 - lr * weight_decay, and give m and v the raw gradient.",
             "zh": "这是 Adam 的 weight_decay：weight_decay * p 会进入 m 和 v，再被 sqrt(v) 除，"
                   "梯度大的权重几乎得不到衰减。AdamW 正是为避免这一点而提出的：直接缩小权重，"
                   "p *= 1 - lr * weight_decay，m 和 v 只接收原始梯度。"},
        AdamW=_L2InGradient),
    mistake(
        "decay_after_update",
        title={"en": "weight decay applied after the Adam step", "zh": "权重衰减放在了 Adam 更新之后"},
        why={"en": "PyTorch shrinks p first and then subtracts the Adam step. Decaying after the step also "
                   "shrinks the step itself, by lr * weight_decay times it, which adds up over many steps.",
             "zh": "PyTorch 先缩小 p，再减去 Adam 的更新量。在更新之后再衰减，会把更新量本身也缩小 "
                   "lr * weight_decay 倍，多步之后误差就累积起来了。"},
        AdamW=_DecayAfterUpdate),
    mistake(
        "decay_without_lr",
        title={"en": "weight decay not multiplied by lr", "zh": "权重衰减没有乘以 lr"},
        why={"en": "The decoupled decay is p *= 1 - lr * weight_decay: it scales with the learning rate (and "
                   "follows a scheduler). p *= 1 - weight_decay shrinks every weight by 1% per step with the "
                   "default 0.01, far too much.",
             "zh": "解耦的衰减是 p *= 1 - lr * weight_decay：它随学习率缩放（也跟随调度器变化）。"
                   "p *= 1 - weight_decay 在默认 0.01 下每一步把所有权重缩小 1%，衰减得太多了。"},
        AdamW=_DecayWithoutLr),
    mistake(
        "default_no_decay",
        title={"en": "weight_decay defaulting to 0", "zh": "weight_decay 的默认值写成了 0"},
        why={"en": "AdamW's default weight_decay is 1e-2, unlike Adam's 0: AdamW(params) must decay. Copy the "
                   "defaults from the signature: AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, "
                   "weight_decay=1e-2, amsgrad=False).",
             "zh": "与 Adam 的默认值 0 不同，AdamW 的 weight_decay 默认是 1e-2：AdamW(params) 也要做衰减。"
                   "请照签名写默认值：AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, "
                   "weight_decay=1e-2, amsgrad=False)。"},
        AdamW=_DefaultNoDecay),
    mistake(
        "no_bias_correction",
        title={"en": "AdamW without bias correction", "zh": "AdamW 没有做偏差修正"},
        why={"en": "m and v start at zero and are too small during the first steps. Divide m by "
                   "1 - beta1**t and sqrt(v) by sqrt(1 - beta2**t), with t = 1 at the first step.",
             "zh": "m 和 v 从零开始，前几步都偏小。要把 m 除以 1 - beta1**t，把 sqrt(v) 除以 "
                   "sqrt(1 - beta2**t)，第一步时 t = 1。"},
        AdamW=_NoBiasCorrection),
    mistake(
        "amsgrad_max_of_v_hat",
        title={"en": "amsgrad keeping the maximum of the corrected v", "zh": "amsgrad 保存的是修正后 v 的最大值"},
        why={"en": "PyTorch keeps the running maximum of the raw v and divides that maximum by "
                   "1 - beta2**t afresh at every step. The corrected v of the first steps is much larger than "
                   "their raw v, so a maximum of corrected values stays stuck at those early values.",
             "zh": "PyTorch 保存的是原始 v 的滑动最大值，每一步再用当前的 1 - beta2**t 去修正这个最大值。"
                   "前几步修正后的 v 远大于原始 v，取修正值的最大值就会一直停留在那些早期的数值上。"},
        AdamW=_MaxOfVHat),
    mistake(
        "amsgrad_ignored",
        title={"en": "amsgrad=True changing nothing", "zh": "amsgrad=True 没有起任何作用"},
        why={"en": "With amsgrad the denominator uses the largest v seen so far, kept per parameter: "
                   "v_max = max(v_max, v), then sqrt(v_max) / sqrt(1 - beta2**t) + eps. It keeps steps from "
                   "growing when gradients suddenly get smaller.",
             "zh": "amsgrad 时分母用的是迄今为止最大的 v，每个参数各存一份：v_max = max(v_max, v)，"
                   "分母为 sqrt(v_max) / sqrt(1 - beta2**t) + eps。这样梯度突然变小时步长也不会变大。"},
        AdamW=_AmsgradIgnored),
    mistake(
        "lr_read_once",
        title={"en": "the learning rate copied at construction", "zh": "学习率在构造时就被固定下来"},
        why={"en": "A scheduler changes opt.lr between steps, and both the decay and the Adam step must follow "
                   "it. Read self.lr inside step() every time instead of a copy made in __init__.",
             "zh": "调度器会在两步之间修改 opt.lr，衰减和 Adam 更新都要随之变化。每次都在 step() 中读取 self.lr，"
                   "不要用 __init__ 里保存的副本。"},
        AdamW=_LrReadOnce),
    mistake(
        "not_in_place",
        title={"en": "updating copies instead of the caller's arrays", "zh": "更新的是副本而不是调用者的数组"},
        why={"en": "p = p * (1 - lr * wd) or self.params[k] = p - step binds a new array: the caller's arrays "
                   "stop changing. Write into them: p *= 1 - lr * wd, p -= step.",
             "zh": "p = p * (1 - lr * wd) 或 self.params[k] = p - step 绑定的是新数组，调用者的数组从此不再变化。"
                   "应直接写入它们：p *= 1 - lr * wd，p -= step。"},
        AdamW=_NotInPlace),
]
