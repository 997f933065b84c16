"""PyTorch peer of bench/bench.ts: the same models and cases, printed as JSON rows.

Run by bench.ts as `python3 bench/torch_bench.py CASE...`; threads 2 (intra-op), OpenBLAS 1.
"""
import json
import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "2")

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(2)
torch.manual_seed(0)


class SimpleConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 30, 5)
        self.fc1 = nn.Linear(30 * 12 * 12, 100)
        self.fc2 = nn.Linear(100, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


class DeepConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        spec = [(1, 16, 1), (16, 16, 1), (16, 32, 1), (32, 32, 2), (32, 64, 1), (64, 64, 1)]
        self.convs = nn.ModuleList(nn.Conv2d(i, o, 3, padding=p) for i, o, p in spec)
        self.fc1 = nn.Linear(64 * 4 * 4, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        for i, conv in enumerate(self.convs):
            x = F.relu(conv(x))
            if i % 2 == 1:
                x = F.max_pool2d(x, 2)
        x = F.dropout(F.relu(self.fc1(x.flatten(1))), 0.5, self.training)
        return F.dropout(self.fc2(x), 0.5, self.training)


def median_ms(fn, warmup=3, runs=15, min_seconds=0.0):
    # At least `warmup` calls and BENCH_WARMUP_SECONDS of them, as the JavaScript side does.
    warmup_seconds = float(os.environ.get("BENCH_WARMUP_SECONDS", "2"))
    warm_start = time.perf_counter()
    done = 0
    while done < warmup or time.perf_counter() - warm_start < warmup_seconds:
        fn()
        done += 1
    times = []
    start = time.perf_counter()
    while len(times) < runs or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def model_case(model_cls, train, runs):
    model = model_cls()
    x = torch.randn(100, 1, 28, 28)
    t = torch.arange(100) % 10
    if not train:
        model.eval()

        def infer():
            with torch.no_grad():
                model(x)

        return median_ms(infer, runs=runs)
    opt = torch.optim.Adam(model.parameters(), lr=0.001)

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), t)
        loss.backward()
        opt.step()
        loss.item()

    return median_ms(step, runs=runs)


def gemm_case(m, k, n, trans_b):
    a = torch.randn(m, k)
    b = torch.randn(n, k) if trans_b else torch.randn(k, n)
    return median_ms(lambda: a @ (b.t() if trans_b else b), runs=10, min_seconds=0.5)


GEMMS = {
    "gemm-256": (256, 256, 256, False),
    "gemm-1024": (1024, 1024, 1024, False),
    "gemm-conv-simple": (57600, 25, 30, True),
    "gemm-conv-deep": (78400, 144, 16, True),
}

def main():
    runs = int(os.environ.get("BENCH_RUNS", "15"))
    for case in sys.argv[1:]:
        if case in GEMMS:
            ms = gemm_case(*GEMMS[case])
        else:
            name, mode = case.rsplit("-", 1)
            cls = SimpleConvNet if name == "simple" else DeepConvNet
            ms = model_case(cls, mode == "train", runs)
        print(json.dumps({"case": case, "impl": "pytorch", "threads": 2, "medianMs": ms}), flush=True)


if __name__ == "__main__":
    main()
