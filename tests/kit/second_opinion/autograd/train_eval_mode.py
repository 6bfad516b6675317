"""SmallNet, Linear -> BatchNorm1d -> ReLU -> Dropout -> Linear (independent implementation).

Everything is computed in float64 with the layer's pieces kept as separate attributes; the batch
statistics come from explicit sums, the running variance from the sum of squared deviations over
N - 1, and the dropout mask keeps a unit when a uniform draw falls below 1 - p (the other side of
the interval from the reference). The result is cast back to x's dtype.
"""

import numpy as np


class SmallNet:
    def __init__(self, params, p=0.5):
        p = float(p)
        if p < 0.0 or p > 1.0:
            raise ValueError(f"p={p} is not in [0, 1]")
        try:
            get = {k: np.asarray(params[k], dtype=np.float64).copy() for k in
                   ("fc1.weight", "fc1.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
                    "fc2.weight", "fc2.bias")}
        except KeyError as err:
            raise ValueError(f"params has no key {err}") from None
        self.w1, self.b1 = get["fc1.weight"], get["fc1.bias"]
        self.gamma, self.beta = get["bn.weight"], get["bn.bias"]
        self.mu, self.sigma2 = get["bn.running_mean"], get["bn.running_var"]
        self.w2, self.b2 = get["fc2.weight"], get["fc2.bias"]
        self.p = p
        self.is_training = True

    def train(self):
        self.is_training = True
        return self

    def eval(self):
        self.is_training = False
        return self

    def forward(self, x, rng=None):
        if np.ndim(x) != 2 or np.shape(x)[1] != self.w1.shape[1]:
            raise ValueError(f"x must be (N, {self.w1.shape[1]}), got {np.shape(x)}")
        n = x.shape[0]
        if self.is_training and n == 1:
            raise ValueError("x: expected more than 1 value per channel when training")
        z = np.einsum("nd,hd->nh", np.asarray(x, dtype=np.float64), self.w1) + self.b1
        if self.is_training:
            mean = z.sum(axis=0) / n
            ss = ((z - mean) ** 2).sum(axis=0)
            scale = 1.0 / np.sqrt(ss / n + 1e-5)
            self.mu = self.mu + 0.1 * (mean - self.mu)
            self.sigma2 = self.sigma2 + 0.1 * (ss / (n - 1) - self.sigma2)
        else:
            mean, scale = self.mu, 1.0 / np.sqrt(self.sigma2 + 1e-5)
        a = np.clip((z - mean) * (scale * self.gamma) + self.beta, 0.0, None)
        if self.is_training and self.p > 0.0:
            gen = rng if rng is not None else np.random.default_rng()
            keep = gen.uniform(size=a.shape) < 1.0 - self.p
            a = np.where(keep, a / max(1.0 - self.p, 1e-300), 0.0)
        y = np.einsum("nh,oh->no", a, self.w2) + self.b2
        return y.astype(x.dtype)
