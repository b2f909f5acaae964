"""Depth-3 RAC, n = d = 2: the observable pass of the lifted method factorised through the layers,
modulo p = 2^61 - 1 (a prototype for issue 10, written outside the Swift package by a helper of
the seventh session; its ranks are lower bounds on the rational ranks, nothing here is certified).
Docs/performance.md ("seventh session") quotes its figures. Needs numpy and python-flint:

    python3 -m venv /tmp/pv && /tmp/pv/bin/pip install numpy python-flint
    /tmp/pv/bin/python Benchmarks/prototypes/lifted_factored_rac.py factored T [SEED]   # rank at the middle cut, time, dims
    /tmp/pv/bin/python Benchmarks/prototypes/lifted_factored_rac.py check T [SEED]      # against random-point evaluation of y

The network is its own seeded random RAC (weights in [-1000, 1000]), not `expressivity model
random`; generic ranks agree (T = 12: 304, T = 13: 460, as the tool prints for its models)."""
import random, time, resource, sys
import numpy as np
import flint

P = (1 << 61) - 1  # Mersenne prime, 61 bits


def make_net(seed, rng_w=1000):
    R = random.Random(seed)
    m = lambda: [[R.randint(-rng_w, rng_w) for _ in range(2)] for _ in range(2)]
    def nz():
        while True:
            v = [R.randint(-rng_w, rng_w) for _ in range(2)]
            if v != [0, 0]:
                return v
    net = dict(W1=m(), W2=m(), W3=m(), U1=m(), U2=m(), U3=m(), c=nz(),
               h10=nz(), h20=nz(), h30=nz())
    return net


# ---------- forward evaluation (Python ints mod P, vectorised over samples) ----------
def lin(M, v):  # v: list of 2 object arrays
    return [(M[0][0] * v[0] + M[0][1] * v[1]) % P, (M[1][0] * v[0] + M[1][1] * v[1]) % P]


def step(net, z, x):
    h1, h2, h3 = z
    a = lin(net['W1'], h1); b = lin(net['U1'], x)
    h1 = [(a[0] * b[0]) % P, (a[1] * b[1]) % P]
    a = lin(net['W2'], h2); b = lin(net['U2'], h1)
    h2 = [(a[0] * b[0]) % P, (a[1] * b[1]) % P]
    a = lin(net['W3'], h3); b = lin(net['U3'], h2)
    h3 = [(a[0] * b[0]) % P, (a[1] * b[1]) % P]
    return (h1, h2, h3)


def init_state(net, N):
    o = np.ones(N, dtype=object)
    return tuple([o * (net[k][0] % P), o * (net[k][1] % P)] for k in ('h10', 'h20', 'h30'))


def run(net, z, xs):  # xs: list over steps of [x0 array, x1 array]
    for x in xs:
        z = step(net, z, x)
    return z


def rand_inputs(R, steps, N):
    return [[np.array([R.randrange(P) for _ in range(N)], dtype=object) for _ in range(2)]
            for _ in range(steps)]


# ---------- mod-p linear algebra via flint ----------
def to_nmod(A):
    A = np.asarray(A, dtype=object)
    r, c = A.shape
    if r == 0 or c == 0:
        return flint.nmod_mat(max(r, 0), max(c, 0), P)
    return flint.nmod_mat([[int(v) for v in row] for row in A], P)


def rank_mod(A):
    A = np.asarray(A, dtype=object)
    if A.size == 0:
        return 0
    return to_nmod(A).rank()


def row_basis(A):
    """rows of a basis (rref) of the row space of A (object array) mod P"""
    M = to_nmod(A)
    Rm, rk = M.rref()
    out = np.empty((rk, A.shape[1]), dtype=object)
    for i in range(rk):
        for j in range(A.shape[1]):
            out[i, j] = int(Rm[i, j])
    return out


# ---------- 2-variable homogeneous polynomial helpers ----------
def powmat(W, m):
    """rows b=0..m: coeffs (index = exponent of v0) of (Wv)_0^b (Wv)_1^(m-b)"""
    f0 = [W[0][1] % P, W[0][0] % P]  # (Wv)_0 = W00 v0 + W01 v1 -> [coef v1, coef v0]
    f1 = [W[1][1] % P, W[1][0] % P]
    def mul(p, q):
        r = [0] * (len(p) + len(q) - 1)
        for i, a in enumerate(p):
            for j, b in enumerate(q):
                r[i + j] = (r[i + j] + a * b) % P
        return r
    pw0 = [[1]]; pw1 = [[1]]
    for _ in range(m):
        pw0.append(mul(pw0[-1], f0)); pw1.append(mul(pw1[-1], f1))
    M = np.empty((m + 1, m + 1), dtype=object)
    for b in range(m + 1):
        M[b, :] = mul(pw0[b], pw1[m - b])
    return M


# ---------- factored backward observable pass ----------
def backward(net, J, verbose=False, stats=None):
    """Returns basis tensors O_j of shape (r, 2, j+1, D_j+1), j = number of future steps."""
    W1, W2, W3, U2, U3 = net['W1'], net['W2'], net['W3'], net['U2'], net['U3']
    Pt = np.empty((1, 2, 1, 1), dtype=object)
    Pt[0, 0, 0, 0] = net['c'][0] % P; Pt[0, 1, 0, 0] = net['c'][1] % P
    res = [Pt]
    for j in range(J):
        t0 = time.time()
        r, _, nb, na = Pt.shape  # nb=j+1, na=D+1
        # (a) h3 update: h3_i = (W3 h3')_i (U3 h2)_i  -> h2 degree +1
        B = np.zeros((r, 2, nb + 1, na), dtype=object)
        for i in range(2):
            A = Pt[:, i]
            Bi = np.zeros((r, nb + 1, na), dtype=object)
            Bi[:, 1:] += U3[i][0] * A
            Bi[:, :-1] += U3[i][1] * A
            Bi %= P
            for k in range(2):
                B[:, k] += W3[i][k] * Bi
        B %= P
        # (b) h2 update: h2_b = (W2 h2')_b (U2 h1)_b  -> h1 degree + m
        m = nb  # new h2 degree = j+1
        M2 = powmat(W2, m); V = powmat(U2, m)
        na2 = na + m
        Q = np.zeros((r, 2, m + 1, na2), dtype=object)
        for b in range(m + 1):
            for cc in range(m + 1):
                if V[b, cc]:
                    Q[:, :, b, cc:cc + na] += V[b, cc] * B[:, :, b, :]
            Q[:, :, b] %= P
        # mix h2 monomials: P2[..., b', a] = sum_b M2[b, b'] Q[..., b, a]
        P2 = np.tensordot(Q, M2, axes=([2], [0]))  # (r, 2, na2, m+1)
        P2 = np.moveaxis(P2, 3, 2) % P               # (r, 2, m+1, na2)
        # (c) h1 update (x-dependent): y^alpha selects h1-exponent alpha; graded pieces
        M1 = powmat(W1, na2 - 1)
        blocks = []; dims = []
        for a in range(na2):
            E = P2[:, :, :, a].reshape(r, 2 * (m + 1))
            S = row_basis(E)
            dims.append(S.shape[0])
            if S.shape[0]:
                # basis element s (x) (W1 h1)^alpha
                blk = (S[:, :, None] * M1[a][None, None, :]) % P
                blocks.append(blk.reshape(S.shape[0], 2, m + 1, na2))
        Pt = np.concatenate(blocks, axis=0)
        res.append(Pt)
        if stats is not None:
            stats.append(dict(j=j + 1, mon=2 * (m + 1) * na2, dimO=Pt.shape[0],
                              time=time.time() - t0, graded=dims))
        if verbose:
            print(f"  j={j+1}: |Mon|={2*(m+1)*na2} dimO={Pt.shape[0]} ({time.time()-t0:.2f}s)", flush=True)
    return res


def lift(z, j):
    """lift states (arrays of N) to Mon_j tensor (N, 2, j+1, D+1)"""
    h1, h2, h3 = z
    D = j * (j + 1) // 2
    N = len(h1[0])
    def mons(v, deg):
        p0 = [np.ones(N, dtype=object)]; p1 = [np.ones(N, dtype=object)]
        for _ in range(deg):
            p0.append((p0[-1] * v[0]) % P); p1.append((p1[-1] * v[1]) % P)
        return np.stack([(p0[a] * p1[deg - a]) % P for a in range(deg + 1)], axis=1)
    m2 = mons(h2, j); m1 = mons(h1, D)
    L = np.empty((N, 2, j + 1, D + 1), dtype=object)
    for i in range(2):
        L[:, i] = (h3[i][:, None, None] * ((m2[:, :, None] * m1[:, None, :]) % P)) % P
    return L


def lifted_rank(net, T, k=None, seed=1, verbose=False):
    if k is None:
        k = T // 2
    j = T - k
    st = []
    t0 = time.time()
    O = backward(net, j, verbose=verbose, stats=st)[j]
    tb = time.time() - t0
    r = O.shape[0]
    N = r + 10
    R = random.Random(seed)
    t1 = time.time()
    z = run(net, init_state(net, N), rand_inputs(R, k, N))
    L = lift(z, j).reshape(N, -1)
    Om = O.reshape(r, -1)
    E = (to_nmod(L) * to_nmod(Om).transpose())
    rk = E.rank()
    tr = time.time() - t1
    return rk, st, tb, tr


def sample_rank(net, T, k=None, N=None, seed=2):
    """brute force independent of lifting: rank of [y(past_i, future_j)] at random points"""
    if k is None:
        k = T // 2
    R = random.Random(seed)
    z = run(net, init_state(net, N), rand_inputs(R, k, N))
    cols = []
    for jj in range(N):
        xs = [[np.full(N, R.randrange(P), dtype=object), np.full(N, R.randrange(P), dtype=object)]
              for _ in range(T - k)]
        zz = run(net, z, xs)
        c = net['c']
        cols.append((c[0] * zz[2][0] + c[1] * zz[2][1]) % P)
    E = np.stack(cols, axis=1)
    return rank_mod(E)


def grid_rank(net, T, k=None):
    """exact: evaluate on unisolvent tensor grid x_s = (u_s, 1), u_s in 0..deg_s;
    E = V_past A V_future^T with invertible Kronecker-Vandermonde V's => rank E = rank A."""
    import itertools
    if k is None:
        k = T // 2
    deg = [(T - s + 1) * (T - s + 2) // 2 for s in range(1, T + 1)]
    past = list(itertools.product(*[range(deg[s] + 1) for s in range(k)]))
    fut = list(itertools.product(*[range(deg[s] + 1) for s in range(k, T)]))
    N = len(past)
    xs = [[np.array([p[s] for p in past], dtype=object), np.ones(N, dtype=object)] for s in range(k)]
    z = run(net, init_state(net, N), xs)
    cols = []
    for f in fut:
        xs = [[np.full(N, f[s], dtype=object), np.ones(N, dtype=object)] for s in range(T - k)]
        zz = run(net, z, xs)
        c = net['c']
        cols.append((c[0] * zz[2][0] + c[1] * zz[2][1]) % P)
    E = np.stack(cols, axis=1)
    return rank_mod(E), E.shape


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ---------- fully factored variant: basis kept as blocks (W1 h1)^alpha (x) S_alpha ----------
def backward_factored(net, J, stats=None):
    """Level j basis: list over alpha=0..D_j of object arrays S_alpha (s_alpha, 2, j+1);
    element = (W1 h1)^alpha * sum_{i,b} s[i,b] h3_i h2_0^b h2_1^(j-b). Never stores |Mon|-long rows."""
    W1, W2, W3, U2, U3 = net['W1'], net['W2'], net['W3'], net['U2'], net['U3']
    S0 = np.empty((1, 2, 1), dtype=object); S0[0, :, 0] = [net['c'][0] % P, net['c'][1] % P]
    blocks = [S0]; D = 0
    for j in range(J):
        t0 = time.time()
        m = j + 1
        # h3 update on the (h3,h2) factor only
        new = []
        for S in blocks:
            r = S.shape[0]
            B = np.zeros((r, 2, m + 1), dtype=object)
            for i in range(2):
                Bi = np.zeros((r, m + 1), dtype=object)
                Bi[:, 1:] += U3[i][0] * S[:, i]; Bi[:, :-1] += U3[i][1] * S[:, i]
                for k in range(2):
                    B[:, k] += W3[i][k] * Bi
            new.append(B % P)
        X = np.concatenate(new, axis=0)                       # (r, 2, m+1)
        owner = np.concatenate([np.full(b.shape[0], a) for a, b in enumerate(new)])
        # K[alpha, b, a'] = coeff of h1^a' in (W1 h1)^alpha (U2 h1)^b
        M1 = powmat(W1, D); V = powmat(U2, m); Dn = D + m
        K = np.zeros((D + 1, m + 1, Dn + 1), dtype=object)
        for b in range(m + 1):
            for cc in range(m + 1):
                K[:, b, cc:cc + D + 1] += V[b, cc] * M1
        K %= P
        M2 = to_nmod(np.kron(np.eye(2, dtype=object), powmat(W2, m)))  # acts on (i,b) -> (i,b')
        out = []; dims = []
        for a2 in range(Dn + 1):
            Y = (X * K[owner, :, a2][:, None, :]) % P          # (r, 2, m+1)
            Sb = row_basis(Y.reshape(len(owner), -1))
            if Sb.shape[0]:
                Sm = to_nmod(Sb) * M2
                Sb = np.array([[int(Sm[i, jj]) for jj in range(Sm.ncols())] for i in range(Sm.nrows())], dtype=object)
            out.append(Sb.reshape(-1, 2, m + 1)); dims.append(Sb.shape[0])
        blocks = out; D = Dn
        if stats is not None:
            stats.append(dict(j=j + 1, mon=2 * (m + 1) * (D + 1), dimO=sum(dims), time=time.time() - t0,
                              stored=sum(dims) * 2 * (m + 1)))
    return blocks


def factored_rank(net, T, k=None, seed=1):
    if k is None:
        k = T // 2
    j = T - k; D = j * (j + 1) // 2
    st = []; t0 = time.time()
    blocks = backward_factored(net, j, stats=st)
    tb = time.time() - t0
    r = sum(b.shape[0] for b in blocks); N = r + 10
    R = random.Random(seed); t1 = time.time()
    h1, h2, h3 = run(net, init_state(net, N), rand_inputs(R, k, N))
    w = lin(net['W1'], h1)
    H = np.empty((N, 2, j + 1), dtype=object)
    for b in range(j + 1):
        mon = (pow_arr(h2[0], b) * pow_arr(h2[1], j - b)) % P
        H[:, 0, b] = (h3[0] * mon) % P; H[:, 1, b] = (h3[1] * mon) % P
    Hn = to_nmod(H.reshape(N, -1))
    cols = []
    for a, S in enumerate(blocks):
        if S.shape[0] == 0:
            continue
        G = Hn * to_nmod(S.reshape(S.shape[0], -1)).transpose()
        G = np.array([[int(G[i, c]) for c in range(G.ncols())] for i in range(N)], dtype=object)
        sc = (pow_arr(w[0], a) * pow_arr(w[1], D - a)) % P
        cols.append((G * sc[:, None]) % P)
    rk = rank_mod(np.concatenate(cols, axis=1))
    return rk, st, tb, time.time() - t1


def pow_arr(v, e):
    return np.array([pow(int(x), e, P) for x in v], dtype=object)


if __name__ == "__main__":
    mode, T = sys.argv[1], int(sys.argv[2])
    net = make_net(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    t = time.time()
    if mode == "factored":
        rk, st, tb, tr = factored_rank(net, T)
        print(f"[factored] T={T} k={T//2} rank={rk} backward={tb:.2f}s reach+rank={tr:.2f}s total={time.time()-t:.2f}s peakRSS={peak_mb():.0f}MB")
        for d in st:
            print(f"   j={d['j']:2d} |Mon|={d['mon']:5d} dimO={d['dimO']:5d}")
    elif mode == "check":
        rk = factored_rank(net, T)[0]
        s = sample_rank(net, T, N=rk + 25, seed=100 + T)
        print(f"T={T} factored={rk} sampled_eval={s} ({time.time()-t:.1f}s)")
    else:
        raise SystemExit("usage: lifted_factored_rac.py factored|check T [SEED]")
