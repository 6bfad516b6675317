"""Alternative correct answer: torch's chainable (recursive) forms, each rate from the last one, with bisect."""
import math
from bisect import bisect_right
from collections import Counter


class SGD:
    def __init__(self, params, lr=1e-3):
        self.params, self.lr = list(params), lr

    def step(self, grads):
        for p, g in zip(self.params, grads):
            p[...] = p - self.lr * g


class _Base:
    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.base = optimizer.lr
        self.epoch = 0
        self.optimizer.lr = self.first()

    def first(self):
        return self.base

    def step(self):
        self.epoch += 1
        self.optimizer.lr = self.next(self.optimizer.lr)

    def get_last_lr(self):
        return [self.optimizer.lr]


class StepLR(_Base):
    def __init__(self, optimizer, step_size, gamma=0.1):
        if step_size < 1:
            raise ValueError("step_size < 1")
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer)

    def next(self, lr):
        return lr * self.gamma if self.epoch % self.step_size == 0 else lr


class MultiStepLR(_Base):
    def __init__(self, optimizer, milestones, gamma=0.1):
        self.counts, self.gamma = Counter(milestones), gamma
        self.sorted = sorted(self.counts.elements())
        super().__init__(optimizer)

    def first(self):
        return self.base * self.gamma ** bisect_right(self.sorted, 0)

    def next(self, lr):
        return lr * self.gamma ** self.counts[self.epoch]


class CosineAnnealingLR(_Base):
    def __init__(self, optimizer, T_max, eta_min=0.0):
        if T_max < 1:
            raise ValueError("T_max < 1")
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer)

    def next(self, lr):
        e, T = self.epoch, self.T_max
        if (e - 1 - T) % (2 * T) == 0:  # leaving the bottom: the ratio below would be 0 / 0
            return lr + (self.base - self.eta_min) * (1 - math.cos(math.pi / T)) / 2
        return (1 + math.cos(math.pi * e / T)) / (1 + math.cos(math.pi * (e - 1) / T)) * (lr - self.eta_min) + self.eta_min


class LinearLR(_Base):
    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5):
        if not 0 < start_factor <= 1 or not 0 <= end_factor <= 1 or total_iters < 1:
            raise ValueError("start_factor, end_factor or total_iters out of range")
        self.s, self.t, self.n = start_factor, end_factor, total_iters
        super().__init__(optimizer)

    def first(self):
        return self.base * self.s

    def next(self, lr):
        if self.epoch > self.n:
            return lr
        return lr * (1 + (self.t - self.s) / (self.n * self.s + (self.epoch - 1) * (self.t - self.s)))
