#!/usr/bin/env python3
"""Writes state dicts saved by PyTorch, for `importStateDict` and `scratchnet import` to read back.

Run from the repository root:
  /usr/bin/python3 scripts/make-torch-import-fixture.py

Two networks, trained a few SGD steps in PyTorch so that every tensor (batch norm's running
statistics and its int64 `num_batches_tracked` too) holds values of its own:
  sequential.safetensors      nn.Sequential(conv, batch norm, ReLU, max pool, dropout, flatten,
                              linear, ReLU, linear): children named "0", "1", …, as scratchnet's
                              `sequential` architecture names them;
  simple-convnet.safetensors  the book's SimpleConvNet as a PyTorch module (conv1, fc1, fc2).
Both are written as PyTorch's `safetensors.torch.save_file` writes them (8-byte little-endian
header length, a JSON header, raw little-endian tensors), by hand, so only torch and numpy are
needed. expected.json holds the scratchnet config for each, a fixed input batch and PyTorch's
logits for it in evaluation mode.
"""

import json
import struct
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = Path("packages/serialization/src/fixtures/torch-import")
DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def save_file(state, path):
    header, chunks, offset = {}, [], 0
    for name, tensor in state.items():
        data = tensor.detach().contiguous().numpy().astype(tensor.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(chunks))


class SimpleConvNet(nn.Module):
    """The book's SimpleConvNet with scratchnet's (PyTorch's) layer names, small."""

    def __init__(self, filters=6, hidden=20):
        super().__init__()
        self.conv1 = nn.Conv2d(1, filters, 5)
        self.fc1 = nn.Linear(filters * 12 * 12, hidden)
        self.fc2 = nn.Linear(hidden, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2, 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


def train_a_little(model, generator):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    model.train()
    for _ in range(3):
        x = torch.rand(8, 1, 28, 28, generator=generator)
        labels = torch.randint(0, 10, (8,), generator=generator)
        optimizer.zero_grad()
        F.cross_entropy(model(x), labels).backward()
        optimizer.step()
    model.eval()


def tensor_json(t):
    return {"shape": list(t.shape), "data": [float(f"{v:.9g}") for v in t.double().flatten().tolist()]}


def main():
    torch.manual_seed(1)
    generator = torch.Generator().manual_seed(2)
    sequential = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Dropout(0.25),
        nn.Flatten(),
        nn.Linear(4 * 14 * 14, 16),
        nn.ReLU(),
        nn.Linear(16, 10),
    )
    simple = SimpleConvNet()
    x = torch.rand(3, 1, 28, 28, generator=generator)
    configs = {
        "sequential": {
            "architecture": "sequential",
            "inputShape": [1, 28, 28],
            "layers": [
                {"type": "conv2d", "outChannels": 4, "kernelSize": 3, "padding": 1},
                {"type": "batchNorm"},
                {"type": "relu"},
                {"type": "maxPool2d", "kernelSize": 2},
                {"type": "dropout", "p": 0.25},
                {"type": "flatten"},
                {"type": "linear", "outFeatures": 16},
                {"type": "relu"},
                {"type": "linear", "outFeatures": 10},
            ],
        },
        "simple-convnet": {"architecture": "simple-convnet", "filterNum": 6, "hiddenSize": 20},
    }
    OUT.mkdir(parents=True, exist_ok=True)
    expected = {"torch": torch.__version__, "input": tensor_json(x), "models": {}}
    for name, model in [("sequential", sequential), ("simple-convnet", simple)]:
        train_a_little(model, generator)
        save_file(model.state_dict(), OUT / f"{name}.safetensors")
        with torch.no_grad():
            logits = model(x)
        expected["models"][name] = {"config": configs[name], "logits": tensor_json(logits)}
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print(f"wrote {OUT} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
