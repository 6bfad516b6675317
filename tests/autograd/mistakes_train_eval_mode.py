"""Classic wrong answers to autograd.train_eval_mode, each named and explained. Each replaces the whole class."""

import numpy as np

from grader.testing.mistakes import mistake

KEYS = ("fc1.weight", "fc1.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
        "fc2.weight", "fc2.bias")


class _Net:
    """A correct SmallNet split into small steps; each mistake overrides exactly one of them."""

    start_training = True

    def __init__(self, params, p=0.5):
        if not 0 <= p <= 1:
            raise ValueError("p out of range")
        if any(k not in params for k in KEYS):
            raise ValueError("missing key")
        self.P = self.keep(params)
        self.p = p
        self.training = self.start_training

    def keep(self, params):
        return {k: np.array(params[k], copy=True) for k in KEYS}

    def train(self):
        self.training = True
        return self

    def eval(self):
        self.training = False
        return self

    def forward(self, x, rng=None):
        P = self.P
        if np.ndim(x) != 2 or x.shape[1] != P["fc1.weight"].shape[1]:
            raise ValueError("x must be (N, D)")
        if self.training and x.shape[0] < 2:
            raise ValueError("a batch of one")
        h = x @ P["fc1.weight"].T + P["fc1.bias"]
        h = self.hidden(h, rng)
        return (h @ P["fc2.weight"].T + P["fc2.bias"]).astype(x.dtype)

    def hidden(self, h, rng):
        return self.dropout(np.maximum(self.norm(h), 0), rng)

    def norm(self, h):
        P = self.P
        if self.training:
            mean, var = h.mean(axis=0), h.var(axis=0)
            self.update(mean, var, h.shape[0])
            mean, var = self.train_stats(mean, var)
        else:
            mean, var = self.eval_stats(h)
        return (h - mean) / np.sqrt(var + 1e-5) * P["bn.weight"] + P["bn.bias"]

    def train_stats(self, mean, var):
        return mean, var

    def eval_stats(self, h):
        return self.P["bn.running_mean"], self.P["bn.running_var"]

    def update(self, mean, var, n):
        P = self.P
        P["bn.running_mean"] = 0.9 * P["bn.running_mean"] + 0.1 * mean
        P["bn.running_var"] = 0.9 * P["bn.running_var"] + 0.1 * self.unbiased(var, n)

    def unbiased(self, var, n):
        return var * n / (n - 1)

    def dropout_on(self):
        return self.training

    def dropout(self, h, rng):
        if not self.dropout_on() or self.p == 0:
            return h
        if self.p == 1:
            return np.zeros_like(h)
        rng = np.random.default_rng() if rng is None else rng
        return h * self.mask(h, rng) / (1 - self.p)

    def mask(self, h, rng):
        return rng.random(h.shape) >= self.p


class _BiasedRunningVar(_Net):
    def unbiased(self, var, n):
        return var


class _MomentumSwapped(_Net):
    def update(self, mean, var, n):
        P = self.P
        P["bn.running_mean"] = 0.1 * P["bn.running_mean"] + 0.9 * mean
        P["bn.running_var"] = 0.1 * P["bn.running_var"] + 0.9 * var * n / (n - 1)


class _EvalBatchStats(_Net):
    def eval_stats(self, h):
        return h.mean(axis=0), h.var(axis=0)


class _TrainRunningStats(_Net):
    def train_stats(self, mean, var):
        return self.P["bn.running_mean"], self.P["bn.running_var"]


class _UpdatedInEval(_Net):
    def eval_stats(self, h):
        mean, var = self.P["bn.running_mean"], self.P["bn.running_var"]
        self.update(h.mean(axis=0), h.var(axis=0), h.shape[0])
        return mean, var


class _EvalDropout(_Net):
    def dropout_on(self):
        return True


class _NoDropoutScale(_Net):
    def dropout(self, h, rng):
        if not self.training or self.p == 0:
            return h
        rng = np.random.default_rng() if rng is None else rng
        return h * self.mask(h, rng)


class _KeepWithP(_Net):
    def mask(self, h, rng):
        return rng.random(h.shape) < self.p


class _NanAtOne(_Net):
    def dropout(self, h, rng):
        if not self.training or self.p == 0:
            return h
        rng = np.random.default_rng() if rng is None else rng
        with np.errstate(divide="ignore", invalid="ignore"):
            return h * self.mask(h, rng) / (1 - self.p)


class _DropoutBeforeNorm(_Net):
    def hidden(self, h, rng):
        return np.maximum(self.norm(self.dropout(h, rng)), 0)


class _ReluBeforeNorm(_Net):
    def hidden(self, h, rng):
        return self.dropout(self.norm(np.maximum(h, 0)), rng)


class _StartsInEval(_Net):
    start_training = False


class _KeepsReferences(_Net):
    def keep(self, params):
        return dict(params)  # the caller's arrays themselves; updates rebind the net's entries


class _WritesIntoCaller(_Net):
    def keep(self, params):
        return dict(params)

    def update(self, mean, var, n):
        P = self.P
        P["bn.running_mean"][...] = 0.9 * P["bn.running_mean"] + 0.1 * mean  # in place: the caller's array
        P["bn.running_var"][...] = 0.9 * P["bn.running_var"] + 0.1 * var * n / (n - 1)


MISTAKES = [
    mistake(
        "biased_running_var",
        title={"en": "running_var updated with the biased batch variance",
               "zh": "用有偏的批方差更新 running_var"},
        why={"en": "Batch norm normalises a training batch with the biased variance (divide by N), but the running "
                   "estimate that eval mode will use is built from the UNBIASED one: multiply by N / (N - 1) before "
                   "mixing it in. The difference is largest for small batches (twice as large for N = 2).",
             "zh": "训练时批归一化用有偏方差（除以 N）来归一化这一批，但 eval 模式要用的滑动估计是用无偏方差累积的："
                   "混合进去之前先乘以 N / (N - 1)。批越小差别越大（N = 2 时相差一倍）。"},
        SmallNet=_BiasedRunningVar),
    mistake(
        "momentum_swapped",
        title={"en": "momentum the wrong way round: running = 0.1 * running + 0.9 * batch",
               "zh": "动量方向反了：running = 0.1 * running + 0.9 * batch"},
        why={"en": "In torch's batch norm, momentum = 0.1 is the weight of the NEW batch: running = 0.9 * running + "
                   "0.1 * batch. It is the opposite of the momentum of optimisers, where 0.9 is the weight of the "
                   "past; swapping them lets the last batch almost overwrite the running statistics.",
             "zh": "在 torch 的批归一化中，momentum = 0.1 是新批次的权重：running = 0.9 * running + 0.1 * batch。"
                   "这和优化器里的动量正好相反（那里 0.9 是历史的权重）；弄反之后，最后一批几乎会覆盖掉滑动统计量。"},
        SmallNet=_MomentumSwapped),
    mistake(
        "eval_batch_stats",
        title={"en": "eval mode still normalising with the batch statistics",
               "zh": "eval 模式仍然用当前批的统计量归一化"},
        why={"en": "The point of the running statistics is that eval does not depend on which other samples are in "
                   "the batch: in eval mode, normalise with running_mean and running_var. With batch statistics a "
                   "batch of one would be normalised to bn.bias whatever its input.",
             "zh": "滑动统计量的意义就在于 eval 的结果不取决于同一批里还有哪些样本：eval 模式下要用 running_mean 和 "
                   "running_var 归一化。如果用批统计量，批大小为 1 时无论输入是什么，归一化后都只剩 bn.bias。"},
        SmallNet=_EvalBatchStats),
    mistake(
        "train_running_stats",
        title={"en": "training mode normalising with the running statistics",
               "zh": "训练模式用滑动统计量归一化"},
        why={"en": "In training mode each batch is normalised with its OWN mean and biased variance; the running "
                   "statistics are only updated there, to be used later in eval mode.",
             "zh": "训练模式下每一批都用它自己的均值和有偏方差归一化；滑动统计量在训练时只负责更新，留到 eval "
                   "模式再用。"},
        SmallNet=_TrainRunningStats),
    mistake(
        "updated_in_eval",
        title={"en": "running statistics updated in eval mode too", "zh": "eval 模式下也在更新滑动统计量"},
        why={"en": "Eval mode only reads the running statistics. Updating them there makes the net's answer to the "
                   "same input drift with every evaluation batch; only training-mode forwards update them.",
             "zh": "eval 模式只读取滑动统计量。如果在 eval 时也更新它们，同一个输入每评估一批结果就变一次；"
                   "只有训练模式的前向传播才更新它们。"},
        SmallNet=_UpdatedInEval),
    mistake(
        "eval_dropout",
        title={"en": "dropout still applied in eval mode", "zh": "eval 模式下仍然在做 dropout"},
        why={"en": "Dropout is for training only. In eval mode every hidden unit passes unchanged, whatever p is "
                   "and whether or not an rng is given; the 1 / (1 - p) in training already keeps the scale right.",
             "zh": "dropout 只在训练时使用。eval 模式下，不管 p 是多少、有没有传入 rng，每个隐藏单元都原样通过；"
                   "训练时的 1 / (1 - p) 已经让尺度保持一致。"},
        SmallNet=_EvalDropout),
    mistake(
        "no_dropout_scale",
        title={"en": "dropout without the 1 / (1 - p) scaling", "zh": "dropout 没有乘以 1 / (1 - p)"},
        why={"en": "Zeroing a fraction p of the hidden units shrinks their average by (1 - p). Inverted dropout "
                   "divides the survivors by 1 - p in training, so eval mode, which drops nothing, sees the same "
                   "scale.",
             "zh": "把比例为 p 的隐藏单元置零，会让它们的平均值缩小为 (1 - p) 倍。反向 dropout 在训练时把保留下来"
                   "的单元除以 1 - p，这样什么都不丢的 eval 模式看到的尺度就和训练时一样。"},
        SmallNet=_NoDropoutScale),
    mistake(
        "keep_with_p",
        title={"en": "hidden units kept with probability p", "zh": "以概率 p 保留隐藏单元"},
        why={"en": "p is the probability of ZEROING a unit, as in nn.Dropout(p): keep it when a uniform draw is at "
                   "least p (probability 1 - p).",
             "zh": "和 nn.Dropout(p) 一样，p 是单元被置零的概率：均匀随机数不小于 p 时才保留（概率为 1 - p）。"},
        SmallNet=_KeepWithP),
    mistake(
        "nan_at_p_one",
        title={"en": "NaN for p = 1 (dividing by 1 - p = 0)", "zh": "p = 1 时出现 NaN（除以了 1 - p = 0）"},
        why={"en": "With p = 1 every unit is dropped, and torch returns zeros; 0 / 0 gives NaN instead. Treat p = 1 "
                   "on its own: the hidden layer is all zeros, so the output is fc2.bias.",
             "zh": "p = 1 时所有单元都被丢弃，torch 返回全零；而 0 / 0 会得到 NaN。要单独处理 p = 1：隐藏层全为零，"
                   "输出就是 fc2.bias。"},
        SmallNet=_NanAtOne),
    mistake(
        "dropout_before_norm",
        title={"en": "dropout applied before batch norm", "zh": "在批归一化之前做了 dropout"},
        why={"en": "The order is Linear, BatchNorm1d, ReLU, Dropout, Linear. Dropping before the batch norm changes "
                   "the batch statistics (and so the running ones), and the normalisation then turns the dropped "
                   "zeros into nonzero values.",
             "zh": "顺序是 Linear、BatchNorm1d、ReLU、Dropout、Linear。在批归一化之前做 dropout 会改变批统计量"
                   "（进而改变滑动统计量），而且归一化会把被丢弃的零又变成非零值。"},
        SmallNet=_DropoutBeforeNorm),
    mistake(
        "relu_before_norm",
        title={"en": "ReLU applied before batch norm", "zh": "在批归一化之前做了 ReLU"},
        why={"en": "The batch norm sits between fc1 and the ReLU: normalise the pre-activations, scale and shift "
                   "them, and only then clip at 0. Clipping first normalises a different set of numbers and lets "
                   "negative values through.",
             "zh": "批归一化位于 fc1 和 ReLU 之间：先对激活前的值做归一化、缩放和平移，然后才在 0 处截断。"
                   "先截断会归一化另一组数，还会让负值漏过去。"},
        SmallNet=_ReluBeforeNorm),
    mistake(
        "starts_in_eval",
        title={"en": "a new net in eval mode", "zh": "新建的网络处于 eval 模式"},
        why={"en": "Like every torch module, a new SmallNet is in TRAINING mode until eval() is called: set "
                   "training = True in __init__.",
             "zh": "和所有 torch 模块一样，新建的 SmallNet 在调用 eval() 之前处于训练模式：在 __init__ 里设置 "
                   "training = True。"},
        SmallNet=_StartsInEval),
    mistake(
        "keeps_references",
        title={"en": "the net keeping the caller's arrays instead of copies",
               "zh": "网络直接保存了调用者的数组，而不是副本"},
        why={"en": "params belongs to the caller, who may reuse or change its arrays after building the net. Keep "
                   "a copy of every array (np.array(v, copy=True)), so the net's weights and statistics are its own.",
             "zh": "params 属于调用者，调用者在建好网络之后可能复用或修改这些数组。要给每个数组都做一份副本"
                   "（np.array(v, copy=True)），让网络的权重和统计量都归它自己所有。"},
        SmallNet=_KeepsReferences),
    mistake(
        "writes_into_caller",
        title={"en": "running statistics written into the caller's arrays",
               "zh": "把滑动统计量写进了调用者的数组"},
        why={"en": "Updating running_mean and running_var in place ([...] =, +=) on the arrays the caller passed "
                   "changes the caller's params behind its back. Copy them when the net is made, then update the "
                   "copies.",
             "zh": "在调用者传入的数组上原地更新 running_mean 和 running_var（[...] =、+=），会在调用者不知情时改掉"
                   "它的 params。建网络时先复制，之后只更新副本。"},
        SmallNet=_WritesIntoCaller),
]
