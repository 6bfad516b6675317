"""Classic wrong answers to optim.lr_schedulers, each named and explained. Each replaces one whole class."""

import math

from grader.testing.mistakes import mistake


class _SGD:
    """The file's given SGD: a test reaches it through the mistake too (a mistake replaces only what it names)."""

    def __init__(self, params, lr=1e-3):
        self.params, self.lr = list(params), lr

    def step(self, grads):
        for p, g in zip(self.params, grads):
            p -= self.lr * g


class _Scheduler:
    """A correct closed-form scheduler; `rate(e)` is what each wrong version below changes."""

    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.last_epoch = -1
        self.step()

    def step(self):
        self.last_epoch += 1
        self.optimizer.lr = self.rate(self.last_epoch)

    def get_last_lr(self):
        return [self.optimizer.lr]


class _StepLate(_Scheduler):
    """StepLR computing the rate before counting the epoch: every rate one epoch late."""

    def __init__(self, optimizer, step_size, gamma=0.1):
        if step_size < 1:
            raise ValueError("step_size")
        self.step_size, self.gamma = step_size, gamma
        self.optimizer, self.base_lr, self.last_epoch = optimizer, optimizer.lr, 0

    def step(self):
        self.optimizer.lr = self.base_lr * self.gamma ** (self.last_epoch // self.step_size)
        self.last_epoch += 1


class _StepDecayAtZero(_Scheduler):
    """StepLR written as 'multiply by gamma whenever the epoch is a multiple of step_size', 0 included."""

    def __init__(self, optimizer, step_size, gamma=0.1):
        if step_size < 1:
            raise ValueError("step_size")
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer)

    def step(self):
        self.last_epoch += 1
        if self.last_epoch % self.step_size == 0:
            self.optimizer.lr = self.optimizer.lr * self.gamma


class _MultiStepSet(_Scheduler):
    def __init__(self, optimizer, milestones, gamma=0.1):
        self.milestones, self.gamma = set(milestones), gamma  # a set: a repeated milestone is kept once
        super().__init__(optimizer)

    def rate(self, e):
        return self.base_lr * self.gamma ** sum(1 for k in self.milestones if k <= e)


class _MultiStepStrict(_Scheduler):
    def __init__(self, optimizer, milestones, gamma=0.1):
        self.milestones, self.gamma = sorted(milestones), gamma
        super().__init__(optimizer)

    def rate(self, e):
        return self.base_lr * self.gamma ** sum(1 for k in self.milestones if k < e)


class _Cosine(_Scheduler):
    def __init__(self, optimizer, T_max, eta_min=0.0):
        if T_max < 1:
            raise ValueError("T_max")
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer)


class _CosineRestart(_Cosine):
    def rate(self, e):
        e = e % self.T_max  # jumps back to base_lr at T_max (SGDR) instead of climbing back
        return self.eta_min + (self.base_lr - self.eta_min) * (1 + math.cos(math.pi * e / self.T_max)) / 2


class _CosineNoHalf(_Cosine):
    def rate(self, e):
        return self.eta_min + (self.base_lr - self.eta_min) * math.cos(math.pi * e / self.T_max)


class _CosineFromCurrent(_Cosine):
    def step(self):
        self.last_epoch += 1
        lr = self.optimizer.lr  # the current rate taken as the base: the factors multiply up
        self.optimizer.lr = self.eta_min + (lr - self.eta_min) * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2


class _Linear(_Scheduler):
    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5):
        if not (0 < start_factor <= 1 and 0 <= end_factor <= 1 and total_iters >= 1):
            raise ValueError("bad LinearLR argument")
        self.start_factor, self.end_factor, self.total_iters = start_factor, end_factor, total_iters
        super().__init__(optimizer)

    def factor(self, e, over):
        return self.start_factor + (self.end_factor - self.start_factor) * min(e, over) / over

    def rate(self, e):
        return self.base_lr * self.factor(e, self.total_iters)


class _LinearMinusOne(_Linear):
    def rate(self, e):
        over = max(self.total_iters - 1, 1)  # reaches end_factor one epoch early
        return self.base_lr * self.factor(e, over)


class _LinearNoEpochZero(_Linear):
    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5):
        if not (0 < start_factor <= 1 and 0 <= end_factor <= 1 and total_iters >= 1):
            raise ValueError("bad LinearLR argument")
        self.start_factor, self.end_factor, self.total_iters = start_factor, end_factor, total_iters
        self.optimizer, self.base_lr, self.last_epoch = optimizer, optimizer.lr, 0  # optimizer.lr left as it was


MISTAKES = [
    mistake(
        "rate_before_count",
        title={"en": "the rate computed before the epoch is counted", "zh": "先算学习率，再给 epoch 计数"},
        why={"en": "step() moves to the next epoch and then sets that epoch's rate: last_epoch += 1 first, "
                   "then optimizer.lr = the rate at last_epoch. Done the other way round, every rate comes one "
                   "epoch late and the constructor sets nothing.",
             "zh": "step() 先进入下一个 epoch，再设置这个 epoch 的学习率：先 last_epoch += 1，再令 optimizer.lr "
                   "等于 last_epoch 处的值。顺序反了，每个学习率都会晚一个 epoch，构造函数也什么都没设置。"},
        StepLR=_StepLate, SGD=_SGD),
    mistake(
        "decay_at_epoch_zero",
        title={"en": "StepLR decays already at epoch 0", "zh": "StepLR 在第 0 个 epoch 就衰减了"},
        why={"en": "0 is a multiple of every step_size, so 'multiply by gamma when epoch % step_size == 0' "
                   "decays the rate as soon as the scheduler is made. Epoch 0 runs at base_lr; use the closed "
                   "form base_lr * gamma ** (epoch // step_size).",
             "zh": "0 是任何 step_size 的倍数，所以“epoch % step_size == 0 时乘以 gamma”会在调度器一创建就衰减。"
                   "第 0 个 epoch 应使用 base_lr；请用闭式解 base_lr * gamma ** (epoch // step_size)。"},
        StepLR=_StepDecayAtZero, SGD=_SGD),
    mistake(
        "milestones_as_set",
        title={"en": "a repeated milestone counted once", "zh": "重复的 milestone 只算了一次"},
        why={"en": "torch keeps milestones in a Counter: an epoch listed twice multiplies the rate by gamma "
                   "twice there. Keep them as a (sorted) list and count every entry <= epoch.",
             "zh": "torch 用 Counter 保存 milestones：一个 epoch 出现两次，就在那里乘两次 gamma。"
                   "请把它们保存为（排好序的）列表，并统计所有 <= epoch 的项。"},
        MultiStepLR=_MultiStepSet, SGD=_SGD),
    mistake(
        "milestone_one_late",
        title={"en": "the decay applied the epoch after a milestone", "zh": "衰减在 milestone 的下一个 epoch 才生效"},
        why={"en": "At the milestone epoch itself the rate is already decayed: count the milestones with "
                   "k <= epoch, not k < epoch.",
             "zh": "到达 milestone 的那个 epoch，学习率就已经衰减了：统计 k <= epoch 的 milestone，而不是 k < epoch。"},
        MultiStepLR=_MultiStepStrict, SGD=_SGD),
    mistake(
        "cosine_restart",
        title={"en": "the cosine restarted at T_max", "zh": "余弦在 T_max 处重新开始"},
        why={"en": "torch's CosineAnnealingLR does not restart (that is CosineAnnealingWarmRestarts): past T_max "
                   "the same formula goes on, so the rate climbs back to base_lr at 2 * T_max. Use the epoch "
                   "itself, not epoch % T_max.",
             "zh": "torch 的 CosineAnnealingLR 不会重启（那是 CosineAnnealingWarmRestarts）：超过 T_max 后公式照旧，"
                   "学习率在 2 * T_max 时回升到 base_lr。直接用 epoch，不要用 epoch % T_max。"},
        CosineAnnealingLR=_CosineRestart, SGD=_SGD),
    mistake(
        "cosine_without_half",
        title={"en": "cos instead of (1 + cos) / 2", "zh": "用了 cos 而不是 (1 + cos) / 2"},
        why={"en": "cos(pi * e / T_max) runs from 1 to -1, so the rate would fall below eta_min and go negative. "
                   "(1 + cos(pi * e / T_max)) / 2 runs from 1 to 0: lr = eta_min + (base_lr - eta_min) * that.",
             "zh": "cos(pi * e / T_max) 从 1 变到 -1，学习率会低于 eta_min 甚至变成负数。"
                   "(1 + cos(pi * e / T_max)) / 2 从 1 变到 0：lr = eta_min + (base_lr - eta_min) * 这个量。"},
        CosineAnnealingLR=_CosineNoHalf, SGD=_SGD),
    mistake(
        "rate_from_current_lr",
        title={"en": "each rate computed from the current rate, not the base", "zh": "用当前学习率而不是基础学习率计算"},
        why={"en": "The closed form multiplies base_lr, read once when the scheduler is made. Multiplying the "
                   "rate the last step left in optimizer.lr compounds the factors, and the rate collapses.",
             "zh": "闭式解乘的是 base_lr，它在创建调度器时读取一次。若乘的是上一步留在 optimizer.lr 里的值，"
                   "各步的系数会累乘起来，学习率迅速塌到接近零。"},
        CosineAnnealingLR=_CosineFromCurrent, SGD=_SGD),
    mistake(
        "linear_over_total_minus_one",
        title={"en": "LinearLR interpolating over total_iters - 1 epochs", "zh": "LinearLR 按 total_iters - 1 个 epoch 插值"},
        why={"en": "The factor is start_factor at epoch 0 and end_factor at epoch total_iters: it moves by "
                   "(end_factor - start_factor) / total_iters per epoch, min(epoch, total_iters) / total_iters "
                   "of the way.",
             "zh": "倍数在第 0 个 epoch 是 start_factor，在第 total_iters 个 epoch 是 end_factor："
                   "每个 epoch 前进 (end_factor - start_factor) / total_iters，走过的比例是 min(epoch, total_iters) / total_iters。"},
        LinearLR=_LinearMinusOne, SGD=_SGD),
    mistake(
        "no_epoch_zero_rate",
        title={"en": "the constructor does not set the epoch-0 rate", "zh": "构造函数没有设置第 0 个 epoch 的学习率"},
        why={"en": "As in torch, making the scheduler is epoch 0 and already sets optimizer.lr: for LinearLR "
                   "that is base_lr * start_factor, so the first steps of training are warmed up too.",
             "zh": "与 torch 一样，创建调度器就是第 0 个 epoch，此时就要设置 optimizer.lr：LinearLR 应为 "
                   "base_lr * start_factor，这样训练最开始的几步也在预热。"},
        LinearLR=_LinearNoEpochZero, SGD=_SGD),
]
