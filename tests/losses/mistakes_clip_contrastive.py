"""Classic wrong answers to losses.clip_contrastive, each named and explained."""

import numpy as np

from grader.testing.mistakes import mistake


def _unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _log_softmax(z):
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _directions(logits, log_softmax=_log_softmax):
    """The image -> text and text -> image cross-entropies."""
    return -np.diagonal(log_softmax(logits)).mean(), -np.diagonal(log_softmax(logits.T)).mean()


def _loss_not_normalised(image_embeds, text_embeds, logit_scale):
    return sum(_directions(logit_scale * image_embeds @ text_embeds.T)) / 2


def _loss_one_direction(image_embeds, text_embeds, logit_scale):
    return _directions(logit_scale * _unit(image_embeds) @ _unit(text_embeds).T)[0]


def _loss_summed(image_embeds, text_embeds, logit_scale):
    return sum(_directions(logit_scale * _unit(image_embeds) @ _unit(text_embeds).T))


def _loss_no_max_shift(image_embeds, text_embeds, logit_scale):
    def log_softmax(z):
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return sum(_directions(logit_scale * _unit(image_embeds) @ _unit(text_embeds).T, log_softmax)) / 2


def _grad_logits(img, txt, logit_scale):
    n = len(img)
    logits = logit_scale * img @ txt.T
    eye = np.eye(n)
    p, q = np.exp(_log_softmax(logits)), np.exp(_log_softmax(logits.T))
    return ((p - eye) + (q - eye).T) / (2 * n)


def _through_norm(g, x):
    u = _unit(x)
    return (g - u * (g * u).sum(axis=1, keepdims=True)) / np.linalg.norm(x, axis=1, keepdims=True)


def _backward_no_norm_jacobian(image_embeds, text_embeds, logit_scale):
    img, txt = _unit(image_embeds), _unit(text_embeds)
    g = _grad_logits(img, txt, logit_scale)
    return logit_scale * g @ txt, logit_scale * g.T @ img


def _backward_text_not_transposed(image_embeds, text_embeds, logit_scale):
    img, txt = _unit(image_embeds), _unit(text_embeds)
    g = _grad_logits(img, txt, logit_scale)
    return _through_norm(logit_scale * g @ txt, image_embeds), _through_norm(logit_scale * g @ img, text_embeds)


MISTAKES = [
    mistake(
        "not_normalised",
        title={"en": "the embeddings not L2-normalised", "zh": "没有对嵌入做 L2 归一化"},
        why={"en": "CLIP compares directions, not lengths: divide each row by its norm first, so img @ txt.T holds "
                   "cosine similarities in [-1, 1] and logit_scale alone sets how sharp the softmax is. Raw dot "
                   "products let a long vector dominate its row.",
             "zh": "CLIP 比较的是方向而不是长度：先把每一行除以它的范数，这样 img @ txt.T 就是 [-1, 1] 之间的余弦"
                   "相似度，softmax 的尖锐程度只由 logit_scale 决定。直接用点积的话，长的向量会主导它所在的那一行。"},
        clip_loss=_loss_not_normalised),
    mistake(
        "one_direction",
        title={"en": "only the image-to-text cross-entropy", "zh": "只算了图像到文本一个方向"},
        why={"en": "The loss is symmetric: each image must pick its text among all texts (softmax over the rows of "
                   "logits) AND each text its image among all images (softmax over the rows of logits.T, i.e. over "
                   "the columns of logits). Compute both and average them.",
             "zh": "这个损失是对称的：每张图像要在所有文本中选出自己的文本（对 logits 的每一行做 softmax），每段文本"
                   "也要在所有图像中选出自己的图像（对 logits.T 的每一行，也就是 logits 的每一列做 softmax）。"
                   "两个方向都要算，再取平均。"},
        clip_loss=_loss_one_direction),
    mistake(
        "directions_summed",
        title={"en": "the two directions added instead of averaged", "zh": "两个方向的损失相加而不是取平均"},
        why={"en": "CLIP's loss is (image-to-text + text-to-image) / 2: the average of the two cross-entropies, "
                   "so it is on the same scale as one cross-entropy. Divide the sum by 2.",
             "zh": "CLIP 的损失是 (图像到文本 + 文本到图像) / 2，即两个交叉熵的平均值，这样它与单个交叉熵处在同一"
                   "量级。把两者之和除以 2。"},
        clip_loss=_loss_summed),
    mistake(
        "no_max_shift",
        title={"en": "the softmax without subtracting the row maximum", "zh": "softmax 没有减去每行的最大值"},
        why={"en": "With logit_scale = 100 a cosine near 1 gives a logit near 100, and exp(100) is beyond float32 "
                   "(about 3.4e38), so the sum becomes inf and the loss NaN. Subtract each row's maximum before exp: "
                   "log_softmax(z) = (z - max) - log(sum(exp(z - max))).",
             "zh": "logit_scale = 100 时，接近 1 的余弦会给出接近 100 的 logit，而 exp(100) 超出了 float32 的范围"
                   "（约 3.4e38），求和变成 inf，损失变成 NaN。在 exp 之前先减去每行的最大值："
                   "log_softmax(z) = (z - max) - log(sum(exp(z - max)))。"},
        clip_loss=_loss_no_max_shift),
    mistake(
        "no_norm_jacobian",
        title={"en": "the gradient stops at the normalised rows", "zh": "梯度停在了归一化之后的向量上"},
        why={"en": "logit_scale * G @ txt is the gradient for the UNIT rows u = x / |x|, not for the embeddings. Carry "
                   "it through the normalisation: (g - u * (u . g)) / |x| per row, which removes the part along u "
                   "(changing a vector's length does not change the loss) and divides by the length.",
             "zh": "logit_scale * G @ txt 是对单位向量 u = x / |x| 的梯度，而不是对原始嵌入的梯度。还要把它穿过归一化："
                   "每一行算 (g - u * (u . g)) / |x|，即去掉沿 u 方向的分量（改变向量长度不会改变损失），再除以长度。"},
        clip_loss_backward=_backward_no_norm_jacobian),
    mistake(
        "text_grad_not_transposed",
        title={"en": "the text gradient without transposing dL/dlogits", "zh": "文本梯度没有转置 dL/dlogits"},
        why={"en": "logits[i, j] pairs image i with text j, so text j collects column j of G = dL/dlogits: "
                   "dL/dtxt = logit_scale * G.T @ img. G @ img mixes up which text each entry belongs to "
                   "(G is not symmetric).",
             "zh": "logits[i, j] 对应图像 i 与文本 j，所以文本 j 收到的是 G = dL/dlogits 的第 j 列："
                   "dL/dtxt = logit_scale * G.T @ img。写成 G @ img 会把每个元素归到错误的文本上（G 并不对称）。"},
        clip_loss_backward=_backward_text_not_transposed),
]
