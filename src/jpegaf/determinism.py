"""Seeds and cache keys: numbers derived from other numbers and records, the same on every machine
and in every process (no hash(), no global random state), so that a result can be recomputed and
a cached one found again."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np


def derived_seed(*parts: int, bits: int = 31) -> int:
    """A seed of ``bits`` bits (31 or 32) derived from integers, e.g. (run seed, stream, index):
    NumPy's SeedSequence, so nearby inputs give unrelated seeds."""
    if bits not in (31, 32):
        raise ValueError(f"bits must be 31 or 32, got {bits}")
    state = int(np.random.SeedSequence([int(p) for p in parts]).generate_state(1, dtype=np.uint32)[0])
    return state >> (32 - bits)


def stable_hash(record: Any) -> str:
    """SHA-256 (hex) of a JSON-able record, keys sorted: a cache key that does not depend on the
    order a dict was built in, the process, or the machine."""
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
