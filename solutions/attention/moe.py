"""A mixture-of-experts layer: a router sends each token to its top-k expert MLPs, plus the load-balancing loss."""

import numpy as np

EXPERT_KEYS = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")


def moe(x, gate_weight, experts, top_k=2):
    """Route each token to its top_k experts, mix their outputs, and measure how evenly the load is spread.

    The router scores every expert for every token: logits = x @ gate_weight.T, (N, E). Each
    token goes to the top_k experts with the largest logits, and their outputs are mixed with
    weights that are a softmax over those k selected logits only (so the k weights sum to 1).
    An expert is a two-layer ReLU MLP, fc2(relu(fc1(x))), in nn.Linear's layout (out, in).
    Experts that no token chose do no work.

    The auxiliary (load-balancing) loss of the Switch Transformer is
        aux_loss = E * sum_e f_e * P_e,
    with f_e the fraction of tokens whose FIRST choice (top-1) is expert e, and P_e the mean over
    tokens of the router's full softmax probability for e (softmax over all E logits). It is 1
    when the load is spread evenly and grows as the router favours a few experts.

    Args:
        x: the tokens, (N, C), float32 or float64.
        gate_weight: the router's weight, (E, C), one row per expert.
        experts: a list of E dicts, each with "fc1.weight" (H, C), "fc1.bias" (H,),
            "fc2.weight" (C, H) and "fc2.bias" (C,); H may differ between experts. Not modified.
        top_k: the number of experts per token, an int with 1 <= top_k <= E.

    Returns:
        (y, aux_loss): y (N, C) in the dtype of `x`; aux_loss a Python float.

    Raises:
        ValueError: if `x` or `gate_weight` is not 2-D, their C differ, len(experts) != E, an
            expert lacks a key or has a mis-shaped parameter, or top_k is not in [1, E].

    Shapes:
        x: (N, C), gate_weight: (E, C) -> y: (N, C), aux_loss: ()

    PyTorch: logits = x @ gate_weight.T; vals, idx = torch.topk(logits, top_k); w = softmax(vals);
        y = sum over the k slots of w * expert[idx](x); aux = E * (one_hot(idx[:, 0]).mean(0)
        * softmax(logits).mean(0)).sum()
    """
    # BEGIN SOLUTION: check; logits, top-k by descending logit, softmax over the chosen; each expert on its tokens; aux
    _check(x, gate_weight, experts, top_k)
    N, E = x.shape[0], gate_weight.shape[0]
    logits = x @ gate_weight.T  # (N, C) @ (C, E) -> (N, E)
    chosen = np.argsort(-logits, axis=-1, kind="stable")[:, :top_k]  # (N, k): largest logit first
    weights = _softmax(np.take_along_axis(logits, chosen, axis=-1))  # (N, k): sums to 1 per token
    y = np.zeros_like(x)  # (N, C)
    for e, expert in enumerate(experts):
        rows, slot = np.nonzero(chosen == e)  # the tokens that picked e, and in which slot
        if rows.size:
            y[rows] += weights[rows, slot, None] * _expert(x[rows], expert)  # (n_e, C)
    f = np.bincount(chosen[:, 0], minlength=E) / N  # (E,): share of tokens whose first choice is e
    P = _softmax(logits).mean(axis=0)  # (E,): mean full router probability
    return y, float(E * np.sum(f * P))
    # END SOLUTION


def _softmax(z):
    """Softmax over the last axis, shifted by the row maximum."""
    # BEGIN SOLUTION: subtract the row max, exponentiate, divide by the row sum
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
    # END SOLUTION


def _expert(x, expert):
    """fc2(relu(fc1(x))) for one expert's dict of parameters."""
    # BEGIN SOLUTION: Linear, ReLU, Linear, in nn.Linear's (out, in) layout
    h = np.maximum(x @ expert["fc1.weight"].T + expert["fc1.bias"], 0)  # (n, H)
    return h @ expert["fc2.weight"].T + expert["fc2.bias"]  # (n, C)
    # END SOLUTION


def _check(x, gate_weight, experts, top_k):
    """ValueError for inputs moe cannot use."""
    # BEGIN SOLUTION: ranks, C agreement, one expert per router row with well-shaped parameters, 1 <= top_k <= E
    if np.ndim(x) != 2:
        raise ValueError(f"x must be 2-D (N, C), got shape {np.shape(x)}")
    if np.ndim(gate_weight) != 2 or np.shape(gate_weight)[1] != x.shape[1]:
        raise ValueError(f"gate_weight must be (E, C) with C={x.shape[1]}, got shape {np.shape(gate_weight)}")
    C, E = x.shape[1], gate_weight.shape[0]
    if len(experts) != E:
        raise ValueError(f"experts has {len(experts)} entries but gate_weight scores E={E} experts")
    if isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer)) or not 1 <= top_k <= E:
        raise ValueError(f"top_k={top_k!r} must be an int in [1, E={E}]")
    for i, expert in enumerate(experts):
        missing = [key for key in EXPERT_KEYS if key not in expert]
        if missing:
            raise ValueError(f"experts[{i}] lacks the keys {missing}")
        H = np.shape(expert["fc1.weight"])[0] if np.ndim(expert["fc1.weight"]) == 2 else -1
        want = {"fc1.weight": (H, C), "fc1.bias": (H,), "fc2.weight": (C, H), "fc2.bias": (C,)}
        for key, shape in want.items():
            if np.shape(expert[key]) != shape:
                raise ValueError(f"experts[{i}][{key!r}] must have shape {shape}, got {np.shape(expert[key])}")
    # END SOLUTION
