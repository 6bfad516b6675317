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
    # TODO: check; logits, top-k by descending logit, softmax over the chosen; each expert on its tokens; aux
    raise NotImplementedError("attention.moe: moe")


def _softmax(z):
    """Softmax over the last axis, shifted by the row maximum."""
    # TODO: subtract the row max, exponentiate, divide by the row sum
    raise NotImplementedError("attention.moe: _softmax")


def _expert(x, expert):
    """fc2(relu(fc1(x))) for one expert's dict of parameters."""
    # TODO: Linear, ReLU, Linear, in nn.Linear's (out, in) layout
    raise NotImplementedError("attention.moe: _expert")


def _check(x, gate_weight, experts, top_k):
    """ValueError for inputs moe cannot use."""
    # TODO: ranks, C agreement, one expert per router row with well-shaped parameters, 1 <= top_k <= E
    raise NotImplementedError("attention.moe: _check")
