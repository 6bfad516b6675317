"""Alternative correct answer: param_groups and per-parameter state dicts as torch keeps them, float64 maths, p[...] = new."""
import numpy as np


class SGD:
    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False,
                 maximize=False):
        for name, value in (("lr", lr), ("momentum", momentum), ("weight_decay", weight_decay)):
            if value < 0:
                raise ValueError(f"invalid {name}: {value}")
        if nesterov and not (momentum > 0 and dampening == 0):
            raise ValueError("nesterov requires momentum > 0 and dampening == 0")
        self.params = params
        self.lr = lr
        self.group = dict(momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                          nesterov=nesterov, maximize=maximize)
        self.state = [{} for _ in params]

    def step(self, grads):
        if len(grads) != len(self.params):
            raise ValueError("need one grad per param")
        h = self.group
        sign = -1.0 if h["maximize"] else 1.0
        for p, grad, st in zip(self.params, grads, self.state):
            p64 = p.astype(np.float64)
            d = sign * np.asarray(grad, dtype=np.float64) + h["weight_decay"] * p64
            if h["momentum"]:
                if "momentum_buffer" in st:
                    st["momentum_buffer"] = h["momentum"] * st["momentum_buffer"] + (1 - h["dampening"]) * d
                else:
                    st["momentum_buffer"] = d.copy()
                d = d + h["momentum"] * st["momentum_buffer"] if h["nesterov"] else st["momentum_buffer"]
            p[...] = (p64 - self.lr * d).astype(p.dtype)
