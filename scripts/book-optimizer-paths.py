#!/usr/bin/env python3
"""The book's optimizer comparison (chapter 6.1.7, ch06/optimizer_compare_naive.py) in NumPy.

Minimises f(x, y) = x²/20 + y² from (−7, 2) for 30 steps with the book's own update rules
(common/optimizer.py) and learning rates, and writes the 31 points of each path (the start and
the point after every step) to packages/optimizers/src/fixtures/book-optimizer-paths.json.
packages/optimizers/src/book-paths.backends.test.ts runs scratchnet's optimizers along the same paths.

Run from the repository root:  /usr/bin/python3 scripts/book-optimizer-paths.py
(pnpm fixtures:layers runs it too.)
"""

import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "packages", "optimizers", "src", "fixtures", "book-optimizer-paths.json")

START = (-7.0, 2.0)
STEPS = 30


def gradient(params):
    # ∂f/∂x = x/10, ∂f/∂y = 2y, as the book's df(x, y).
    return {"x": params["x"] / 10.0, "y": 2.0 * params["y"]}


class SGD:
    def __init__(self, lr):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]


class Momentum:
    def __init__(self, lr, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params:
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


class AdaGrad:
    def __init__(self, lr):
        self.lr, self.h = lr, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params:
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class Adam:
    def __init__(self, lr, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.iter, self.m, self.v = 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params:
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


# The book's learning rates for this figure (6-8).
OPTIMIZERS = [
    ("SGD", 0.95, SGD(lr=0.95)),
    ("Momentum", 0.1, Momentum(lr=0.1)),
    ("AdaGrad", 1.5, AdaGrad(lr=1.5)),
    ("Adam", 0.3, Adam(lr=0.3)),
]


def main():
    paths = []
    for name, lr, optimizer in OPTIMIZERS:
        params = {"x": np.array(START[0]), "y": np.array(START[1])}
        points = [[float(params["x"]), float(params["y"])]]
        for _ in range(STEPS):
            optimizer.update(params, gradient(params))
            points.append([float(params["x"]), float(params["y"])])
        points = [[float(f"{v:.9g}") for v in point] for point in points]
        paths.append({"optimizer": name, "lr": lr, "points": points})
    body = {
        "description": "The book's ch06/optimizer_compare_naive.py: "
        "f(x, y) = x²/20 + y² from (−7, 2)",
        "generator": "scripts/book-optimizer-paths.py (NumPy, float64, the book's update rules)",
        "start": list(START),
        "steps": STEPS,
        "paths": paths,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False) + "\n"
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(OUT, ROOT)} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
