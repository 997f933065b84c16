#!/usr/bin/env python3
"""Loads a scratchnet SimpleConvNet model file into the equivalent PyTorch module.

Only torch, numpy and json: the safetensors file is read by hand (8-byte little-endian header
length, a JSON header, then the raw little-endian tensors), which shows the format needs no
special library. The network's hyperparameters come from the file's `scratchnet.config`
metadata; the state dict names and layouts are PyTorch's, so `load_state_dict(strict=True)` takes
them as they are. Writes logits.json for the batch in input.json.

    /usr/bin/python3 scripts/torch-load-scratchnet.py packages/serialization/src/fixtures/interop
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I32": np.int32, "I64": np.int64}


def read_safetensors(path):
    raw = Path(path).read_bytes()
    (header_len,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + header_len])
    metadata = header.pop("__metadata__", {})
    body = raw[8 + header_len :]
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        array = np.frombuffer(body[begin:end], dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<"))
        tensors[name] = torch.from_numpy(array.reshape(info["shape"]).astype(np.float32))
    return tensors, metadata


class SimpleConvNet(nn.Module):
    """The book's SimpleConvNet, with scratchnet's (PyTorch's) layer names."""

    def __init__(self, inputDim, filterNum, filterSize, pad, stride, hiddenSize, outputSize, **_):
        super().__init__()
        channels, height, _width = inputDim
        self.conv1 = nn.Conv2d(channels, filterNum, filterSize, stride=stride, padding=pad)
        conv_out = (height + 2 * pad - filterSize) // stride + 1
        self.fc1 = nn.Linear(filterNum * (conv_out // 2) ** 2, hiddenSize)
        self.fc2 = nn.Linear(hiddenSize, outputSize)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2, 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


def main(directory):
    directory = Path(directory)
    tensors, metadata = read_safetensors(directory / "simple-convnet.safetensors")
    config = json.loads(metadata["scratchnet.config"])
    assert config["architecture"] == "simple-convnet", config
    model = SimpleConvNet(**config)
    model.load_state_dict(tensors, strict=True)
    model.eval()
    batch = json.loads((directory / "input.json").read_text())
    x = torch.tensor(batch["data"], dtype=torch.float32).reshape(batch["shape"])
    with torch.no_grad():
        logits = model(x).double()
    out = {"torch": torch.__version__, "shape": list(logits.shape), "data": [float(f"{v:.9g}") for v in logits.flatten().tolist()]}
    (directory / "logits.json").write_text(json.dumps(out) + "\n")
    print(f"wrote {directory / 'logits.json'} (torch {torch.__version__})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "packages/serialization/src/fixtures/interop")
