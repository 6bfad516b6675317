"""A whole training loop by hand: an MLP fitted to y = f(x) with full-batch MSE and Adam."""

import numpy as np

BETA1, BETA2, EPS = 0.9, 0.999, 1e-8


def train(x, y, hidden=32, steps=2000, lr=1e-2, rng=None):
    """Fit y = f(x) with a one-hidden-layer tanh MLP, full-batch mean squared error and Adam.

    The model, restated so this file stands alone: Linear(1, hidden), tanh, Linear(hidden, 1),
        h = tanh(x @ W1.T + b1),  pred = h @ W2.T + b2,  loss = mean((pred - y) ** 2),
    with W1 (hidden, 1), b1 (hidden,), W2 (1, hidden), b2 (1,), drawn as nn.Linear draws them:
    uniform on [-1/sqrt(fan_in), 1/sqrt(fan_in)] with fan_in 1 for the first layer and hidden for
    the second. Each step computes the loss and its gradients by hand on the whole batch, then
    moves every parameter with Adam (betas 0.9 and 0.999, eps 1e-8, bias-corrected moments).
    The arithmetic is float64 inside, whatever x's dtype.

    Args:
        x: the inputs, (N, 1), float32 or float64.
        y: the targets, (N, 1), same N.
        hidden: the number of hidden units, an int >= 1.
        steps: the number of Adam updates, an int >= 1.
        lr: Adam's learning rate, > 0.
        rng: a np.random.Generator for the initial weights, the only randomness; None means
            np.random.default_rng() (a new, unseeded one).

    Returns:
        (predict, losses): predict(x_new) maps any (M, 1) array to the trained net's (M, 1)
        predictions in x_new's dtype, with the final weights (calling it changes nothing);
        losses a list of `steps` floats, losses[i] the training MSE BEFORE the i-th update.

    Raises:
        ValueError: if x is not (N, 1) with N >= 1, y's shape is not x's, hidden or steps is
            below 1, or lr is not positive.

    Shapes:
        x: (N, 1), y: (N, 1) -> predict: (M, 1) -> (M, 1); losses: steps floats

    PyTorch: net = nn.Sequential(nn.Linear(1, hidden), nn.Tanh(), nn.Linear(hidden, 1));
        opt = torch.optim.Adam(net.parameters(), lr); each step: loss = F.mse_loss(net(x), y);
        opt.zero_grad(); loss.backward(); opt.step().
    """
    # TODO: draw into one flat vector; per step: forward, record the loss, backward, Adam; predict uses the last
    raise NotImplementedError("autograd.train_loop: train")


def _init(hidden, rng):
    """(W1, b1, W2, b2), uniform on [-1/sqrt(fan_in), 1/sqrt(fan_in)] as nn.Linear, all from rng."""
    # TODO: fan_in 1 for the first layer, hidden for the second
    raise NotImplementedError("autograd.train_loop: _init")


def _unpack(theta, hidden):
    """(W1, b1, W2, b2) as views into the flat vector theta, the order _init gives them in."""
    # TODO: W1 is theta[:H], b1 theta[H:2H], W2 theta[2H:3H], b2 theta[3H:]
    raise NotImplementedError("autograd.train_loop: _unpack")


def _forward(x, params):
    """(h, pred): the hidden activations tanh(x @ W1.T + b1) and the output h @ W2.T + b2."""
    # TODO: two Linears with a tanh between
    raise NotImplementedError("autograd.train_loop: _forward")


def _loss_and_grads(x, y, params):
    """The mean squared error on the batch and its gradients (dW1, db1, dW2, db2), shaped as the parameters."""
    # TODO: d loss / d pred = 2 (pred - y) / N, then back through fc2, the tanh (1 - h**2) and fc1
    raise NotImplementedError("autograd.train_loop: _loss_and_grads")


def _check(x, y, hidden, steps, lr):
    """Refuse shapes and settings that cannot train."""
    # TODO: x (N, 1) with N >= 1, y like x, hidden and steps integers >= 1, lr > 0
    raise NotImplementedError("autograd.train_loop: _check")
