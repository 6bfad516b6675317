"""Alternative correct answer: per-parameter state dicts with their own step, float64 maths, torch's lerp, p[...] = new."""
import numpy as np


class AdamW:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        b1, b2 = betas
        for name, ok in (("lr", lr >= 0), ("eps", eps >= 0), ("betas", 0 <= b1 < 1 and 0 <= b2 < 1),
                         ("weight_decay", weight_decay >= 0)):
            if not ok:
                raise ValueError(f"invalid {name}")
        self.params, self.lr = params, lr
        self.hyper = dict(betas=(b1, b2), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
        self.state = [dict(step=0, exp_avg=np.zeros(p.shape), exp_avg_sq=np.zeros(p.shape),
                           max_exp_avg_sq=np.zeros(p.shape)) for p in params]

    def step(self, grads):
        if len(grads) != len(self.params):
            raise ValueError("need one grad per param")
        h = self.hyper
        b1, b2 = h["betas"]
        for p, g, st in zip(self.params, grads, self.state):
            g = np.asarray(g, dtype=np.float64)
            x = p.astype(np.float64) * (1 - self.lr * h["weight_decay"])
            st["step"] += 1
            st["exp_avg"] += (1 - b1) * (g - st["exp_avg"])
            st["exp_avg_sq"] = b2 * st["exp_avg_sq"] + (1 - b2) * np.square(g)
            second = st["exp_avg_sq"]
            if h["amsgrad"]:
                st["max_exp_avg_sq"] = np.where(second > st["max_exp_avg_sq"], second, st["max_exp_avg_sq"])
                second = st["max_exp_avg_sq"]
            denom = np.sqrt(second / (1 - b2 ** st["step"])) + h["eps"]
            p[...] = (x - self.lr / (1 - b1 ** st["step"]) * st["exp_avg"] / denom).astype(p.dtype)
