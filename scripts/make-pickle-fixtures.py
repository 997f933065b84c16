#!/usr/bin/python3
"""Writes packages/serialization/fixtures/pickles.json, so the unpickler's tests need no Python.

- "bookParams": for each array of the book's parameter files in ../shared/book-params (beside
  the repository; read only, never copied), numpy's own view of it: dtype, shape, Fortran flag,
  sum, and values at a few C-order positions.
- "generated": small pickles made here (protocols 2, 3, 4 and 5; C and Fortran order; several
  dtypes), base64-encoded, with their expected contents.

Run from the repository root: /usr/bin/python3 scripts/make-pickle-fixtures.py
Needs numpy (Debian: apt-get install python3-numpy).
"""
import base64
import json
import math
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BOOK_PARAMS = ROOT.parent / 'shared' / 'book-params'
OUT = ROOT / 'packages' / 'serialization' / 'fixtures' / 'pickles.json'


def c_order_values(array):
    return np.ascontiguousarray(array).reshape(-1)


def sample_positions(size):
    """A few flat C-order positions spread over the array, the first and last included."""
    return sorted({0, 1, size // 3, size // 2, (2 * size) // 3, size - 1} & set(range(size)))


def to_json_number(value):
    value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def describe(array):
    flat = c_order_values(array)
    positions = sample_positions(flat.size)
    return {
        'dtype': str(array.dtype),
        'shape': list(array.shape),
        'fortranOrder': bool(array.flags.f_contiguous and not array.flags.c_contiguous),
        'sum': math.fsum(flat.astype(np.float64).tolist()),
        'samples': [[p, to_json_number(flat[p])] for p in positions],
    }


def book_params():
    if not BOOK_PARAMS.is_dir():
        sys.exit(f'{BOOK_PARAMS} is missing: the book parameter files are needed')
    result = {}
    for path in sorted(BOOK_PARAMS.glob('*.pkl')):
        with open(path, 'rb') as f:
            params = pickle.load(f)
        result[path.name] = {key: describe(params[key]) for key in params}
    return result


def generated():
    rng = np.random.default_rng(20240601)
    f64 = rng.standard_normal((2, 3))
    f32_fortran = np.asfortranarray(rng.standard_normal((3, 4, 2)).astype(np.float32))
    i32_fortran = np.asfortranarray(np.arange(6, dtype=np.int32).reshape(2, 3) - 3)
    cases = [
        ('protocol 2: _codecs.encode bytes, C and Fortran order', 2,
         {'weights': f64, 'fortran': i32_fortran, 'empty': np.zeros((0, 3))}),
        ('protocol 3: float32 Fortran order in 3-D', 3, {'W': f32_fortran, 'b': np.float32([1.5, -2])}),
        ('protocol 4: FRAME, STACK_GLOBAL, MEMOIZE; integer and bool dtypes', 4,
         {'u8': np.arange(250, 256, dtype=np.uint8).reshape(2, 3),
          'i64': np.array([-(2 ** 40), 7, 2 ** 50], dtype=np.int64),
          'bool': np.array([[True, False], [False, True]]),
          'half': np.array([1, 0.5, -2, 65504], dtype=np.float16)}),
        ('protocol 5: in-band buffers through _frombuffer', 5,
         {'x': f64.astype(np.float32), 'f': np.asfortranarray(np.arange(6.0).reshape(3, 2))}),
    ]
    out = []
    for title, protocol, params in cases:
        data = pickle.dumps(params, protocol=protocol)
        out.append({
            'title': title,
            'protocol': protocol,
            'base64': base64.b64encode(data).decode('ascii'),
            'arrays': {
                key: {**describe(value), 'values': [to_json_number(v) for v in c_order_values(value)]}
                for key, value in params.items()
            },
        })
    return out


def main():
    fixture = {
        'comment': 'Made by scripts/make-pickle-fixtures.py with numpy ' + np.__version__ + '; do not edit.',
        'bookParams': book_params(),
        'generated': generated(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, indent=1) + '\n')
    print(f'wrote {OUT.relative_to(ROOT)}')


if __name__ == '__main__':
    main()
