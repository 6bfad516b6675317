"""losses.clip_contrastive: clip_loss and clip_loss_backward against the same computation in PyTorch."""

import numpy as np
import pytest

from grader.testing import oracle

DTYPES = [np.float64, np.float32]
# (N, D, logit_scale, kind). Rows always have different lengths (0.1 to 10), so a loss without the
# L2 normalisation is wrong. A batch of one (loss 0, gradient 0), N > D, N < D, and logit_scale 100
# (CLIP's clamp) on embeddings that all point nearly one way: cosines near 1 make logits near 100,
# and exp(100) overflows float32, so the softmax must subtract its maximum.
CASES = {
    "N1-D4-scale14": (1, 4, 14.3, "random"),
    "N4-D3-scale1": (4, 3, 1.0, "random"),
    "N3-D8-scale14": (3, 8, 14.3, "random"),
    "N5-D5-scale100": (5, 5, 100.0, "random"),
    "N6-D4-scale100-close": (6, 4, 100.0, "close"),
}


def embeddings(rng, n, d, kind, dtype):
    """Image and text embeddings (N, D) whose rows have different lengths; "close": all nearly parallel."""
    if kind == "close":
        common = rng.standard_normal(d)  # (D,), shared by every row
        img = common + 0.15 * rng.standard_normal((n, d))  # (N, D)
        txt = img + 0.05 * rng.standard_normal((n, d))  # (N, D), closest to its own image
    else:
        img, txt = rng.standard_normal((n, d)), rng.standard_normal((n, d))
    lengths = rng.uniform(0.1, 10.0, (2, n, 1))  # (2, N, 1)
    return (img * lengths[0]).astype(dtype), (txt * lengths[1]).astype(dtype)


def torch_clip(img, txt, logit_scale):
    """The loss tensor and the gradients for both inputs, as torch computes them."""
    torch = oracle.torch()
    F = torch.nn.functional
    it, tt = oracle.tensor(img, grad=True), oracle.tensor(txt, grad=True)
    logits = logit_scale * (it / it.norm(dim=1, keepdim=True)) @ (tt / tt.norm(dim=1, keepdim=True)).T
    labels = torch.arange(len(img))
    loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
    return loss, oracle.grads(loss, [it, tt], torch.ones_like(loss))


def grad_atol(grads, dtype):
    """None (the dtype's tolerance) for float64; for float32 the absolute tolerance scaled by the largest entry.

    The float32 rounding of the logits (up to logit_scale = 100) reaches every entry of the gradient, and the
    normalisation's projection cancels most of some entries, so small entries are held to the gradient's scale:
    a correct float32 computation is off by ~2e-5 on entries of 1e-3 when the largest entry is ~10."""
    if np.dtype(dtype) == np.float64:
        return None
    return 1e-5 * max(1.0, *(float(np.abs(oracle.numpy(g)).max(initial=0.0)) for g in grads))


def call(fn, logit_scale):
    return f"{fn}(image_embeds, text_embeds, logit_scale={logit_scale})"


def inputs_of(img, txt):
    return {"image_embeds": img, "text_embeds": txt}


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_clip_loss(check, rng, case, dtype):
    """Does clip_loss match the torch computation (rows normalised, both directions averaged)?"""
    n, d, scale, kind = case
    img, txt = embeddings(rng, n, d, kind, dtype)
    loss, _ = torch_clip(img, txt, scale)
    check.close(lambda m: m.clip_loss(img, txt, scale), oracle.numpy(loss, dtype),
                call=call("clip_loss", scale), inputs=inputs_of(img, txt))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_clip_loss_backward(check, rng, case, dtype):
    """Do clip_loss_backward's (grad_image, grad_text) match torch.autograd, through the normalisation too?"""
    n, d, scale, kind = case
    img, txt = embeddings(rng, n, d, kind, dtype)
    _, (gi, gt) = torch_clip(img, txt, scale)
    check.close(lambda m: m.clip_loss_backward(img, txt, scale), (oracle.numpy(gi, dtype), oracle.numpy(gt, dtype)),
                call=call("clip_loss_backward", scale), inputs=inputs_of(img, txt), names=("grad_image", "grad_text"),
                atol=grad_atol((gi, gt), dtype))


BAD_SHAPES = {"N-differs": ((4, 3), (5, 3)), "D-differs": ((4, 3), (4, 5)), "image-1D": ((4,), (4, 3)),
              "text-3D": ((4, 3), (2, 4, 3)), "both-1D": ((4,), (4,))}


@pytest.mark.parametrize("shapes", BAD_SHAPES.values(), ids=BAD_SHAPES.keys())
@pytest.mark.parametrize("fn", ["clip_loss", "clip_loss_backward"])
def test_bad_shapes(check, rng, fn, shapes):
    """Are embeddings that are not both (N, D) with the same N and D refused with ValueError?"""
    img, txt = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1])
    check.raises(lambda m: getattr(m, fn)(img, txt, 10.0), call=call(fn, 10.0),
                 reason=f"image_embeds {shapes[0]} and text_embeds {shapes[1]} must both be (N, D), the same N and D",
                 inputs=inputs_of(img, txt))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_random_shapes(check, rng, dtype):
    """Do clip_loss and clip_loss_backward match torch on sizes and scales drawn afresh each run?"""
    for _ in range(4):
        n, d = (int(k) for k in rng.integers(1, 9, size=2))  # N, D in 1..8
        scale = float(rng.uniform(1.0, 100.0))
        img, txt = embeddings(rng, n, d, "close" if rng.random() < 0.5 else "random", dtype)  # (N, D), (N, D)
        loss, (gi, gt) = torch_clip(img, txt, scale)
        shown = f"with image_embeds.shape == text_embeds.shape == {(n, d)}"
        check.close(lambda m: m.clip_loss(img, txt, scale), oracle.numpy(loss, dtype),
                    call=f"{call('clip_loss', scale)} {shown}", inputs=inputs_of(img, txt))
        check.close(lambda m: m.clip_loss_backward(img, txt, scale), (oracle.numpy(gi, dtype), oracle.numpy(gt, dtype)),
                    call=f"{call('clip_loss_backward', scale)} {shown}", inputs=inputs_of(img, txt),
                    names=("grad_image", "grad_text"), atol=grad_atol((gi, gt), dtype))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
def test_dtype(check, rng, dtype):
    """Are clip_loss and clip_loss_backward right in the dtype of the embeddings (float32 in, float32 out)?"""
    img, txt = embeddings(rng, 4, 3, "random", dtype)
    loss, (gi, gt) = torch_clip(img, txt, 10.0)
    check.close(lambda m: m.clip_loss(img, txt, 10.0), oracle.numpy(loss, dtype), call=call("clip_loss", 10.0),
                inputs=inputs_of(img, txt), dtype=True)
    check.close(lambda m: m.clip_loss_backward(img, txt, 10.0), (oracle.numpy(gi, dtype), oracle.numpy(gt, dtype)),
                call=call("clip_loss_backward", 10.0), inputs=inputs_of(img, txt), names=("grad_image", "grad_text"),
                dtype=True)
