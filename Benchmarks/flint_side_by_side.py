"""Issue 14's three rows, this project against FLINT (python-flint), in one run on the same inputs.

    swift build -c release
    python3 -m venv /tmp/fv && /tmp/fv/bin/pip install python-flint
    /tmp/fv/bin/python Benchmarks/flint_side_by_side.py [--quick] [--products] [--one-core]

--products runs rows 4 and 5 only; --one-core pins this process, and so every program it starts,
to one core (the project then runs its two-core splits on that core: a per-core comparison).

Rows (each prints both times and their ratio, project / FLINT; > 1 means FLINT is faster):
1. unroll y_8 of a depth-2 2RNN, n = d = 2 (`model random --family 2rnn --depth 2`,
   `unroll --length 8 --stats`) against fmpq_mpoly running the same recurrence;
2. brute-force Start-End rank of a depth-2 RAC at T = 8 (`rank --method unfolding`) against
   fmpq_mpoly expansion plus fmpz_mat rank of the same unfolding;
3. certified rank of a 200 x 200 integer matrix of rank 150 (`expressivity-bench matrix FILE`)
   against fmpz_mat.rank on the same file;
4. a sparse product (Monagan and Pearce's benchmark, smaller): f = (1 + x + y + 2z^2 + 3t^3 + 5u^5)^k
   times g = (1 + u + t + 2z^2 + 3y^3 + 5x^5)^k, k = 10 (3003 terms each), the packed product
   (`expressivity-bench product FILE_A FILE_B`) against fmpz_mpoly multiplication, inputs
   expanded once by FLINT and written to files, only the product timed on both sides;
5. a product without structure: two random polynomials of 2000 terms in 12 variables (4 of them
   per term, exponents 1 to 6, 41-bit coefficients, seed 7), timed the same way.
The FLINT side reads the project's model file and implements the layer terms of
Docs/model-format.md that these families use (bilinear, hadamard; no activations). Each row
also checks that both sides agree (term count, rank), so a ratio is never of different work.
"""
import json
import math
import re
import os
import random
import subprocess
import sys
import tempfile
import time

import flint

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, ".build", "release", "expressivity")
BENCH = os.path.join(ROOT, ".build", "release", "expressivity-bench")
QUICK = "--quick" in sys.argv
PRODUCTS_ONLY = "--products" in sys.argv
if "--one-core" in sys.argv:
    os.sched_setaffinity(0, {max(os.sched_getaffinity(0))})


def timed_cli(args):
    t = time.time()
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return time.time() - t, out


def flint_output(model, T):
    """y_T of the model as an fmpq_mpoly in x_{t,k} (variable (t-1) d + k), by the recurrence."""
    d = model["inputDim"]
    ctx = flint.fmpq_mpoly_ctx.get(("x", T * d), "lex")
    gens = ctx.gens()
    zero, one = ctx.from_dict({}), ctx.from_dict({(0,) * (T * d): 1})
    states = [[one * flint.fmpq(v) for v in layer.get("initialState", [0] * layer["hidden"])] for layer in model["layers"]]
    for t in range(T):
        u = [gens[t * d + k] for k in range(d)]
        for l, layer in enumerate(model["layers"]):
            n, old = layer["hidden"], states[l]
            for key in ("activation", "outputActivation", "recurrent", "input", "bias", "cp"):
                if key in layer:
                    raise SystemExit(f"flint side: layer term '{key}' not implemented here")
            new = [zero] * n
            if "bilinear" in layer:
                a = layer["bilinear"]
                for i in range(n):
                    acc = zero
                    for j in range(n):
                        inner = zero
                        for k in range(len(u)):
                            if a[i][j][k] != 0:
                                inner += u[k] * flint.fmpq(a[i][j][k])
                        acc += inner * old[j]
                    new[i] += acc
            if "hadamard" in layer:
                h = layer["hadamard"]
                for i in range(n):
                    s = zero
                    for j in range(n):
                        if h["state"][i][j] != 0:
                            s += old[j] * flint.fmpq(h["state"][i][j])
                    v = zero
                    for k in range(len(u)):
                        if h["input"][i][k] != 0:
                            v += u[k] * flint.fmpq(h["input"][i][k])
                    new[i] += s * v
            states[l] = new
            u = new
    c = model["readout"][0]
    y = zero
    for i, w in enumerate(c):
        y += states[-1][i] * flint.fmpq(w)
    return y


def unfolding_rank(y, T, d, cut):
    """Rank of the coefficient matrix of y with rows the monomials in x_1..x_cut and columns
    those in the later steps, over Z after clearing denominators (fmpz_mat.rank)."""
    rows, cols, entries = {}, {}, {}
    for exps, coeff in zip(y.monoms(), y.coeffs()):
        r, c = tuple(exps[: cut * d]), tuple(exps[cut * d:])
        i = rows.setdefault(r, len(rows))
        j = cols.setdefault(c, len(cols))
        entries[(i, j)] = coeff
    den = 1
    for q in entries.values():
        den = math.lcm(den, int(q.q))
    m = flint.fmpz_mat(len(rows), len(cols))
    for (i, j), q in entries.items():
        m[i, j] = int(q.p) * (den // int(q.q))
    return m.rank(), len(rows), len(cols)


def row(label, ours, theirs, agree):
    ratio = ours / theirs if theirs > 0 else float("inf")
    print(f"{label}: project {ours:.2f} s, FLINT {theirs:.2f} s, ratio {ratio:.2f}; {agree}")
    sys.stdout.flush()


def product_row(tmp, label, f, g):
    """Writes f and g as lines "coefficient e_1 ... e_n", times `expressivity-bench product` on
    them against FLINT's f * g (best of 3), and checks that both have the same term count."""
    files = []
    for name, p in (("f", f), ("g", g)):
        path = os.path.join(tmp, label.replace(" ", "-") + "-" + name + ".txt")
        with open(path, "w") as out:
            for exps, c in zip(p.monoms(), p.coeffs()):
                out.write(str(int(c)) + " " + " ".join(str(e) for e in exps) + "\n")
        files.append(path)
    out = subprocess.run([BENCH, "product"] + files, capture_output=True, text=True, check=True).stdout
    ours = float(out.split(",")[-1].split("s")[0])
    ours_terms = int(re.search(r"-> (\d+) terms", out).group(1))
    runs = []
    for _ in range(3):
        t0 = time.time()
        h = f * g
        runs.append(time.time() - t0)
    if ours_terms != len(h):
        raise SystemExit(f"{label}: the project has {ours_terms} terms, FLINT {len(h)}: not the same work")
    row(f"{label}, ({len(f)} terms) x ({len(g)} terms)", ours, min(runs), f"both {len(h)} terms")


def main():
    if not os.path.exists(CLI):
        raise SystemExit("build first: swift build -c release")
    print(f"python-flint {flint.__version__}; project {CLI}")
    tmp = tempfile.mkdtemp()
    T = 6 if QUICK else 8
    if not PRODUCTS_ONLY:
        expansion_and_rank_rows(tmp, T)
    product_rows(tmp)


def expansion_and_rank_rows(tmp, T):
    # 1. unroll y_T of a depth-2 2RNN
    path = os.path.join(tmp, "2rnn.json")
    subprocess.run([CLI, "model", "random", "--family", "2rnn", "--depth", "2", "--hidden", "2", "--input-dim", "2",
                    "--output", path], check=True, capture_output=True)
    ours, stats = timed_cli([CLI, "unroll", "--model", path, "--length", str(T), "--stats"])
    model = json.load(open(path))
    t = time.time()
    y = flint_output(model, T)
    theirs = time.time() - t
    terms = len(y)
    ours_terms = int(re.search(r"(\d+) terms", stats).group(1))
    if ours_terms != terms:
        raise SystemExit(f"unroll: the project has {ours_terms} terms, FLINT {terms}: not the same work")
    row(f"unroll y_{T}, 2rnn depth 2, n = d = 2", ours, theirs, f"both {terms} terms")

    # 2. brute-force Start-End rank of a depth-2 RAC
    path = os.path.join(tmp, "rac.json")
    subprocess.run([CLI, "model", "random", "--family", "rac", "--depth", "2", "--hidden", "2", "--input-dim", "2",
                    "--output", path], check=True, capture_output=True)
    ours, out = timed_cli([CLI, "rank", "--model", path, "--length", str(T), "--method", "unfolding", "--format", "csv"])
    model = json.load(open(path))
    t = time.time()
    y = flint_output(model, T)
    rank, r, c = unfolding_rank(y, T, model["inputDim"], T // 2)
    theirs = time.time() - t
    cells = [line.split(",") for line in out.splitlines() if line and line[0].isdigit()]
    ours_rank = int(cells[-1][5])   # columns: depth, length, partition, output, status, rank, ...
    if ours_rank != rank:
        raise SystemExit(f"unfolding rank: the project has {ours_rank}, FLINT {rank}: not the same work")
    row(f"Start-End rank (unfolding), rac depth 2, T = {T}", ours, theirs, f"both rank {rank} ({r} x {c})")

    # 3. certified rank of a 200 x 200 integer matrix of rank 150
    rng = random.Random(14)
    n, k = (100, 75) if QUICK else (200, 150)
    left = flint.fmpz_mat([[rng.randint(-10, 10) for _ in range(k)] for _ in range(n)])
    right = flint.fmpz_mat([[rng.randint(-10, 10) for _ in range(n)] for _ in range(k)])
    a = left * right
    path = os.path.join(tmp, "matrix.txt")
    with open(path, "w") as f:
        for i in range(n):
            f.write(" ".join(str(a[i, j]) for j in range(n)) + "\n")
    out = subprocess.run([BENCH, "matrix", path], capture_output=True, text=True, check=True).stdout
    ours = float(out.split(",")[-1].split("s")[0])
    ours_rank = int(re.search(r"certified rank (\d+)", out).group(1))
    runs = []
    for _ in range(3):
        t0 = time.time()
        r = a.rank()
        runs.append(time.time() - t0)
    if ours_rank != r:
        raise SystemExit(f"matrix rank: the project has {ours_rank}, FLINT {r}: not the same work")
    row(f"certified rank, {n} x {n} of rank {k}", ours, min(runs), f"both rank {r}")



def product_rows(tmp):
    # 4. a sparse product
    k = 6 if QUICK else 10
    ctx = flint.fmpz_mpoly_ctx.get(("v", 5), "deglex")
    x, y, z, t, u = ctx.gens()
    f = (1 + x + y + 2 * z**2 + 3 * t**3 + 5 * u**5) ** k
    g = (1 + u + t + 2 * z**2 + 3 * y**3 + 5 * x**5) ** k
    product_row(tmp, "sparse product", f, g)

    # 5. a product without structure
    rng = random.Random(7)
    nv = 12
    ctx = flint.fmpz_mpoly_ctx.get(("v", nv), "deglex")

    def random_poly(terms):
        d = {}
        for _ in range(terms):
            e = [0] * nv
            for v in rng.sample(range(nv), 4):
                e[v] = rng.randint(1, 6)
            d[tuple(e)] = rng.randint(-2**40, 2**40)
        return ctx.from_dict(d)

    product_row(tmp, "random sparse product", random_poly(2000), random_poly(2000))


if __name__ == "__main__":
    main()
