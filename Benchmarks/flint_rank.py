"""FLINT's exact rank on matrices like expressivity-bench's, for Docs/performance.md.

    pip install python-flint && python3 Benchmarks/flint_rank.py
"""
import random
import time

import flint

random.seed(3)
for n in [100, 200, 400, 800, 1000]:
    a = flint.fmpz_mat([[random.randint(-100, 100) for _ in range(n)] for _ in range(n)])
    t = time.time()
    r = a.rank()
    print(f"flint rank, random {n}x{n} in [-100,100]: rank {r}, {time.time() - t:.4f} s")
for n, k in [(100, 75), (200, 150)]:
    left = flint.fmpz_mat([[random.randint(-10, 10) for _ in range(k)] for _ in range(n)])
    right = flint.fmpz_mat([[random.randint(-10, 10) for _ in range(n)] for _ in range(k)])
    a = left * right
    t = time.time()
    r = a.rank()
    print(f"flint rank, {n}x{n} of rank {k}: rank {r}, {time.time() - t:.4f} s")
