#!/usr/bin/python3
"""Checks ONNX files written by `scratchnet export --onnx` with the reference checker.

Usage: python3 scripts/check-onnx.py MODEL.onnx [MODEL.onnx ...]

Needs Debian's python3-onnx (`apt-get install -y python3-onnx`). For each file it runs
onnx.checker.check_model with full_check=True (which also runs ONNX's shape inference) and prints
the opset, the inputs and outputs with their shapes and the operators used. Exits non-zero if any
file fails. The test suite does not need this script; it is the second opinion beside
onnxruntime-node.
"""

import math
import sys
from collections import Counter

import onnx


def describe(value_info):
    dims = [d.dim_param or d.dim_value for d in value_info.type.tensor_type.shape.dim]
    return f"{value_info.name} [{', '.join(str(d) for d in dims)}]"


def check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    opsets = ", ".join(f"{o.domain or 'ai.onnx'} {o.version}" for o in model.opset_import)
    ops = Counter(node.op_type for node in model.graph.node)
    params = sum(math.prod(t.dims) for t in model.graph.initializer)
    print(f"{path}: check_model OK (full_check)")
    print(f"  ir_version {model.ir_version}, opset {opsets}, producer {model.producer_name}")
    print(f"  inputs:  {', '.join(describe(v) for v in model.graph.input)}")
    print(f"  outputs: {', '.join(describe(v) for v in model.graph.output)}")
    print(f"  {len(model.graph.node)} nodes: {', '.join(f'{op}×{n}' for op, n in ops.items())}")
    print(f"  {len(model.graph.initializer)} initializers, {params:,} values")


def main(paths):
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    print(f"onnx {onnx.__version__}")
    failed = 0
    for path in paths:
        try:
            check(path)
        except Exception as error:  # the checker raises ValidationError and others
            failed += 1
            print(f"{path}: FAILED: {error}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
