"""attention.moe: top-k mixture-of-experts routing and its load-balancing loss against the same computation in torch."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
DTYPE_IDS = ["float64", "float32"]
NAMES = ("y", "aux_loss")
# Logits within this distance of each other count as a tie: torch.topk's order among ties is not specified,
# and float32 rounding could swap them. Every router here keeps all of a row's logits further apart.
MIN_GAP = 0.05

# (N, C, E, H, top_k or None for the default 2). C != E everywhere, so a gate_weight used untransposed
# cannot fit; top_k 1, 2 (the default), 3 and E; one token; one expert with a hidden size unlike C.
CASES = {
    "N6-C4-E3": (6, 4, 3, 5, None),
    "one-token": (1, 3, 4, 6, None),
    "top1": (8, 5, 4, 3, 1),
    "top3-of-5": (7, 3, 5, 4, 3),
    "top-all": (5, 4, 3, 6, 3),
    "N10-C6-E8": (10, 6, 8, 4, 2),
}


def distinct(logits):
    """Whether every row's logits are at least MIN_GAP apart (no near-ties for topk to order arbitrarily)."""
    s = np.sort(logits, axis=-1)
    return logits.shape[-1] < 2 or bool(np.diff(s, axis=-1).min() >= MIN_GAP)


def make_router(rng, N, C, E, dtype):
    """x (N, C) and gate_weight (E, C) whose router logits have no near-ties (redrawn until they have none)."""
    while True:
        x = rng.standard_normal((N, C)).astype(dtype)
        gate = (1.5 * rng.standard_normal((E, C))).astype(dtype)
        if distinct(x.astype(np.float64) @ gate.astype(np.float64).T):
            return x, gate


def make_experts(rng, C, E, H, dtype):
    """E ReLU MLPs; the first has a different hidden size. Biases are large enough that forgetting one shows and
    that ReLU cuts a good share of the units."""
    experts = []
    for e in range(E):
        h = H + 2 if e == 0 else H
        experts.append({"fc1.weight": rng.standard_normal((h, C)) / np.sqrt(C), "fc1.bias": 0.5 * rng.standard_normal(h),
                        "fc2.weight": rng.standard_normal((C, h)) / np.sqrt(h), "fc2.bias": 0.5 * rng.standard_normal(C)})
    return [{k: v.astype(dtype) for k, v in ex.items()} for ex in experts]


def torch_moe(x, gate_weight, experts, top_k=2):
    """The same computation in torch (float64): topk, softmax over the chosen logits, scatter into (N, E) gates."""
    torch = oracle.torch()
    F = torch.nn.functional
    xt, gw = oracle.tensor(x), oracle.tensor(gate_weight)
    E = gw.shape[0]
    logits = xt @ gw.T  # (N, E)
    vals, idx = torch.topk(logits, top_k, dim=-1)  # (N, k), largest first
    gates = torch.zeros_like(logits).scatter(1, idx, torch.softmax(vals, dim=-1))  # (N, E), 0 off the top k
    y = torch.zeros_like(xt)
    for e, ex in enumerate(experts):
        t = {k: oracle.tensor(v) for k, v in ex.items()}
        out = F.linear(F.relu(F.linear(xt, t["fc1.weight"], t["fc1.bias"])), t["fc2.weight"], t["fc2.bias"])
        y = y + gates[:, e:e + 1] * out
    f = F.one_hot(idx[:, 0], E).double().mean(dim=0)  # (E,)
    P = torch.softmax(logits, dim=-1).mean(dim=0)  # (E,)
    return oracle.numpy(y, x.dtype), float(E * (f * P).sum())


def inputs_of(x, gate_weight, experts):
    return {"x": x, "gate_weight": gate_weight, **{f"experts[{i}]": ex for i, ex in enumerate(experts)}}


def shown(x, gate_weight, experts):
    return (f"  # x.shape == {x.shape}, gate_weight.shape == {gate_weight.shape}, {len(experts)} experts, "
            f"fc1.weight shapes {[ex['fc1.weight'].shape for ex in experts]}")


def setup(rng, N, C, E, H, dtype):
    x, gate = make_router(rng, N, C, E, dtype)
    return x, gate, make_experts(rng, C, E, H, dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_moe(check, rng, case, dtype):
    """Do moe's output and aux_loss match torch (topk, a softmax over the k chosen logits, E * sum f_e P_e)?"""
    N, C, E, H, top_k = case
    x, gate, experts = setup(rng, N, C, E, H, dtype)
    if top_k is None:
        check.close(lambda m: m.moe(x, gate, experts), torch_moe(x, gate, experts),
                    call="moe(x, gate_weight, experts)" + shown(x, gate, experts),
                    inputs=inputs_of(x, gate, experts), names=NAMES)
    else:
        check.close(lambda m: m.moe(x, gate, experts, top_k), torch_moe(x, gate, experts, top_k),
                    call=f"moe(x, gate_weight, experts, {top_k})" + shown(x, gate, experts),
                    inputs=inputs_of(x, gate, experts), names=NAMES)


def test_moe_keywords(check, rng):
    """Does moe accept every argument by name?"""
    x, gate, experts = setup(rng, 6, 4, 5, 3, np.float64)
    check.close(lambda m: m.moe(x=x, gate_weight=gate, experts=experts, top_k=3), torch_moe(x, gate, experts, 3),
                call="moe(x=x, gate_weight=gate_weight, experts=experts, top_k=3)" + shown(x, gate, experts),
                inputs=inputs_of(x, gate, experts), names=NAMES)


def test_moe_idle_expert(check, rng):
    """When the router never picks one expert (its logits are far below the others), is that expert simply left
    out, with f_e = 0 in aux_loss?"""
    N, C, E, H = 6, 4, 4, 5
    while True:
        x, gate, experts = setup(rng, N, C, E, H, np.float64)
        x[:, 0] = 1.0  # a constant feature: gate[:, 0] acts as a per-expert offset
        gate[2, 0] = -20.0  # expert 2 scores about 20 below the others for every token
        logits = x @ gate.T  # (N, E)
        if distinct(logits) and (np.argsort(-logits, axis=-1)[:, :2] != 2).all():
            break
    check.close(lambda m: m.moe(x, gate, experts), torch_moe(x, gate, experts),
                call="moe(x, gate_weight, experts)  # expert 2 is every token's last choice" + shown(x, gate, experts),
                inputs=inputs_of(x, gate, experts), names=NAMES)


def test_moe_bad_input(check, rng):
    """Are a top_k outside [1, E], an x that is not (N, C), a gate_weight of another C, a number of experts unlike
    E and an expert without fc2.bias refused with ValueError?"""
    x, gate, experts = setup(rng, 4, 3, 3, 5, np.float64)
    inputs = inputs_of(x, gate, experts)
    for k in (0, 4):
        check.raises(lambda m: m.moe(x, gate, experts, k), call=f"moe(x, gate_weight, experts, {k})  # E = 3",
                     reason=f"top_k={k} is outside [1, E=3]", inputs=inputs)
    flat = np.ascontiguousarray(x[0])
    check.raises(lambda m: m.moe(flat, gate, experts), call="moe(x, gate_weight, experts)  # x.shape == (3,)",
                 reason="x must be 2-D (N, C)", inputs=inputs_of(flat, gate, experts))
    other_c = np.ascontiguousarray(rng.standard_normal((3, 5)))
    check.raises(lambda m: m.moe(x, other_c, experts),
                 call="moe(x, gate_weight, experts)  # x.shape == (4, 3), gate_weight.shape == (3, 5)",
                 reason="gate_weight has C=5 columns but x has C=3", inputs=inputs_of(x, other_c, experts))
    two = experts[:2]
    check.raises(lambda m: m.moe(x, gate, two), call="moe(x, gate_weight, experts)  # 2 experts, gate_weight (3, 3)",
                 reason="gate_weight scores E=3 experts but 2 are given", inputs=inputs_of(x, gate, two))
    broken = [experts[0], {k: v for k, v in experts[1].items() if k != "fc2.bias"}, experts[2]]
    check.raises(lambda m: m.moe(x, gate, broken), call="moe(x, gate_weight, experts)  # experts[1] has no 'fc2.bias'",
                 reason="experts[1] lacks the key 'fc2.bias'", inputs=inputs_of(x, gate, broken))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_random_shapes(check, rng, dtype):
    """With the number of tokens, width, experts, hidden size and top_k drawn afresh each run, does moe match
    torch?"""
    for _ in range(2):
        N, C, E, H = (int(s) for s in rng.integers(1, 9, size=4))  # 1..8 each
        top_k = int(rng.integers(1, E + 1))  # 1..E
        x, gate, experts = setup(rng, N, C, E, H, dtype)
        check.close(lambda m: m.moe(x, gate, experts, top_k), torch_moe(x, gate, experts, top_k),
                    call=f"moe(x, gate_weight, experts, {top_k})" + shown(x, gate, experts),
                    inputs=inputs_of(x, gate, experts), names=NAMES)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_dtype(check, rng, dtype):
    """Is y right in the dtype of x (float32 in, float32 out), with aux_loss a right float?"""
    x, gate, experts = setup(rng, 5, 4, 3, 6, dtype)
    check.close(lambda m: m.moe(x, gate, experts), torch_moe(x, gate, experts),
                call="moe(x, gate_weight, experts)" + shown(x, gate, experts),
                inputs=inputs_of(x, gate, experts), names=NAMES, dtype=True)
