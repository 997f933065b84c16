#!/usr/bin/env python3
"""Writes the golden fixtures that packages/tensor/src/golden.backends.test.ts checks scratchnet against.

Run from the repository root:  pnpm fixtures   (or  /usr/bin/python3 scripts/make-fixtures.py)

Every input is drawn from a seeded NumPy generator and rounded to float32, so scratchnet (which
computes in float32) sees exactly the values PyTorch saw; the references are then computed in
float64. Each case stores the forward value and the gradient of every differentiable input. A
non-scalar output is reduced by a fixed random upstream gradient `upstream` (the loss is
sum(output * upstream)), so every output element matters; a scalar output is differentiated
directly.

File format (one JSON file per op family, in packages/tensor/src/fixtures/):
  { "generator": ..., "cases": [ {
      "name": str, "op": str, "params": {...},
      "inputs":    { name: {"shape": [...], "data": [...]} },   # differentiable
      "constants": { name: {"shape": [...], "data": [...]} },   # not differentiated (labels, targets)
      "output":    {"shape": [...], "data": [...]},
      "upstream":  {"shape": [...], "data": [...]} | null,
      "grads":     { name: {"shape": [...], "data": [...]} } } ] }
Floats are written with 9 significant digits, enough to round-trip float32 inputs exactly.
"""

import json
import os

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "packages", "tensor", "src", "fixtures")
MAX_BYTES = 200_000

torch.set_default_dtype(torch.float64)


def rounded(values):
    return [float(f"{v:.9g}") for v in np.asarray(values, dtype=np.float64).ravel().tolist()]


def encode(t):
    a = t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
    return {"shape": list(a.shape), "data": rounded(a)}


class Case:
    """Draws float32-representable inputs from one seeded generator."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)

    def randn(self, *shape, scale=1.0):
        values = (self.rng.standard_normal(shape) * scale).astype(np.float32)
        return torch.tensor(values.astype(np.float64), requires_grad=True)

    def uniform(self, *shape, low=-1.0, high=1.0):
        values = self.rng.uniform(low, high, shape).astype(np.float32)
        return torch.tensor(values.astype(np.float64), requires_grad=True)


def record(name, op, params, inputs, output, case, constants=None):
    """Backpropagates through `output` and packs everything into one fixture case."""
    upstream = None
    if output.dim() == 0:
        output.backward()
    else:
        upstream = case.uniform(*output.shape, low=-1.0, high=1.0).detach()
        (output * upstream).sum().backward()
    for key, t in inputs.items():
        assert t.grad is not None, f"{name}: no gradient for {key}"
    return {
        "name": name,
        "op": op,
        "params": params,
        "inputs": {key: encode(t) for key, t in inputs.items()},
        "constants": {key: encode(t) for key, t in (constants or {}).items()},
        "output": encode(output),
        "upstream": None if upstream is None else encode(upstream),
        "grads": {key: encode(t.grad) for key, t in inputs.items()},
    }


def pair(v):
    return [v, v] if isinstance(v, int) else list(v)


# ---------------------------------------------------------------------------------------------
# conv2d
def conv_cases():
    specs = [
        # name, x shape, w shape, stride, padding, bias
        ("1x1x5x5 k3 s1 p0 no bias", (1, 1, 5, 5), (1, 1, 3, 3), 1, 0, False),
        ("2x3x7x5 k3 s1 p1 bias", (2, 3, 7, 5), (4, 3, 3, 3), 1, 1, True),
        ("2x3x7x5 k3 s2 p1 bias", (2, 3, 7, 5), (4, 3, 3, 3), 2, 1, True),
        ("2x2x7x5 k3x2 s2 p0 no bias (non-square kernel)", (2, 2, 7, 5), (3, 2, 3, 2), 2, 0, False),
        ("1x3x6x7 k2x3 s1 p2 bias", (1, 3, 6, 7), (2, 3, 2, 3), 1, 2, True),
        ("2x2x8x6 k5 s2 p2 bias", (2, 2, 8, 6), (3, 2, 5, 5), 2, 2, True),
        ("1x2x7x5 k3 stride (2,1) padding (1,0) bias", (1, 2, 7, 5), (3, 2, 3, 3), (2, 1), (1, 0), True),
        ("3x4x5x5 k1 s1 p0 bias (pointwise)", (3, 4, 5, 5), (5, 4, 1, 1), 1, 0, True),
        ("1x1x4x4 k4 s1 p0 no bias (full window)", (1, 1, 4, 4), (2, 1, 4, 4), 1, 0, False),
    ]
    cases = []
    for i, (name, xs, ws, stride, padding, with_bias) in enumerate(specs):
        case = Case(100 + i)
        x = case.randn(*xs)
        w = case.randn(*ws, scale=0.5)
        inputs = {"x": x, "weight": w}
        b = None
        if with_bias:
            b = case.randn(ws[0], scale=0.5)
            inputs["bias"] = b
        y = F.conv2d(x, w, b, stride=stride, padding=padding)
        params = {"stride": pair(stride), "padding": pair(padding)}
        cases.append(record(f"conv2d {name}", "conv2d", params, inputs, y, case))
    return cases


# ---------------------------------------------------------------------------------------------
# pooling (PyTorch defaults: floor mode, count_include_pad=True, padding counts as -inf for max)
def pool_cases():
    specs = [
        # name, x shape, kernel, stride, padding
        ("2x3x7x5 k2 s2 p0", (2, 3, 7, 5), 2, 2, 0),
        ("2x3x7x5 k3 s2 p1", (2, 3, 7, 5), 3, 2, 1),
        ("1x2x7x5 k3 s1 p1 (overlapping)", (1, 2, 7, 5), 3, 1, 1),
        ("1x2x7x5 k2 s1 p1 (stride < kernel)", (1, 2, 7, 5), 2, 1, 1),
        ("2x2x6x7 k2 s3 p0 (stride > kernel)", (2, 2, 6, 7), 2, 3, 0),
        ("1x2x7x6 k3x2 s(2,1) p(1,0) (non-square)", (1, 2, 7, 6), (3, 2), (2, 1), (1, 0)),
    ]
    cases = []
    for i, (name, xs, k, s, p) in enumerate(specs):
        for op, fn in (("max_pool2d", F.max_pool2d), ("avg_pool2d", F.avg_pool2d)):
            case = Case(200 + i)
            x = case.randn(*xs)
            # Exact ties would make max pooling's gradient depend on the tie rule: keep them out.
            assert len(np.unique(x.detach().numpy())) == x.numel(), f"{name}: tied inputs"
            y = fn(x, kernel_size=k, stride=s, padding=p)
            params = {"kernel": pair(k), "stride": pair(s), "padding": pair(p)}
            cases.append(record(f"{op} {name}", op, params, {"x": x}, y, case))
    return cases


# ---------------------------------------------------------------------------------------------
# matmul (NumPy rules: 1-D vectors, batch axes broadcast)
def matmul_cases():
    specs = [
        ("2-D [3,4]x[4,5]", (3, 4), (4, 5)),
        ("2-D [1,7]x[7,1]", (1, 7), (7, 1)),
        ("2-D [6,17]x[17,5] (odd sizes)", (6, 17), (17, 5)),
        ("batched 3-D [2,3,4]x[2,4,5]", (2, 3, 4), (2, 4, 5)),
        ("broadcast 2-D x 3-D [3,4]x[2,4,5]", (3, 4), (2, 4, 5)),
        ("broadcast 3-D x 2-D [2,3,4]x[4,5]", (2, 3, 4), (4, 5)),
        ("broadcast batch [2,1,3,4]x[3,4,5]", (2, 1, 3, 4), (3, 4, 5)),
        ("broadcast batch [1,3,4]x[2,4,5]", (1, 3, 4), (2, 4, 5)),
        ("vector x matrix [4]x[4,5]", (4,), (4, 5)),
        ("matrix x vector [3,4]x[4]", (3, 4), (4,)),
        ("vector x vector [4]x[4]", (4,), (4,)),
        ("vector x batch [4]x[2,4,5]", (4,), (2, 4, 5)),
        ("batch x vector [2,3,4]x[4]", (2, 3, 4), (4,)),
    ]
    cases = []
    for i, (name, a_shape, b_shape) in enumerate(specs):
        case = Case(300 + i)
        a = case.randn(*a_shape)
        b = case.randn(*b_shape)
        y = torch.matmul(a, b)
        cases.append(record(f"matmul {name}", "matmul", {}, {"a": a, "b": b}, y, case))
    return cases


# ---------------------------------------------------------------------------------------------
# softmax family
def softmax_cases():
    cases = []
    for i, (shape, axis, scale) in enumerate(
        [((4, 5), -1, 1.0), ((4, 5), 0, 1.0), ((2, 3, 4), 1, 2.0), ((3, 6), -1, 30.0)]
    ):
        case = Case(400 + i)
        x = case.randn(*shape, scale=scale)
        y = F.log_softmax(x, dim=axis)
        name = f"log_softmax {list(shape)} axis {axis} scale {scale:g}"
        cases.append(record(name, "log_softmax", {"axis": axis}, {"x": x}, y, case))
    for i, (shape, axis) in enumerate([((4, 5), -1), ((2, 3, 4), 0)]):
        case = Case(410 + i)
        x = case.randn(*shape)
        y = F.softmax(x, dim=axis)
        name = f"softmax {list(shape)} axis {axis}"
        cases.append(record(name, "softmax", {"axis": axis}, {"x": x}, y, case))
    for i, (n, c, scale) in enumerate([(4, 3, 1.0), (8, 10, 2.0), (1, 5, 1.0), (5, 4, 20.0)]):
        case = Case(420 + i)
        logits = case.randn(n, c, scale=scale)
        labels = torch.tensor(case.rng.integers(0, c, n))
        loss = F.cross_entropy(logits, labels)
        cases.append(
            record(
                f"cross_entropy labels [{n},{c}] scale {scale:g}",
                "cross_entropy",
                {},
                {"logits": logits},
                loss,
                case,
                constants={"labels": labels.double()},
            )
        )
        case = Case(430 + i)
        logits = case.randn(n, c, scale=scale)
        target = F.one_hot(torch.tensor(case.rng.integers(0, c, n)), c).double()
        loss = F.cross_entropy(logits, target)
        cases.append(
            record(
                f"cross_entropy one-hot [{n},{c}] scale {scale:g}",
                "cross_entropy",
                {},
                {"logits": logits},
                loss,
                case,
                constants={"target": target},
            )
        )
    case = Case(440)
    logits = case.randn(3, 4)
    target = torch.tensor(case.rng.dirichlet(np.ones(4), 3).astype(np.float32).astype(np.float64))
    loss = F.cross_entropy(logits, target)
    cases.append(
        record(
            "cross_entropy soft targets [3,4]",
            "cross_entropy",
            {},
            {"logits": logits},
            loss,
            case,
            constants={"target": target},
        )
    )
    return cases


# ---------------------------------------------------------------------------------------------
# a small network: conv -> relu -> max pool -> flatten -> linear -> cross-entropy
def chain_margin_ok(pre, pooled_kernel, pooled_stride):
    """True when float32 rounding cannot flip a ReLU or a max-pool choice."""
    v = pre.detach().numpy()
    if np.min(np.abs(v)) < 1e-3:
        return False
    r = np.maximum(v, 0)
    n, c, h, w = r.shape
    k, s = pooled_kernel, pooled_stride
    for oy in range((h - k) // s + 1):
        for ox in range((w - k) // s + 1):
            win = np.sort(r[:, :, oy * s : oy * s + k, ox * s : ox * s + k].reshape(n, c, -1), axis=2)
            top, second = win[:, :, -1], win[:, :, -2]
            if np.any((top > 0) & (top - second < 1e-3)):
                return False
    return True


def chain_cases():
    cases = []
    specs = [
        # name, x shape, conv weight shape, padding, linear out, classes
        ("2x2x7x6 conv3x3 p1 -> pool2 -> linear 4", (2, 2, 7, 6), (3, 2, 3, 3), 1, 4),
        ("3x1x6x6 conv3x3 p0 -> pool2 -> linear 5", (3, 1, 6, 6), (4, 1, 3, 3), 0, 5),
    ]
    for i, (name, xs, ws, padding, classes) in enumerate(specs):
        seed = 500 + 10 * i
        while True:
            case = Case(seed)
            x = case.randn(*xs)
            w1 = case.randn(*ws, scale=0.5)
            b1 = case.randn(ws[0], scale=0.1)
            pre = F.conv2d(x, w1, b1, padding=padding)
            if chain_margin_ok(pre, 2, 2):
                break
            seed += 1
        pooled = F.max_pool2d(F.relu(pre), kernel_size=2, stride=2)
        features = pooled.flatten(1)
        w2 = case.randn(classes, features.shape[1], scale=0.3)
        b2 = case.randn(classes, scale=0.1)
        logits = features @ w2.T + b2
        labels = torch.tensor(case.rng.integers(0, classes, xs[0]))
        loss = F.cross_entropy(logits, labels)
        cases.append(
            record(
                f"chain {name}",
                "chain",
                {"padding": padding, "poolKernel": 2, "poolStride": 2},
                {"x": x, "w1": w1, "b1": b1, "w2": w2, "b2": b2},
                loss,
                case,
                constants={"labels": labels.double()},
            )
        )
    return cases


def write(name, description, cases):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, f"{name}.json")
    body = {
        "description": description,
        "generator": "scripts/make-fixtures.py (torch %s, float64 references)" % torch.__version__.split("+")[0],
        "cases": cases,
    }
    text = json.dumps(body, separators=(",", ":")) + "\n"
    assert len(text) < MAX_BYTES, f"{path} is {len(text)} bytes"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(path, ROOT)}: {len(cases)} cases, {len(text) // 1024} KB")


def main():
    write("conv2d", "F.conv2d forward and gradients", conv_cases())
    write("pool", "F.max_pool2d / F.avg_pool2d (count_include_pad=True)", pool_cases())
    write("matmul", "torch.matmul with NumPy broadcasting rules", matmul_cases())
    write("softmax", "F.log_softmax, F.softmax and F.cross_entropy (mean)", softmax_cases())
    write("chain", "conv -> relu -> max pool -> flatten -> linear -> cross-entropy", chain_cases())


if __name__ == "__main__":
    main()
