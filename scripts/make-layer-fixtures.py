#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures for packages/layers and packages/optimizers.

Run from the repository root:
  pnpm fixtures:layers   (or  /usr/bin/python3 scripts/make-layer-fixtures.py)

It also runs scripts/book-optimizer-paths.py, so one command regenerates every fixture the two
packages' tests read.

Every input is drawn from a seeded NumPy generator and rounded to float32, so scratchnet (which
computes in float32) sees exactly the values PyTorch saw; the references are computed in float64.
Tensors are stored as {"shape": [...], "data": [...]} with 9 significant digits.

Layer files (packages/layers/src/fixtures/*.json): { "cases": [ {
    "name", "layer", "options", "training",
    "state":      { PyTorch state_dict name: tensor },   # loaded with loadStateDict
    "inputs":     { name: tensor },                      # differentiable
    "constants":  { name: tensor },                      # labels and targets
    "output", "upstream" (null for a scalar output),
    "grads":      { input or parameter name: tensor },
    "stateAfter": { buffer name: tensor } } ] }          # running statistics after the step
A non-scalar output is reduced by the fixed random `upstream` (loss = sum(output * upstream)), so
every output element matters.

Optimizer file (packages/optimizers/src/fixtures/torch-optimizers.json): two parameters, a fixed
sequence of gradients fed for five steps, and for each torch.optim configuration the parameters
after every step; plus learning-rate schedules from torch.optim.lr_scheduler.
"""

import json
import os
import runpy

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAYERS_DIR = os.path.join(ROOT, "packages", "layers", "src", "fixtures")
OPTIMIZERS_DIR = os.path.join(ROOT, "packages", "optimizers", "src", "fixtures")
MAX_BYTES = 200_000
GENERATOR = f"scripts/make-layer-fixtures.py (torch {torch.__version__}, float64 references)"

torch.set_default_dtype(torch.float64)


def rounded(values):
    return [float(f"{v:.9g}") for v in np.asarray(values, dtype=np.float64).ravel().tolist()]


def encode(t):
    a = t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
    return {"shape": list(a.shape), "data": rounded(a)}


class Draw:
    """Float32-representable random tensors (as float64) from one seeded generator."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)

    def normal(self, *shape, scale=1.0, shift=0.0):
        values = (self.rng.standard_normal(shape) * scale + shift).astype(np.float32)
        return torch.tensor(values.astype(np.float64))

    def uniform(self, *shape, low=-1.0, high=1.0):
        values = self.rng.uniform(low, high, shape).astype(np.float32)
        return torch.tensor(values.astype(np.float64))


def backprop(output, draw):
    """Backpropagates a weighted sum of `output` (or the scalar itself); returns the upstream."""
    if output.dim() == 0:
        output.backward()
        return None
    upstream = draw.uniform(*output.shape)
    (output * upstream).sum().backward()
    return upstream


def set_state(module, draw, running=True):
    """Gives a module non-trivial parameters (and running statistics) so that each one matters."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            # Batch norm's γ around 1, everything else around 0.
            gamma = name == "weight" and p.dim() == 1
            p.copy_(draw.normal(*p.shape, scale=0.5, shift=1.0 if gamma else 0.0))
        if running and hasattr(module, "running_mean") and module.running_mean is not None:
            module.running_mean.copy_(draw.normal(*module.running_mean.shape, scale=0.5))
            module.running_var.copy_(draw.uniform(*module.running_var.shape, low=0.5, high=2.0))
    return {k: encode(v) for k, v in module.state_dict().items()}


def layer_case(name, layer, options, module, x, draw, training):
    """Runs `module` on `x` in the given mode and records output, gradients and state."""
    state = set_state(module, draw)
    module.train(training)
    x.requires_grad_(True)
    output = module(x)
    upstream = backprop(output, draw)
    grads = {"x": encode(x.grad)}
    for pname, p in module.named_parameters():
        grads[pname] = encode(p.grad)
    return {
        "name": name,
        "layer": layer,
        "options": options,
        "training": training,
        "state": state,
        "inputs": {"x": encode(x)},
        "constants": {},
        "output": encode(output),
        "upstream": None if upstream is None else encode(upstream),
        "grads": grads,
        "stateAfter": {k: encode(v) for k, v in module.named_buffers()},
    }


def batch_norm_cases():
    draw = Draw(101)
    cases = []

    def add(name, cls, layer, features, shape, training, **options):
        torch_options = {"eps": options.get("eps", 1e-5), "momentum": options.get("momentum", 0.1)}
        if "affine" in options:
            torch_options["affine"] = options["affine"]
        module = cls(features, **torch_options)
        x = draw.normal(*shape, scale=1.5, shift=0.7)
        cases.append(layer_case(name, layer, options, module, x, draw, training))

    add("BatchNorm1d(4) train on [8, 4]", nn.BatchNorm1d, "BatchNorm1d", 4, (8, 4), True)
    add("BatchNorm1d(3) train on [4, 3, 5]", nn.BatchNorm1d, "BatchNorm1d", 3, (4, 3, 5), True)
    add(
        "BatchNorm1d(4, affine false) train on [6, 4]",
        nn.BatchNorm1d,
        "BatchNorm1d",
        4,
        (6, 4),
        True,
        affine=False,
    )
    add("BatchNorm2d(2) train on [3, 2, 4, 5]", nn.BatchNorm2d, "BatchNorm2d", 2, (3, 2, 4, 5),
        True)
    add(
        "BatchNorm2d(3, eps 1e-3, momentum 0.2) train on [2, 3, 3, 4]",
        nn.BatchNorm2d,
        "BatchNorm2d",
        3,
        (2, 3, 3, 4),
        True,
        eps=1e-3,
        momentum=0.2,
    )
    add("BatchNorm1d(4) eval on [6, 4]", nn.BatchNorm1d, "BatchNorm1d", 4, (6, 4), False)
    add("BatchNorm2d(3) eval on [2, 3, 3, 3]", nn.BatchNorm2d, "BatchNorm2d", 3, (2, 3, 3, 3),
        False)
    return cases


def linear_cases():
    draw = Draw(202)
    cases = []
    for name, in_f, out_f, bias, shape in [
        ("Linear(5, 3) on [4, 5]", 5, 3, True, (4, 5)),
        ("Linear(5, 3, no bias) on [4, 5]", 5, 3, False, (4, 5)),
        ("Linear(6, 2) on [2, 3, 6]", 6, 2, True, (2, 3, 6)),
    ]:
        module = nn.Linear(in_f, out_f, bias=bias)
        options = {"inFeatures": in_f, "outFeatures": out_f, "bias": bias}
        cases.append(layer_case(name, "Linear", options, module, draw.normal(*shape), draw, True))
    return cases


def conv2d_cases():
    draw = Draw(303)
    cases = []
    for name, in_c, out_c, kernel, stride, padding, bias, shape in [
        ("Conv2d(2, 3, 3, padding 1) on [2, 2, 5, 5]", 2, 3, 3, 1, 1, True, (2, 2, 5, 5)),
        ("Conv2d(3, 4, [3, 2], stride [2, 1], padding [1, 0])",
         3, 4, [3, 2], [2, 1], [1, 0], True, (2, 3, 6, 5)),
        ("Conv2d(1, 2, 2, stride 2, no bias) on [3, 1, 4, 6]", 1, 2, 2, 2, 0, False, (3, 1, 4, 6)),
    ]:
        module = nn.Conv2d(in_c, out_c, kernel, stride=stride, padding=padding, bias=bias)
        options = {
            "inChannels": in_c,
            "outChannels": out_c,
            "kernelSize": kernel,
            "stride": stride,
            "padding": padding,
            "bias": bias,
        }
        cases.append(layer_case(name, "Conv2d", options, module, draw.normal(*shape), draw, True))
    return cases


def dropout_cases():
    draw = Draw(404)
    cases = []
    for p, shape in [(0.5, (4, 6)), (0.2, (2, 3, 4))]:
        module = nn.Dropout(p)
        name = f"Dropout({p}) eval on {list(shape)}"
        x = draw.normal(*shape)
        cases.append(layer_case(name, "Dropout", {"p": p}, module, x, draw, False))
    return cases


def loss_case(name, loss, options, inputs, constants, output, draw):
    upstream = backprop(output, draw)
    return {
        "name": name,
        "layer": loss,
        "options": options,
        "training": True,
        "state": {},
        "inputs": {k: encode(v) for k, v in inputs.items()},
        "constants": {k: encode(v) for k, v in constants.items()},
        "output": encode(output),
        "upstream": None if upstream is None else encode(upstream),
        "grads": {k: encode(v.grad) for k, v in inputs.items()},
    }


def loss_cases():
    draw = Draw(505)
    cases = []
    n, c = 5, 4
    labels = torch.tensor(draw.rng.integers(0, c, n))

    for reduction in ["mean", "sum", "none"]:
        logits = (draw.normal(n, c) * 2).requires_grad_(True)
        out = F.cross_entropy(logits, labels, reduction=reduction)
        cases.append(
            loss_case(
                f"cross_entropy labels, reduction {reduction}",
                "softmaxCrossEntropy",
                {"reduction": reduction},
                {"logits": logits},
                {"labels": labels.double()},
                out,
                draw,
            )
        )

    logits = (draw.normal(n, c) * 2).requires_grad_(True)
    one_hot = F.one_hot(labels, c).double()
    out = F.cross_entropy(logits, one_hot)
    cases.append(
        loss_case(
            "cross_entropy one-hot target, reduction mean",
            "softmaxCrossEntropy",
            {"reduction": "mean"},
            {"logits": logits},
            {"target": one_hot},
            out,
            draw,
        )
    )

    # Soft targets: rows of a softmax, rounded to float32 (they need not sum to exactly 1).
    logits = (draw.normal(n, c) * 2).requires_grad_(True)
    soft = torch.softmax(draw.normal(n, c), 1).numpy().astype(np.float32)
    soft = torch.tensor(soft.astype(np.float64))
    out = F.cross_entropy(logits, soft, reduction="sum")
    cases.append(
        loss_case(
            "cross_entropy probability target, reduction sum",
            "SoftmaxCrossEntropyLoss",
            {"reduction": "sum"},
            {"logits": logits},
            {"target": soft},
            out,
            draw,
        )
    )

    for reduction in ["mean", "sum"]:
        y = draw.normal(3, 4).requires_grad_(True)
        t = draw.normal(3, 4).requires_grad_(True)
        out = F.mse_loss(y, t, reduction=reduction)
        cases.append(
            loss_case(
                f"mse_loss, reduction {reduction}",
                "mseLoss",
                {"reduction": reduction},
                {"y": y, "t": t},
                {},
                out,
                draw,
            )
        )

    # The book's mean_squared_error: 0.5 * Σ(y − t)², here on one-hot targets as in chapter 4.
    y = torch.softmax(draw.normal(2, 10), 1).detach().requires_grad_(True)
    t = F.one_hot(torch.tensor([2, 7]), 10).double()
    out = 0.5 * F.mse_loss(y, t, reduction="sum")
    cases.append(
        loss_case("0.5 * mse_loss sum", "halfSumSquaredError", {}, {"y": y}, {"t": t}, out, draw)
    )
    return cases


def state_name_cases():
    """PyTorch's state_dict names, order and shapes for a small network with every layer kind."""
    net = nn.Sequential(
        nn.Conv2d(1, 2, 3),
        nn.BatchNorm2d(2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(8, 4),
        nn.BatchNorm1d(4),
        nn.Dropout(0.5),
        nn.Linear(4, 3),
    )
    state = [[k, list(v.shape)] for k, v in net.state_dict().items()]
    return [{"name": "Sequential with conv, batch norm, pool, linear", "input": [2, 1, 6, 6],
             "state": state}]


def write(directory, name, body):
    os.makedirs(directory, exist_ok=True)
    text = json.dumps(body, separators=(",", ":")) + "\n"
    path = os.path.join(directory, name)
    assert len(text) < MAX_BYTES, f"{path} is {len(text)} bytes"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(path, ROOT)} ({len(text)} bytes)")


# --- optimizers -----------------------------------------------------------------------------

STEPS = 5
PARAM_SHAPES = [(3, 4), (4,)]

# (our class, our options, the torch.optim call). eps is given on both sides: ours defaults to the
# book's 1e-7, torch's to 1e-8 (Adam, RMSprop) or 1e-10 (Adagrad).
OPTIMIZER_CASES = [
    ("SGD", {"lr": 0.1}, "SGD(lr=0.1)"),
    ("SGD", {"lr": 0.1, "weightDecay": 0.05}, "SGD(lr=0.1, weight_decay=0.05)"),
    ("Momentum", {"lr": 0.05, "momentum": 0.9}, "SGD(lr=0.05, momentum=0.9)"),
    (
        "Momentum",
        {"lr": 0.05, "momentum": 0.9, "weightDecay": 0.01},
        "SGD(lr=0.05, momentum=0.9, weight_decay=0.01)",
    ),
    ("Nesterov", {"lr": 0.05, "momentum": 0.9}, "SGD(lr=0.05, momentum=0.9, nesterov=True)"),
    ("AdaGrad", {"lr": 0.1, "eps": 1e-10}, "Adagrad(lr=0.1, eps=1e-10)"),
    (
        "RMSprop",
        {"lr": 0.01, "decayRate": 0.99, "eps": 1e-8},
        "RMSprop(lr=0.01, alpha=0.99, eps=1e-08)",
    ),
    ("Adam", {"lr": 0.01, "eps": 1e-8}, "Adam(lr=0.01, eps=1e-08)"),
    (
        "Adam",
        {"lr": 0.01, "beta1": 0.8, "beta2": 0.95, "eps": 1e-7},
        "Adam(lr=0.01, betas=(0.8, 0.95), eps=1e-07)",
    ),
    (
        "Adam",
        {"lr": 0.01, "eps": 1e-8, "weightDecay": 0.1},
        "Adam(lr=0.01, eps=1e-08, weight_decay=0.1)",
    ),
    (
        "AdamW",
        {"lr": 0.01, "eps": 1e-8, "weightDecay": 0.01},
        "AdamW(lr=0.01, eps=1e-08, weight_decay=0.01)",
    ),
    (
        "AdamW",
        {"lr": 0.05, "eps": 1e-8, "weightDecay": 0.5},
        "AdamW(lr=0.05, eps=1e-08, weight_decay=0.5)",
    ),
]


def make_torch_optimizer(call, params):
    """Builds torch.optim.<call> on `params`, e.g. call "SGD(lr=0.1)"."""
    cls, args = call.split("(", 1)
    return eval(f"torch.optim.{cls}(params, {args}", {"torch": torch, "params": params})


def optimizer_fixture():
    draw = Draw(606)
    initial = [draw.normal(*shape) for shape in PARAM_SHAPES]
    grads = [[draw.normal(*shape, scale=0.5) for shape in PARAM_SHAPES] for _ in range(STEPS)]
    cases = []
    for optimizer, options, call in OPTIMIZER_CASES:
        params = [p.clone().requires_grad_(True) for p in initial]
        opt = make_torch_optimizer(call, params)
        trajectory = []
        for step_grads in grads:
            for p, g in zip(params, step_grads):
                p.grad = g.clone()
            opt.step()
            trajectory.append([encode(p) for p in params])
        cases.append(
            {"optimizer": optimizer, "options": options, "torch": call, "trajectory": trajectory}
        )
    return {
        "description": "torch.optim trajectories: the same gradients fed for five steps",
        "generator": GENERATOR,
        "initial": [encode(p) for p in initial],
        "grads": [[encode(g) for g in step] for step in grads],
        "cases": cases,
        "schedules": schedule_cases(),
    }


def schedule_cases():
    """Learning rates at steps 0..n from torch.optim.lr_scheduler (base lr 0.1)."""

    def run(make, steps):
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        scheduler = make(opt)
        rates = [opt.param_groups[0]["lr"]]
        for _ in range(steps):
            opt.step()
            scheduler.step()
            rates.append(opt.param_groups[0]["lr"])
        return rates

    sched = torch.optim.lr_scheduler
    return [
        {"name": "StepLR(step_size 3, gamma 0.5)", "schedule": "stepDecay",
         "args": [0.1, 3, 0.5], "rates": run(lambda o: sched.StepLR(o, 3, 0.5), 10)},
        # Only up to T_max: past it torch's cosine rises again, ours stays at the minimum.
        {"name": "CosineAnnealingLR(T_max 8, eta_min 0.001)", "schedule": "cosineAnnealing",
         "args": [0.1, 8, 0.001], "rates": run(lambda o: sched.CosineAnnealingLR(o, 8, 0.001), 8)},
        {"name": "LinearLR(start_factor 0.25, total_iters 4)", "schedule": "linearWarmup",
         "args": [0.1, 4, None, 0.25],
         "rates": run(lambda o: sched.LinearLR(o, start_factor=0.25, total_iters=4), 7)},
    ]


def main():
    def layer_file(description, cases):
        return {"description": description, "generator": GENERATOR, "cases": cases}

    write(LAYERS_DIR, "batch-norm.json",
          layer_file("nn.BatchNorm1d / nn.BatchNorm2d, train and eval", batch_norm_cases()))
    write(LAYERS_DIR, "linear.json", layer_file("nn.Linear", linear_cases()))
    write(LAYERS_DIR, "conv2d.json", layer_file("nn.Conv2d", conv2d_cases()))
    write(LAYERS_DIR, "dropout.json", layer_file("nn.Dropout in eval mode", dropout_cases()))
    write(LAYERS_DIR, "losses.json", layer_file("F.cross_entropy, F.mse_loss", loss_cases()))
    write(LAYERS_DIR, "state-names.json",
          layer_file("nn.Module.state_dict() names", state_name_cases()))
    write(OPTIMIZERS_DIR, "torch-optimizers.json", optimizer_fixture())

    runpy.run_path(os.path.join(ROOT, "scripts", "book-optimizer-paths.py"), run_name="__main__")


if __name__ == "__main__":
    main()
