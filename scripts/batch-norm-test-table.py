#!/usr/bin/env python3
"""The first epochs of ch06/batch_norm_test.py as a Markdown table, scratchnet beside the book.

Each input is the printed output of one run ("============== i/16 ==============" then
"epoch:N | without - with" lines): the first from `scratchnet book ch06/batch-norm-test`, the
others from the book's own script (scripts/run-book-script.py, one per seed). For every weight
scale the table gives the training accuracy with and without batch norm at epochs 0 … E-1;
the book's runs as the range over its seeds.

  /usr/bin/python3 scripts/batch-norm-test-table.py --epochs 3 ours.txt book-seed1.txt …
"""

import argparse
import re

import numpy as np


def read_run(path):
    """[scale index][epoch] → (without, with)."""
    runs = []
    for line in open(path, encoding="utf-8"):
        if line.startswith("=============="):
            runs.append([])
        m = re.match(r"epoch:(\d+) \| (\S+) - (\S+)", line)
        if m and runs:
            runs[-1].append((float(m.group(2)), float(m.group(3))))
    return runs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("ours")
    parser.add_argument("book", nargs="+")
    args = parser.parse_args()
    ours = read_run(args.ours)
    books = [read_run(p) for p in args.book]
    scales = np.logspace(0, -4, num=len(ours))

    def cell(values):
        lo, hi = min(values), max(values)
        return f"{lo:.3f}" if lo == hi else f"{lo:.3f}–{hi:.3f}"

    epochs = range(args.epochs)
    head = ["W scale"] + [f"epoch {e}: scratchnet" for e in epochs]
    head += [f"epoch {e}: book ({len(books)} seeds)" for e in epochs]
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for i, scale in enumerate(scales):
        row = [f"{scale:.3g}"]
        row += [f"{ours[i][e][1]:.3f} / {ours[i][e][0]:.3f}" for e in epochs]
        row += [
            f"{cell([b[i][e][1] for b in books])} / {cell([b[i][e][0] for b in books])}"
            for e in epochs
        ]
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
