"""PyTorch peer of `scratchnet train` for the memory bench: one epoch of the same network on the
same MNIST IDX files, as the CLI runs it (Adam lr 0.001, batch 100, shuffled; then the accuracy
on 10,000 training images and on the test set), on 2 threads. Prints one JSON line; the driver
(memory.mjs) reads this process's peak RSS from the kernel when it ends.

    python3 apps/trainer/bench/torch_train_epoch.py simple-convnet DATA_DIR
"""
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "2")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../../packages/backend-wasm/bench"))
from torch_bench import DeepConvNet, SimpleConvNet  # noqa: E402

torch.set_num_threads(2)
torch.manual_seed(1)


def idx(path):
    with open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, kind):
    images = idx(os.path.join(data_dir, f"{kind}-images-idx3-ubyte"))
    labels = idx(os.path.join(data_dir, f"{kind}-labels-idx1-ubyte"))
    # Kept as bytes and scaled per batch, as scratchnet's ArrayDataset does.
    x = torch.from_numpy(images.copy()).reshape(-1, 1, 28, 28)
    return x, torch.from_numpy(labels.astype(np.int64))


def scaled(images):
    return images.float().div_(255)


def accuracy(net, x, t):
    net.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 100):
            correct += (net(scaled(x[i : i + 100])).argmax(1) == t[i : i + 100]).sum().item()
    net.train()
    return correct / len(x)


def main():
    model, data_dir = sys.argv[1], sys.argv[2]
    net = SimpleConvNet() if model == "simple-convnet" else DeepConvNet()
    x_train, t_train = load(data_dir, "train")
    x_test, t_test = load(data_dir, "t10k")
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001)
    start = time.perf_counter()
    order = torch.randperm(len(x_train))
    net.train()
    for i in range(0, len(x_train), 100):
        batch = order[i : i + 100]
        optimizer.zero_grad()
        F.cross_entropy(net(scaled(x_train[batch])), t_train[batch]).backward()
        optimizer.step()
    train_acc = accuracy(net, x_train[:10_000], t_train[:10_000])
    test_acc = accuracy(net, x_test, t_test)
    print(json.dumps({
        "model": model,
        "seconds": round(time.perf_counter() - start, 1),
        "trainAccuracy": train_acc,
        "testAccuracy": test_acc,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
