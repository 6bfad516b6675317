"""The CLIP contrastive loss between a batch of image and text embeddings, and its gradients."""

import numpy as np


def clip_loss(image_embeds, text_embeds, logit_scale):
    """The symmetric contrastive loss of CLIP: matching pairs sit on the diagonal.

    Each row is divided by its L2 norm, logits = logit_scale * img @ txt.T (cosine
    similarities, scaled), and the loss is the mean of two cross-entropies with target i for
    row i: one over the rows of logits (image -> text) and one over the rows of logits.T
    (text -> image), each averaged over the batch.

    Args:
        image_embeds: N image embeddings, (N, D), float32 or float64, of any length (not
            necessarily normalised).
        text_embeds: the N matching text embeddings, (N, D), same dtype; row i goes with
            image i.
        logit_scale: a positive float, the inverse temperature already exponentiated (CLIP
            clamps it at 100).

    Returns:
        The loss, a scalar (a NumPy scalar or a 0-d array) in the dtype of the embeddings.

    Raises:
        ValueError: if either input is not 2-D, or if their N or D differ.

    Shapes:
        image_embeds: (N, D), text_embeds: (N, D) -> ()

    PyTorch (the same computation):
        img = image_embeds / image_embeds.norm(dim=1, keepdim=True)
        txt = text_embeds / text_embeds.norm(dim=1, keepdim=True)
        logits = logit_scale * img @ txt.T
        labels = torch.arange(N)
        (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
    """
    # BEGIN SOLUTION: normalise the rows, scale the similarities, average the two cross-entropies
    _check(image_embeds, text_embeds)
    img = image_embeds / np.linalg.norm(image_embeds, axis=1, keepdims=True)  # (N, D)
    txt = text_embeds / np.linalg.norm(text_embeds, axis=1, keepdims=True)  # (N, D)
    logits = logit_scale * (img @ txt.T)  # (N, N), image i against text j
    image_to_text = -np.diagonal(_log_softmax_rows(logits)).mean()  # ()
    text_to_image = -np.diagonal(_log_softmax_rows(logits.T)).mean()  # ()
    return (image_to_text + text_to_image) / 2
    # END SOLUTION


def clip_loss_backward(image_embeds, text_embeds, logit_scale):
    """The gradients of clip_loss(image_embeds, text_embeds, logit_scale) for both inputs.

    With P = softmax over the rows of logits, Q = softmax over the rows of logits.T and I the
    identity, dL/dlogits = ((P - I) + (Q - I).T) / (2N). Then dL/dimg = logit_scale * G @ txt and
    dL/dtxt = logit_scale * G.T @ img for the normalised rows, and through u = x / |x| each row
    becomes (g - u * (u . g)) / |x|: the part of the gradient along u is removed.

    Args:
        image_embeds, text_embeds, logit_scale: as in clip_loss.

    Returns:
        (grad_image, grad_text), each shaped and typed like its input.

    Raises:
        ValueError: as clip_loss.

    Shapes:
        image_embeds: (N, D), text_embeds: (N, D) -> ((N, D), (N, D))

    PyTorch: torch.autograd.grad(clip_loss(...), [image_embeds, text_embeds])
    """
    # BEGIN SOLUTION: softmax minus one-hot in both directions, back through the matmul, then the norm
    _check(image_embeds, text_embeds)
    n = len(image_embeds)
    img_norm = np.linalg.norm(image_embeds, axis=1, keepdims=True)  # (N, 1)
    txt_norm = np.linalg.norm(text_embeds, axis=1, keepdims=True)  # (N, 1)
    img, txt = image_embeds / img_norm, text_embeds / txt_norm  # (N, D), (N, D)
    logits = logit_scale * (img @ txt.T)  # (N, N)
    eye = np.eye(n, dtype=logits.dtype)  # (N, N)
    p = np.exp(_log_softmax_rows(logits))  # (N, N), rows: image -> text
    q = np.exp(_log_softmax_rows(logits.T))  # (N, N), rows: text -> image
    grad_logits = ((p - eye) + (q - eye).T) / (2 * n)  # (N, N)
    grad_img = logit_scale * (grad_logits @ txt)  # (N, D), for the normalised rows
    grad_txt = logit_scale * (grad_logits.T @ img)  # (N, D)
    return _through_norm(grad_img, img, img_norm), _through_norm(grad_txt, txt, txt_norm)
    # END SOLUTION


def _log_softmax_rows(z):
    """log_softmax over the rows of a 2-D array, shifted by the row maximum so exp cannot overflow."""
    # BEGIN SOLUTION: subtract each row's maximum, then subtract the log of the row's sum of exp
    shifted = z - z.max(axis=1, keepdims=True)  # (N, N)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # (N, N)
    # END SOLUTION


def _through_norm(grad_unit, unit, norm):
    """The gradient for x given the gradient for u = x / |x|, row by row (the normalisation's Jacobian)."""
    # BEGIN SOLUTION: remove each row's component along u, then divide by the row's length
    along = (grad_unit * unit).sum(axis=1, keepdims=True)  # (N, 1)
    return (grad_unit - unit * along) / norm  # (N, D)
    # END SOLUTION


def _check(image_embeds, text_embeds):
    for name, value in (("image_embeds", image_embeds), ("text_embeds", text_embeds)):
        if np.ndim(value) != 2:
            raise ValueError(f"{name} must be 2-D (N, D), got shape {np.shape(value)}")
    if np.shape(image_embeds) != np.shape(text_embeds):
        raise ValueError(f"image_embeds {np.shape(image_embeds)} and text_embeds {np.shape(text_embeds)} "
                         "must have the same (N, D)")
