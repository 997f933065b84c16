#!/usr/bin/env python3
"""Writes the double-backward fixture that packages/tensor/src/higher-order.test.ts checks.

Run from the repository root:
    /usr/bin/python3 packages/tensor/scripts/make-higher-order-fixtures.py
(Debian's python3-torch and python3-numpy). It writes
packages/tensor/src/fixtures/higher-order/double-backward.json (a directory of its own, so that
golden.backends.test.ts, which reads every *.json of src/fixtures, does not see it).

As in scripts/make-fixtures.py, inputs are drawn from a seeded NumPy generator and rounded to
float32 (so scratchnet sees exactly the values PyTorch saw) and the references are computed in
float64. For each differentiable primitive, with inputs x_i, an upstream gradient u of the
output's shape and a direction v_i for each input (all fixed random values):

    L      = sum(f(x) * u)                                   the first-order loss
    grads  = dL/dx_i            (torch.autograd.grad(..., create_graph=True))
    S      = sum_i sum(grads_i * v_i)
    hvp    = dS/dx_i            the Hessian of L times v (its mixed blocks included)
    jvp    = dS/du              the Jacobian of f times v: how the first gradient depends on u,
                                so it checks the gradient of each gradient rule in g
    T      = sum_i sum(hvp_i * v_i)
    third  = dT/dx_i            third derivatives, zeros where the hvp is constant

The upstream u is differentiated too: for a primitive linear in its input (reshape, pooling, the
convolution gradients) the Hessian is zero and only `jvp` shows whether the gradient of the
gradient rule is right. Inputs stay clear of kinks (relu, abs, maximum) and ties (max, max
pooling) by more than the central-difference step of the test, so that both the references and
the test's numerical check are well defined there.

File format: { "description", "generator", "cases": [ {
    "name", "op", "params",
    "inputs":     { name: {"shape", "data"} },   differentiable
    "constants":  { name: {"shape", "data"} },   not differentiated (labels, pooling's x, ...)
    "upstream":   {"shape", "data"},             u
    "directions": { name: {"shape", "data"} },   v_i, one per input
    "output", "grads", "hvp", "jvp", "third" } ] }
"""

import json
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(PACKAGE))
OUT = os.path.join(PACKAGE, "src", "fixtures", "higher-order", "double-backward.json")
MAX_BYTES = 300_000

torch.set_default_dtype(torch.float64)


def rounded(values):
    return [float(f"{v:.9g}") for v in np.asarray(values, dtype=np.float64).ravel().tolist()]


def encode(t):
    a = t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
    return {"shape": list(a.shape), "data": rounded(a)}


def f32(values):
    """float32-representable float64 tensor."""
    return torch.tensor(np.asarray(values, dtype=np.float32).astype(np.float64))


class Case:
    """Draws float32-representable values from one seeded generator."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)

    def uniform(self, *shape, low=-1.0, high=1.0):
        return f32(self.rng.uniform(low, high, shape))

    def randn(self, *shape, scale=1.0):
        return f32(self.rng.standard_normal(shape) * scale)

    def away_from_zero(self, *shape):
        """|x| in [0.2, 1.5): clear of the kink at 0."""
        sign = np.where(self.rng.uniform(size=shape) < 0.5, -1.0, 1.0)
        return f32(sign * self.rng.uniform(0.2, 1.5, shape))

    def distinct(self, *shape):
        """Distinct values 0.25 apart, shuffled: no ties, and a unique winner in every window."""
        n = int(np.prod(shape))
        return f32(((self.rng.permutation(n) - n / 2) * 0.25).reshape(shape))


# Their Hessian is zero away from kinks and ties, where the inputs are.
PIECEWISE_LINEAR = {
    "neg", "abs", "relu", "add", "sub", "maximum", "minimum", "relu_grad", "sum", "max", "min",
    "reshape", "permute", "expand", "slice", "pad", "concat", "im2col", "col2im",
    "max_pool2d", "avg_pool2d", "max_pool2d_backward", "avg_pool2d_backward",
}


def zeros_for(ts, grads):
    return [torch.zeros_like(t) if g is None else g for t, g in zip(ts, grads)]


def record(name, op, params, case, inputs, fn, constants=None):
    """Differentiates fn(**inputs) three times and packs everything into one fixture case."""
    constants = constants or {}
    keys = list(inputs)
    xs = [inputs[k].clone().requires_grad_(True) for k in keys]
    out = fn(*xs)
    u = case.uniform(*out.shape).requires_grad_(True)
    vs = [case.uniform(*x.shape) for x in xs]
    loss = (out * u).sum()
    grads = zeros_for(xs, torch.autograd.grad(loss, xs, create_graph=True, allow_unused=True))
    s = sum((g * v).sum() for g, v in zip(grads, vs))
    second = zeros_for(xs + [u], torch.autograd.grad(s, xs + [u], create_graph=True, allow_unused=True))
    hvp, jvp = second[:-1], second[-1]
    t = sum((h * v).sum() for h, v in zip(hvp, vs))
    if t.requires_grad:
        third = zeros_for(xs, torch.autograd.grad(t, xs, allow_unused=True))
    else:
        third = [torch.zeros_like(x) for x in xs]
    if op in PIECEWISE_LINEAR:
        assert all(torch.all(h == 0) for h in hvp), f"{name}: a piecewise-linear op has a Hessian"
    return {
        "name": name,
        "op": op,
        "params": params,
        "inputs": {k: encode(x) for k, x in zip(keys, xs)},
        "constants": {k: encode(c) for k, c in constants.items()},
        "upstream": encode(u),
        "directions": {k: encode(v) for k, v in zip(keys, vs)},
        "output": encode(out),
        "grads": {k: encode(g) for k, g in zip(keys, grads)},
        "hvp": {k: encode(h) for k, h in zip(keys, hvp)},
        "jvp": encode(jvp),
        "third": {k: encode(d) for k, d in zip(keys, third)},
    }


def pair(v):
    return [v, v] if isinstance(v, int) else list(v)


def unary_cases():
    fns = {
        "neg": (torch.neg, "randn"),
        "exp": (torch.exp, "randn"),
        "log": (torch.log, "positive"),
        "sqrt": (torch.sqrt, "positive"),
        # torch 1.13's own double backward of abs (through sgn) gives a non-zero Hessian away
        # from 0, where |x| is linear: the where() form has the exact one (zero).
        "abs": (lambda x: torch.where(x >= 0, x, -x), "away"),
        "relu": (torch.relu, "away"),
        "sigmoid": (torch.sigmoid, "randn"),
        "tanh": (torch.tanh, "randn"),
    }
    cases = []
    for i, (op, (fn, kind)) in enumerate(fns.items()):
        case = Case(1000 + i)
        if kind == "positive":
            x = case.uniform(2, 3, low=0.5, high=2.0)
        elif kind == "away":
            x = case.away_from_zero(2, 3)
        else:
            x = case.randn(2, 3)
        cases.append(record(f"{op} [2,3]", op, {}, case, {"x": x}, fn))
    return cases


def binary_cases():
    cases = []
    specs = [
        ("add", torch.add),
        ("sub", torch.sub),
        ("mul", torch.mul),
        ("div", torch.div),
        ("pow", torch.pow),
        ("maximum", torch.maximum),
        ("minimum", torch.minimum),
    ]
    for i, (op, fn) in enumerate(specs):
        for j, (a_shape, b_shape) in enumerate([((3, 4), (3, 4)), ((2, 3), (3,))]):
            case = Case(1100 + 10 * i + j)
            if op == "pow":
                a = case.uniform(*a_shape, low=0.5, high=2.0)
                b = case.uniform(*b_shape, low=-1.5, high=2.0)
            elif op == "div":
                a = case.randn(*a_shape)
                b = case.away_from_zero(*b_shape) * 2
            elif op in ("maximum", "minimum"):
                b = case.randn(*b_shape)
                # a differs from b by at least 0.2 everywhere (b broadcast over a's shape).
                a = f32(b.expand(a_shape) + case.away_from_zero(*a_shape))
            else:
                a = case.randn(*a_shape)
                b = case.randn(*b_shape)
            name = f"{op} {list(a_shape)} {list(b_shape)}"
            cases.append(record(name, op, {}, case, {"a": a, "b": b}, fn))
    case = Case(1190)
    x = case.away_from_zero(3, 4)
    cases.append(
        record(
            "reluGrad [3,4] (x constant)",
            "relu_grad",
            {},
            case,
            {"dy": case.randn(3, 4)},
            lambda dy: torch.where(x > 0, dy, torch.zeros_like(dy)),
            constants={"x": x},
        )
    )
    return cases


def reduction_cases():
    cases = []
    case = Case(1200)
    x = case.randn(2, 3, 4)
    cases.append(record("sum axes [1] [2,3,4]", "sum", {"axes": [1]}, case, {"x": x}, lambda x: x.sum(1)))
    case = Case(1201)
    x = case.randn(2, 3)
    cases.append(record("sum all [2,3]", "sum", {"axes": None}, case, {"x": x}, lambda x: x.sum()))
    case = Case(1202)
    x = case.distinct(3, 4)
    cases.append(record("max axes [1] [3,4]", "max", {"axes": [1]}, case, {"x": x}, lambda x: x.amax(1)))
    case = Case(1203)
    x = case.distinct(3, 4)
    cases.append(record("min axes [0] [3,4]", "min", {"axes": [0]}, case, {"x": x}, lambda x: x.amin(0)))
    case = Case(1204)
    x = case.distinct(2, 3)
    cases.append(record("max all [2,3]", "max", {"axes": None}, case, {"x": x}, lambda x: x.amax()))
    return cases


def matmul_cases():
    cases = []
    for i, (a_shape, b_shape) in enumerate(
        [((3, 4), (4, 5)), ((2, 3, 4), (4, 5)), ((3, 4), (2, 4, 2)), ((2, 3, 4), (2, 4, 2))]
    ):
        case = Case(1300 + i)
        a = case.randn(*a_shape)
        b = case.randn(*b_shape)
        name = f"matmul {list(a_shape)} {list(b_shape)}"
        cases.append(record(name, "matmul", {}, case, {"a": a, "b": b}, torch.matmul))
    return cases


def shape_cases():
    cases = []
    case = Case(1400)
    cases.append(
        record("reshape [2,3,4] -> [4,6]", "reshape", {"shape": [4, 6]}, case, {"x": case.randn(2, 3, 4)},
               lambda x: x.reshape(4, 6))
    )
    case = Case(1401)
    cases.append(
        record("permute [2,3,4] [2,0,1]", "permute", {"perm": [2, 0, 1]}, case, {"x": case.randn(2, 3, 4)},
               lambda x: x.permute(2, 0, 1))
    )
    case = Case(1402)
    cases.append(
        record("expand [3,1] -> [2,3,4]", "expand", {"shape": [2, 3, 4]}, case, {"x": case.randn(3, 1)},
               lambda x: x.expand(2, 3, 4))
    )
    begin, size, step = [1, 0], [2, 3], [2, 2]
    case = Case(1403)
    cases.append(
        record(
            "slice [5,6] begin [1,0] size [2,3] step [2,2]",
            "slice",
            {"begin": begin, "size": size, "step": step},
            case,
            {"x": case.randn(5, 6)},
            lambda x: x[1:1 + (2 - 1) * 2 + 1:2, 0:0 + (3 - 1) * 2 + 1:2],
        )
    )
    pads = [[1, 0], [2, 1]]
    case = Case(1404)
    cases.append(
        record(
            "pad [2,3] [[1,0],[2,1]] value 0.5",
            "pad",
            {"pads": pads, "value": 0.5},
            case,
            {"x": case.randn(2, 3)},
            lambda x: F.pad(x, (2, 1, 1, 0), value=0.5),
        )
    )
    case = Case(1405)
    cases.append(
        record(
            "concat [2,3] [2,2] axis 1",
            "concat",
            {"axis": 1},
            case,
            {"a": case.randn(2, 3), "b": case.randn(2, 2)},
            lambda a, b: torch.cat([a, b], 1),
        )
    )
    return cases


def window_cases():
    cases = []
    # im2col / col2im: F.unfold / F.fold, rows (n, oy, ox) and columns (c, ky, kx) as the book's.
    xs, k, s, p = (1, 2, 5, 4), 3, 2, 1
    oh, ow = (xs[2] + 2 * p - k) // s + 1, (xs[3] + 2 * p - k) // s + 1
    case = Case(1500)
    cases.append(
        record(
            "im2col 1x2x5x4 k3 s2 p1",
            "im2col",
            {"kernel": [k, k], "stride": [s, s], "padding": [p, p]},
            case,
            {"x": case.randn(*xs)},
            lambda x: F.unfold(x, k, padding=p, stride=s).permute(0, 2, 1).reshape(-1, xs[1] * k * k),
        )
    )
    case = Case(1501)
    cases.append(
        record(
            "col2im 1x2x5x4 k3 s2 p1",
            "col2im",
            {"inputShape": list(xs), "kernel": [k, k], "stride": [s, s], "padding": [p, p]},
            case,
            {"cols": case.randn(xs[0] * oh * ow, xs[1] * k * k)},
            lambda cols: F.fold(
                cols.reshape(xs[0], oh * ow, -1).permute(0, 2, 1), (xs[2], xs[3]), k, padding=p, stride=s
            ),
        )
    )
    # conv2d and its two gradient primitives (torch's conv backward, differentiated again).
    for i, (x_shape, w_shape, stride, padding, bias) in enumerate(
        [((2, 2, 5, 4), (3, 2, 3, 2), 1, 0, False), ((1, 2, 5, 5), (3, 2, 3, 3), 2, 1, True)]
    ):
        case = Case(1510 + i)
        inputs = {"x": case.randn(*x_shape), "weight": case.randn(*w_shape, scale=0.5)}
        if bias:
            inputs["bias"] = case.randn(w_shape[0], scale=0.5)
        params = {"stride": pair(stride), "padding": pair(padding)}
        name = f"conv2d {x_shape} {w_shape} s{stride} p{padding}{' bias' if bias else ''}"
        cases.append(
            record(name, "conv2d", params, case, inputs,
                   lambda *a: F.conv2d(a[0], a[1], a[2] if len(a) > 2 else None, stride=stride, padding=padding))
        )
        y_shape = F.conv2d(torch.zeros(x_shape), torch.zeros(w_shape), stride=stride, padding=padding).shape

        def input_grad(dy, w, x_shape=x_shape, stride=stride, padding=padding):
            x0 = torch.zeros(x_shape, requires_grad=True)
            y = F.conv2d(x0, w, stride=stride, padding=padding)
            return torch.autograd.grad(y, x0, dy, create_graph=True)[0]

        def filter_grad(x, dy, w_shape=w_shape, stride=stride, padding=padding):
            w0 = torch.zeros(w_shape, requires_grad=True)
            y = F.conv2d(x, w0, stride=stride, padding=padding)
            return torch.autograd.grad(y, w0, dy, create_graph=True)[0]

        case = Case(1520 + i)
        cases.append(
            record(
                f"conv2dInputGrad dy {tuple(y_shape)} w {w_shape} s{stride} p{padding}",
                "conv2d_input_grad",
                {**params, "inputShape": list(x_shape)},
                case,
                {"dy": case.randn(*y_shape), "weight": case.randn(*w_shape, scale=0.5)},
                input_grad,
            )
        )
        case = Case(1530 + i)
        cases.append(
            record(
                f"conv2dFilterGrad x {x_shape} dy {tuple(y_shape)} s{stride} p{padding}",
                "conv2d_filter_grad",
                {**params, "kernel": list(w_shape[2:])},
                case,
                {"x": case.randn(*x_shape), "dy": case.randn(*y_shape)},
                filter_grad,
            )
        )
    # pooling, and pooling's gradients as functions of dy (x a constant).
    for i, (x_shape, k, s, p) in enumerate([((1, 2, 5, 4), 3, 2, 1), ((2, 1, 4, 5), 2, 1, 0)]):
        params = {"kernel": pair(k), "stride": pair(s), "padding": pair(p)}
        for j, (op, fn) in enumerate((("max_pool2d", F.max_pool2d), ("avg_pool2d", F.avg_pool2d))):
            case = Case(1540 + 10 * i + j)
            x = case.distinct(*x_shape) if op == "max_pool2d" else case.randn(*x_shape)
            pool = lambda x, fn=fn: fn(x, kernel_size=k, stride=s, padding=p)  # noqa: E731
            cases.append(record(f"{op} {x_shape} k{k} s{s} p{p}", op, params, case, {"x": x}, pool))

            def backward(dy, x=x, pool=pool):
                x0 = x.clone().requires_grad_(True)
                return torch.autograd.grad(pool(x0), x0, dy, create_graph=True)[0]

            y_shape = pool(x).shape
            cases.append(
                record(
                    f"{op}Backward dy {tuple(y_shape)} k{k} s{s} p{p} (x constant)",
                    f"{op}_backward",
                    params,
                    case,
                    {"dy": case.randn(*y_shape)},
                    backward,
                    constants={"x": x},
                )
            )
    return cases


def composite_cases():
    cases = []
    case = Case(1600)
    labels = torch.tensor(case.rng.integers(0, 4, 3))
    cases.append(
        record(
            "softmaxCrossEntropy [3,4] labels",
            "cross_entropy",
            {},
            case,
            {"logits": case.randn(3, 4)},
            lambda z: F.cross_entropy(z, labels),
            constants={"labels": labels.double()},
        )
    )
    case = Case(1601)
    cases.append(
        record("logSoftmax [3,4] axis 1", "log_softmax", {"axis": 1}, case, {"x": case.randn(3, 4)},
               lambda x: F.log_softmax(x, 1))
    )
    case = Case(1602)
    labels = torch.tensor(case.rng.integers(0, 3, 4))
    x = case.randn(4, 3)
    cases.append(
        record(
            "mlp tanh(x·w1 + b1)·w2 -> softmaxCrossEntropy",
            "mlp",
            {},
            case,
            {"w1": case.randn(3, 5, scale=0.7), "b1": case.randn(5, scale=0.3), "w2": case.randn(5, 3, scale=0.7)},
            lambda w1, b1, w2: F.cross_entropy(torch.tanh(x @ w1 + b1) @ w2, labels),
            constants={"x": x, "labels": labels.double()},
        )
    )
    return cases


def main():
    cases = (
        unary_cases()
        + binary_cases()
        + reduction_cases()
        + matmul_cases()
        + shape_cases()
        + window_cases()
        + composite_cases()
    )
    body = {
        "description": "double backward: first gradients, Hessian-vector products, Jacobian-vector "
        "products through the upstream gradient, third derivatives",
        "generator": "packages/tensor/scripts/make-higher-order-fixtures.py (torch %s, float64 references)"
        % torch.__version__.split("+")[0],
        "cases": cases,
    }
    text = json.dumps(body, separators=(",", ":")) + "\n"
    assert len(text) < MAX_BYTES, f"{OUT} is {len(text)} bytes"
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(OUT, ROOT)}: {len(cases)} cases, {len(text) // 1024} KB")


if __name__ == "__main__":
    main()
