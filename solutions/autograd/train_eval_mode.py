"""A small network whose behaviour depends on its mode: batch norm and dropout in training and in eval."""

import numpy as np

KEYS = ("fc1.weight", "fc1.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
        "fc2.weight", "fc2.bias")


class SmallNet:
    """Linear -> BatchNorm1d -> ReLU -> Dropout(p) -> Linear, with a training mode and an eval mode.

    The pieces, restated so this file stands alone (write them here, or copy your own):
    - linear(x, weight, bias) = x @ weight.T + bias, weight (out, in), bias (out,).
    - BatchNorm1d over the H hidden units (eps = 1e-5, momentum = 0.1). In TRAINING mode every unit
      is normalised with the mean and the BIASED variance of its N values in the batch,
          h_hat = (h - mean) / sqrt(var + eps),    y = h_hat * bn.weight + bn.bias,
      and the running estimates are updated with the UNBIASED variance (var * N / (N - 1)):
          running_mean = 0.9 * running_mean + 0.1 * mean
          running_var  = 0.9 * running_var  + 0.1 * var * N / (N - 1)
      A batch of one has no variance: training mode refuses it. In EVAL mode the running estimates
      take the place of mean and var, and nothing is updated.
    - relu(h) = max(h, 0).
    - inverted dropout: in training, each hidden value is zeroed with probability p and the
      survivors are divided by 1 - p (p = 1 zeroes everything); in eval it does nothing.

    The net keeps its own copies of the arrays in `params`: the caller's arrays are never changed,
    and changing them after construction does not change the net. A new net is in training mode.

    Shapes:
        x: (N, D) -> (N, O);  fc1.weight (H, D), fc1.bias and bn.* (H,), fc2.weight (O, H), fc2.bias (O,)

    PyTorch: nn.Sequential(OrderedDict(fc1=nn.Linear(D, H), bn=nn.BatchNorm1d(H), relu=nn.ReLU(),
        drop=nn.Dropout(p), fc2=nn.Linear(H, O))) with these weights, in .train() or .eval()
    """

    def __init__(self, params, p=0.5):
        """Create the net in training mode with copies of the weights and running statistics.

        Args:
            params: a dict with the keys fc1.weight (H, D), fc1.bias (H,), bn.weight (H,), bn.bias (H,),
                bn.running_mean (H,), bn.running_var (H,), fc2.weight (O, H), fc2.bias (O,). Not modified.
            p: the probability of zeroing a hidden value in training, in [0, 1].

        Raises:
            ValueError: if p is outside [0, 1], a key is missing, or the shapes do not fit together.
        """
        # BEGIN SOLUTION: check p, the keys and the shapes; keep a copy of every array; start in training mode
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p must be a probability in [0, 1], got p={p}")
        missing = [k for k in KEYS if k not in params]
        if missing:
            raise ValueError(f"params lacks the key(s) {missing}")
        self.params = {k: np.array(params[k], copy=True) for k in KEYS}  # the net's own copies
        _check_shapes(self.params)
        self.p = p
        self.eps = 1e-5
        self.momentum = 0.1
        self.training = True
        # END SOLUTION

    def train(self):
        """Switch to training mode (batch statistics, running estimates updated, dropout on). Returns self."""
        # BEGIN SOLUTION: set training to True
        self.training = True
        return self
        # END SOLUTION

    def eval(self):
        """Switch to eval mode (running estimates used, nothing updated, no dropout). Returns self."""
        # BEGIN SOLUTION: set training to False
        self.training = False
        return self
        # END SOLUTION

    def forward(self, x, rng=None):
        """Run the net on a batch in its current mode.

        Args:
            x: float32 or float64, (N, D) with D = fc1.weight.shape[1]; N > 1 in training mode.
            rng: the np.random.Generator that draws the dropout mask in training; None means a fresh
                np.random.default_rng(). Not used in eval mode.

        Returns:
            The outputs, (N, O), in x's dtype.

        Raises:
            ValueError: if x is not 2-D, its feature count is not D, or (in training) N = 1, as torch
                ("Expected more than 1 value per channel when training").

        Shapes:
            x: (N, D) -> (N, O)

        PyTorch: model(x) in the model's current mode
        """
        # BEGIN SOLUTION: fc1; in training batch mean and biased var (running estimates updated with the unbiased var), in eval the running estimates; scale and shift; relu; in training the inverted-dropout mask; fc2
        P = self.params
        if np.ndim(x) != 2:
            raise ValueError(f"x must be 2-D (N, D), got shape {np.shape(x)}")
        if x.shape[1] != P["fc1.weight"].shape[1]:
            raise ValueError(f"x has {x.shape[1]} features but fc1.weight expects {P['fc1.weight'].shape[1]}")
        n = x.shape[0]
        if self.training and n < 2:
            raise ValueError(f"x of shape {x.shape} is a batch of one: expected more than 1 value per channel "
                             "when training")
        h = x @ P["fc1.weight"].T + P["fc1.bias"]  # (N, H)
        if self.training:
            mean, var = h.mean(axis=0), h.var(axis=0)  # (H,), var biased: divided by N
            m = self.momentum
            P["bn.running_mean"] = (1 - m) * P["bn.running_mean"] + m * mean  # (H,) a new array
            P["bn.running_var"] = (1 - m) * P["bn.running_var"] + m * var * (n / (n - 1))  # (H,) unbiased
        else:
            mean, var = P["bn.running_mean"], P["bn.running_var"]  # (H,)
        h = (h - mean) / np.sqrt(var + self.eps) * P["bn.weight"] + P["bn.bias"]  # (N, H)
        h = np.maximum(h, 0)  # (N, H)
        if self.training and self.p > 0:
            if self.p == 1:
                h = np.zeros_like(h)  # everything dropped; no division by 1 - p = 0
            else:
                rng = np.random.default_rng() if rng is None else rng
                keep = rng.random(h.shape) >= self.p  # (N, H) True with probability 1 - p
                h = h * keep / (1 - self.p)  # (N, H)
        out = h @ P["fc2.weight"].T + P["fc2.bias"]  # (N, O)
        return out.astype(x.dtype, copy=False)
        # END SOLUTION


def _check_shapes(P):
    w1, w2 = P["fc1.weight"], P["fc2.weight"]
    if w1.ndim != 2 or w2.ndim != 2:
        raise ValueError(f"fc1.weight and fc2.weight must be 2-D, got {w1.shape} and {w2.shape}")
    H = w1.shape[0]
    for k in ("fc1.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"):
        if P[k].shape != (H,):
            raise ValueError(f"params[{k!r}] must have shape ({H},), one per hidden unit, got {P[k].shape}")
    if w2.shape[1] != H:
        raise ValueError(f"fc2.weight has {w2.shape[1]} inputs but fc1 gives {H} hidden units")
    if P["fc2.bias"].shape != (w2.shape[0],):
        raise ValueError(f"params['fc2.bias'] must have shape ({w2.shape[0]},), got {P['fc2.bias'].shape}")
