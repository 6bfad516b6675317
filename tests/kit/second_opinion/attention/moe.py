"""Top-k mixture of experts (independent implementation).

The router's gates are built densely, token by token, as an (N, E) matrix that is 0 off each
token's top k; every expert runs on all tokens (in float64) and is weighted by its gate column.
The load-balancing loss comes from a one-hot matrix of first choices, and is returned as a
NumPy float64 scalar rather than a Python float.
"""

import numpy as np


def _probs(z):
    z = z - np.max(z, axis=-1, keepdims=True)
    return np.exp(z) / np.sum(np.exp(z), axis=-1, keepdims=True)


def moe(x, gate_weight, experts, top_k=2):
    """(y, aux_loss): each token mixes its top_k experts by a softmax over their logits; E * sum f * P."""
    x = np.asarray(x)
    gate_weight = np.asarray(gate_weight)
    if x.ndim != 2:
        raise ValueError(f"x should be (N, C), got {x.shape}")
    if gate_weight.ndim != 2 or gate_weight.shape[1] != x.shape[1]:
        raise ValueError(f"gate_weight should be (E, {x.shape[1]}), got {gate_weight.shape}")
    N, C = x.shape
    E = gate_weight.shape[0]
    if len(experts) != E:
        raise ValueError(f"{len(experts)} experts for a router over {E}")
    if isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer)) or top_k < 1 or top_k > E:
        raise ValueError(f"top_k={top_k} out of range 1..{E}")
    for i, ex in enumerate(experts):
        for key in ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"):
            if key not in ex:
                raise ValueError(f"experts[{i}] has no {key!r}")
        hid = np.shape(ex["fc1.weight"])[0]
        if (np.shape(ex["fc1.weight"]) != (hid, C) or np.shape(ex["fc1.bias"]) != (hid,)
                or np.shape(ex["fc2.weight"]) != (C, hid) or np.shape(ex["fc2.bias"]) != (C,)):
            raise ValueError(f"experts[{i}] has parameters of the wrong shapes")

    x64 = x.astype(np.float64)
    logits = np.einsum("nc,ec->ne", x64, gate_weight.astype(np.float64))
    gates = np.zeros((N, E))
    first = np.zeros((N, E))
    for n in range(N):
        best = sorted(range(E), key=lambda e: logits[n, e], reverse=True)[:top_k]
        gates[n, best] = _probs(logits[n, best])
        first[n, best[0]] = 1.0

    y = np.zeros((N, C))
    for e, ex in enumerate(experts):
        p = {k: np.asarray(v, dtype=np.float64) for k, v in ex.items()}
        hidden = np.clip(np.einsum("nc,hc->nh", x64, p["fc1.weight"]) + p["fc1.bias"], 0.0, None)
        y += gates[:, [e]] * (np.einsum("nh,ch->nc", hidden, p["fc2.weight"]) + p["fc2.bias"])

    aux = E * np.sum(first.mean(axis=0) * _probs(logits).mean(axis=0))
    return y.astype(x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64), np.float64(aux)
