"""Training-mode batch norm backward and BatchNorm1d (independent implementation).

The channel axis is moved to the front and the rest flattened, giving a (C, m) matrix; everything
is computed on it in float64, with the gradient written as the classic

    grad_x = inv_std / m * (m * dx_hat - sum(dx_hat) - x_hat * sum(dx_hat * x_hat))

and the results are moved back and cast to the input dtype.
"""

import numpy as np


def _rows(a):
    """(N, C, *) -> (C, N * prod(*)) in float64."""
    a = np.asarray(a, dtype=np.float64)
    return np.moveaxis(a, 1, 0).reshape(a.shape[1], -1)


def _unrows(r, shape):
    """(C, m) -> (N, C, *), the inverse of _rows."""
    moved = (shape[1], shape[0]) + tuple(shape[2:])
    return np.moveaxis(r.reshape(moved), 0, 1)


def batch_norm_backward(grad_out, x, weight=None, eps=1e-5):
    x, g = np.asarray(x), np.asarray(grad_out)
    if x.ndim < 2 or x.ndim > 4:
        raise ValueError(f"x must be 2-D, 3-D or 4-D with channels on axis 1, got {x.shape}")
    if g.shape != x.shape:
        raise ValueError(f"grad_out {g.shape} must have the shape of x {x.shape}")
    C = x.shape[1]
    if weight is not None and np.shape(weight) != (C,):
        raise ValueError(f"weight must be ({C},), got {np.shape(weight)}")
    xr, gr = _rows(x), _rows(g)  # (C, m)
    m = xr.shape[1]
    if m <= 1:
        raise ValueError(f"expected more than 1 value per channel when training, got x of shape {x.shape}")
    centred = xr - xr.sum(axis=1, keepdims=True) / m
    var = np.einsum("cm,cm->c", centred, centred)[:, None] / m  # biased
    inv_std = (var + eps) ** -0.5
    x_hat = centred * inv_std
    w = np.ones((C, 1)) if weight is None else np.asarray(weight, dtype=np.float64)[:, None]
    dxh = gr * w
    gx = inv_std / m * (m * dxh - dxh.sum(axis=1, keepdims=True) - x_hat * np.einsum("cm,cm->c", dxh, x_hat)[:, None])
    dtype = x.dtype
    grad_x = _unrows(gx, x.shape).astype(dtype)
    grad_weight = None if weight is None else np.einsum("cm,cm->c", gr, x_hat).astype(dtype)
    grad_bias = gr.sum(axis=1).astype(dtype)
    return grad_x, grad_weight, grad_bias


class BatchNorm1d:
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        self.num_features = int(num_features)
        self.eps = float(eps)
        self.momentum = float(momentum)
        self.weight = np.ones(self.num_features)
        self.bias = np.zeros(self.num_features)
        self.running_mean = np.zeros(self.num_features)
        self.running_var = np.ones(self.num_features)
        self.num_batches_tracked = 0
        self.training = True

    def train(self, mode=True):
        self.training = bool(mode)
        return self

    def eval(self):
        return self.train(False)

    def forward(self, x):
        x = np.asarray(x)
        if x.ndim not in (2, 3):
            raise ValueError(f"expected 2D or 3D input, got {x.ndim}D input")
        if x.shape[1] != self.num_features:
            raise ValueError(f"x has {x.shape[1]} channels, expected num_features={self.num_features}")
        xr = _rows(x)  # (C, m)
        if self.training:
            count = xr.shape[1]
            if count <= 1:
                raise ValueError(f"expected more than 1 value per channel when training, got input size {x.shape}")
            mu = xr.mean(axis=1)
            var = ((xr - mu[:, None]) ** 2).mean(axis=1)
            k = self.momentum
            self.running_mean = self.running_mean + k * (mu - self.running_mean)
            self.running_var = self.running_var + k * (var * count / (count - 1) - self.running_var)
            self.num_batches_tracked += 1
        else:
            mu = np.asarray(self.running_mean, dtype=np.float64)
            var = np.asarray(self.running_var, dtype=np.float64)
        scale = np.asarray(self.weight, dtype=np.float64) / np.sqrt(var + self.eps)
        shift = np.asarray(self.bias, dtype=np.float64) - mu * scale
        y = xr * scale[:, None] + shift[:, None]
        return _unrows(y, x.shape).astype(x.dtype)

    def __call__(self, x):
        return self.forward(x)
