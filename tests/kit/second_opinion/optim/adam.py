"""Alternative correct answer: per-parameter state dicts with their own step, float64 maths, p[...] = new."""
import numpy as np

class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        b1, b2 = betas
        for name, ok in (("lr", lr >= 0), ("eps", eps >= 0), ("betas", 0 <= b1 < 1 and 0 <= b2 < 1),
                         ("weight_decay", weight_decay >= 0)):
            if not ok:
                raise ValueError(f"invalid {name}")
        self.param_groups = [dict(params=params, lr=lr, betas=(b1, b2), eps=eps, weight_decay=weight_decay)]
        self.state = [dict(step=0, exp_avg=np.zeros(p.shape), exp_avg_sq=np.zeros(p.shape)) for p in params]

    def step(self, grads):
        group = self.param_groups[0]
        if len(grads) != len(group["params"]):
            raise ValueError("need one grad per param")
        b1, b2 = group["betas"]
        for p, g, st in zip(group["params"], grads, self.state):
            g = np.asarray(g, dtype=np.float64)
            if group["weight_decay"]:
                g = g + group["weight_decay"] * p.astype(np.float64)
            st["step"] += 1
            st["exp_avg"] += (1 - b1) * (g - st["exp_avg"])          # lerp, as torch writes it
            st["exp_avg_sq"] = b2 * st["exp_avg_sq"] + (1 - b2) * np.square(g)
            step_size = group["lr"] / (1 - b1 ** st["step"])
            denom = np.sqrt(st["exp_avg_sq"]) / np.sqrt(1 - b2 ** st["step"]) + group["eps"]
            p[...] = (p.astype(np.float64) - step_size * st["exp_avg"] / denom).astype(p.dtype)
        return None
