"""BatchNorm2d mirroring torch.nn.BatchNorm2d (independent implementation).

Statistics are computed in float64 on a (C, N*H*W) view of the batch; the output is cast back
to the input's floating dtype.
"""

import numpy as np


class BatchNorm2d:
    """Per-channel batch normalisation of (N, C, H, W) input; see torch.nn.BatchNorm2d.

    momentum=None is also accepted and, as in PyTorch, means a cumulative moving average
    (the newest batch gets weight 1 / num_batches_tracked).
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        try:
            c = int(num_features)
        except (TypeError, ValueError):
            raise ValueError(f"num_features must be a positive int, got {num_features!r}") from None
        if c != num_features or c < 1:
            raise ValueError(f"num_features must be a positive int, got {num_features!r}")
        self.num_features = c
        self.eps = float(eps)
        self.momentum = None if momentum is None else float(momentum)
        self.weight = np.ones(c, dtype=np.float64)
        self.bias = np.zeros(c, dtype=np.float64)
        self.running_mean = np.zeros(c, dtype=np.float64)
        self.running_var = np.ones(c, dtype=np.float64)
        self.num_batches_tracked = 0
        self.training = True

    def train(self, mode=True):
        self.training = bool(mode)
        return self

    def eval(self):
        return self.train(False)

    def _validate(self, x):
        if x.ndim != 4:
            raise ValueError(f"x must be 4-D (N, C, H, W), got shape {x.shape}")
        if x.shape[1] != self.num_features:
            raise ValueError(f"x has {x.shape[1]} channels, expected num_features={self.num_features}")

    def forward(self, x):
        x = np.asarray(x)
        self._validate(x)
        out_dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.dtype(np.float64)
        N, C, H, W = x.shape
        count = N * H * W

        gamma = np.asarray(self.weight, dtype=np.float64).reshape(C)
        beta = np.asarray(self.bias, dtype=np.float64).reshape(C)

        if self.training:
            if count == 1:
                raise ValueError(f"x of shape {x.shape} gives each channel a single value; "
                                 "training needs more than one value per channel")
            self.num_batches_tracked += 1
            if count == 0:
                # Empty batch: nothing to measure, running estimates untouched (as in PyTorch).
                return np.empty(x.shape, dtype=out_dtype)
            # (C, N*H*W) view: one row per channel.
            per_channel = np.moveaxis(x, 1, 0).reshape(C, count).astype(np.float64)
            mu = per_channel.mean(axis=1)
            centred = per_channel - mu[:, None]
            var_biased = np.einsum("ck,ck->c", centred, centred) / count

            if self.momentum is None:
                factor = 1.0 / self.num_batches_tracked
            else:
                factor = self.momentum
            unbiased = var_biased * (count / (count - 1))
            self.running_mean = (1.0 - factor) * self.running_mean + factor * mu
            self.running_var = (1.0 - factor) * self.running_var + factor * unbiased
            mean_used, var_used = mu, var_biased
        else:
            mean_used = np.asarray(self.running_mean, dtype=np.float64)
            var_used = np.asarray(self.running_var, dtype=np.float64)

        scale = gamma / np.sqrt(var_used + self.eps)          # (C,)
        shift = beta - mean_used * scale                      # (C,)
        y = x.astype(np.float64) * scale[None, :, None, None] + shift[None, :, None, None]
        return y.astype(out_dtype, copy=False)

    def __call__(self, x):
        return self.forward(x)
