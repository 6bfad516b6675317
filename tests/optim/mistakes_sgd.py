"""Classic wrong answers to optim.sgd, each named and explained. Each replaces the whole class."""

import numpy as np

from grader.testing.mistakes import mistake


class _SGD:
    """A correct SGD whose pieces the wrong versions below override one at a time."""

    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False,
                 maximize=False):
        if lr < 0 or momentum < 0 or weight_decay < 0 or (nesterov and (momentum <= 0 or dampening != 0)):
            raise ValueError("bad hyperparameter")
        self.params = list(params)
        self.lr, self.momentum, self.dampening = lr, momentum, dampening
        self.weight_decay, self.nesterov, self.maximize = weight_decay, nesterov, maximize
        self.buf = [None] * len(self.params)

    def step(self, grads):
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError("one gradient per parameter")
        for k, g in enumerate(grads):
            p = self.params[k]
            g = -g if self.maximize else g
            g = self.decayed(p, g)
            d = self.direction(k, g)
            self.apply(k, self.rate() * self.tail(p, d))

    def decayed(self, p, g):
        return g + self.weight_decay * p

    def tail(self, p, d):
        return d

    def direction(self, k, g):
        if self.momentum == 0:
            return g
        self.buf[k] = self.first(g) if self.buf[k] is None else self.later(self.buf[k], g)
        return self.nesterov_step(g, self.buf[k]) if self.nesterov else self.buf[k]

    def first(self, g):
        return np.array(g, copy=True)

    def later(self, buf, g):
        return self.momentum * buf + (1 - self.dampening) * g

    def nesterov_step(self, g, buf):
        return g + self.momentum * buf

    def rate(self):
        return self.lr

    def apply(self, k, delta):
        self.params[k] -= delta


class _FirstStepDampened(_SGD):
    def first(self, g):
        return (1 - self.dampening) * g  # as if the buffer had started at zero


class _MovingAverage(_SGD):
    def first(self, g):
        return (1 - self.momentum) * g

    def later(self, buf, g):
        return self.momentum * buf + (1 - self.momentum) * g


class _NesterovIgnored(_SGD):
    def nesterov_step(self, g, buf):
        return buf


class _DecayAfterMomentum(_SGD):
    def decayed(self, p, g):
        return g

    def tail(self, p, d):
        return d + self.weight_decay * p


class _MaximizeFlipsStep(_SGD):
    def step(self, grads):
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError("one gradient per parameter")
        sign = -1.0 if self.maximize else 1.0
        for k, g in enumerate(grads):
            p = self.params[k]
            d = self.direction(k, self.decayed(p, g))
            self.apply(k, sign * self.rate() * d)


class _LrReadOnce(_SGD):
    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False,
                 maximize=False):
        super().__init__(params, lr, momentum, dampening, weight_decay, nesterov, maximize)
        self.initial_lr = lr

    def rate(self):
        return self.initial_lr


class _NotInPlace(_SGD):
    def apply(self, k, delta):
        self.params[k] = self.params[k] - delta  # a new array; the caller's array never changes


MISTAKES = [
    mistake(
        "first_step_dampened",
        title={"en": "the momentum buffer starts at zero (dampening on the first step)",
               "zh": "动量缓冲从零开始（第一步就做了 dampening）"},
        why={"en": "PyTorch has no buffer before the first step: it makes one as a plain copy of that first "
                   "gradient, buf = g, with no (1 - dampening) factor. Only later steps do "
                   "buf = momentum * buf + (1 - dampening) * g. Starting from zeros shrinks the first steps.",
             "zh": "第一步之前 PyTorch 并没有缓冲：它直接把第一步的梯度复制一份作为缓冲，buf = g，"
                   "不乘 (1 - dampening)。之后的每一步才做 buf = momentum * buf + (1 - dampening) * g。"
                   "从零开始会让最初几步变小。"},
        SGD=_FirstStepDampened),
    mistake(
        "moving_average_momentum",
        title={"en": "momentum as a moving average, (1 - momentum) * g", "zh": "把动量写成了滑动平均 (1 - momentum) * g"},
        why={"en": "SGD's buffer is not Adam's m: it adds the whole gradient, buf = momentum * buf + g, so with "
                   "momentum 0.9 steady steps grow to about 10 times lr * g. Only `dampening` holds part of g back.",
             "zh": "SGD 的缓冲不是 Adam 的 m：它加上整个梯度，buf = momentum * buf + g，所以 momentum 为 0.9 时，"
                   "稳定后的步长约为 lr * g 的 10 倍。只有 `dampening` 才会扣掉一部分梯度。"},
        SGD=_MovingAverage),
    mistake(
        "nesterov_ignored",
        title={"en": "Nesterov stepping along the buffer", "zh": "Nesterov 仍沿缓冲方向更新"},
        why={"en": "With nesterov=True the step is g + momentum * buf (after buf has been updated), a look "
                   "ahead along the buffer; stepping along buf alone is ordinary momentum.",
             "zh": "nesterov=True 时，更新方向是 g + momentum * buf（buf 已先更新），即沿缓冲方向向前多看一步；"
                   "只沿 buf 更新就是普通动量。"},
        SGD=_NesterovIgnored),
    mistake(
        "decay_after_momentum",
        title={"en": "weight decay added after the momentum buffer", "zh": "权重衰减加在了动量缓冲之后"},
        why={"en": "PyTorch adds weight_decay * p to the gradient first, so the decay goes into the buffer "
                   "and builds up with momentum. Adding it only to the final step leaves it out of the buffer.",
             "zh": "PyTorch 先把 weight_decay * p 加到梯度上，衰减项因此进入缓冲并随动量累积。"
                   "只在最后的更新量里加上它，缓冲里就没有这一项。"},
        SGD=_DecayAfterMomentum),
    mistake(
        "maximize_flips_step",
        title={"en": "maximize by flipping the sign of the whole step", "zh": "maximize 时把整个更新量取反"},
        why={"en": "maximize negates the gradient before anything else: g = -grad, then g + weight_decay * p. "
                   "Flipping the final step also flips the decay, which then pushes weights away from zero.",
             "zh": "maximize 要在一切之前先把梯度取反：g = -grad，然后再算 g + weight_decay * p。"
                   "把最终的更新量取反会连衰减项一起反向，权重反而被推离零点。"},
        SGD=_MaximizeFlipsStep),
    mistake(
        "lr_read_once",
        title={"en": "the learning rate copied at construction", "zh": "学习率在构造时就被固定下来"},
        why={"en": "A scheduler changes opt.lr between steps. Keep lr in self.lr and read self.lr inside "
                   "step() every time; a copy taken in __init__ ignores every later change.",
             "zh": "学习率调度器会在两步之间修改 opt.lr。把 lr 存为 self.lr，每次在 step() 里重新读取 self.lr；"
                   "在 __init__ 里另存一份副本，会忽略之后的所有修改。"},
        SGD=_LrReadOnce),
    mistake(
        "not_in_place",
        title={"en": "updating copies instead of the caller's arrays", "zh": "更新的是副本而不是调用者的数组"},
        why={"en": "self.params[k] = p - lr * g binds a new array, so the arrays the caller handed over never "
                   "move. Write into them instead: p -= lr * g, or p[...] = new_value.",
             "zh": "self.params[k] = p - lr * g 绑定的是一个新数组，调用者传入的数组从未改变。"
                   "应直接写入它们：p -= lr * g，或 p[...] = new_value。"},
        SGD=_NotInPlace),
]
