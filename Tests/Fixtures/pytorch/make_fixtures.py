#!/usr/bin/env python3
"""Writes the safetensors fixtures of the PyTorch import tests, and beside each one the
exact outputs of the network's own forward pass.

Run by hand (not in CI), with only safetensors and numpy installed:
    python3 -m venv /tmp/st && /tmp/st/bin/pip install safetensors numpy
    /tmp/st/bin/python Tests/Fixtures/pytorch/make_fixtures.py

The forward passes below follow the public code the layouts name, in its own row-vector
conventions (h @ A, x @ B, einsum over [h; 1] x [x; 1]), with Python Fractions on the exact
values stored in the file: they share no code with the Swift import they check.
"""
import json
import os
from fractions import Fraction

import numpy as np
from safetensors.numpy import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)


def weights(shape, dtype):
    # small dyadic-friendly values; stored in the given dtype, read back exactly below
    return (rng.integers(-8, 9, size=shape) / 8 + rng.normal(0, 0.05, size=shape)).astype(dtype)


def exact(a):
    """The exact values of an array as nested lists of Fractions (every float is dyadic)."""
    a = np.asarray(a)
    if a.dtype == np.uint16:  # bfloat16 stored as raw bits
        return exact((a.astype(np.uint32) << 16).view(np.float32))
    if a.ndim == 0:
        return Fraction(float(a))
    return [exact(x) for x in a]


def matvec_rows(x, m):
    """x @ m for a row vector x and a matrix m (lists of Fractions)."""
    return [sum((x[i] * m[i][j] for i in range(len(x))), Fraction(0)) for j in range(len(m[0]))]


def linear(w, x, b=None):
    """F.linear(x, w, b) = x @ w^T + b."""
    out = [sum((w[i][j] * x[j] for j in range(len(x))), Fraction(0)) for i in range(len(w))]
    return [o + b[i] for i, o in enumerate(out)] if b is not None else out


def poly(c, z):
    return sum((ci * z ** k for k, ci in enumerate(c)), Fraction(0))


def one_hot(t, n):
    return [Fraction(1 if i == t else 0) for i in range(n)]


def deep_rnn_forward(p, xs, layers, embedding, rho=lambda z: z, cell_gate=None):
    """DeepRNN.forward, the output at the last step: LinearRNNCell (cell_gate None) or
    nn.RNNCell (cell_gate applied inside the cell, whose output is the carried state); the
    activation rho on every layer's output, the last one included, before fc."""
    h = [[Fraction(0)] * len(p[f"rnn_layers.{i}.weight_hh"]) for i in range(layers)]
    for x in xs:
        if embedding:
            x = p["embedding.weight"][x]
        inp, rec = x, []
        for i in range(layers):
            q = f"rnn_layers.{i}."
            hi = [a + b for a, b in zip(linear(p[q + "weight_ih"], inp, p.get(q + "bias_ih")),
                                       linear(p[q + "weight_hh"], h[i], p.get(q + "bias_hh")))]
            if cell_gate is not None:
                hi = [cell_gate(v) for v in hi]
            rec.append(hi)  # h_rec: the cell's output, before the activation
            inp = [rho(v) for v in hi]
        h = rec
    return linear(p["fc.weight"], inp, p.get("fc.bias"))


def cprnn_cell(p, q, x, h, gate):
    a = matvec_rows(h, p[q + "A"])
    b = matvec_rows(x, p[q + "B"])
    c = p[q + "C"]
    hv, xu, d = matvec_rows(h, p[q + "V"]), matvec_rows(x, p[q + "U"]), p[q + "d"]
    return [gate(sum((a[r] * b[r] * c[k][r] for r in range(len(a))), Fraction(0)) + hv[k] + xu[k] + d[k]) for k in range(len(d))]


def deep_cprnn_forward(p, xs, layers, gate):
    h = [[Fraction(0)] * len(p[f"cprnn_layers.{i}.d"]) for i in range(layers)]
    for x in xs:
        inp, rec = x, []
        for i in range(layers):
            hi = cprnn_cell(p, f"cprnn_layers.{i}.", inp, h[i], gate)
            rec.append(hi)
            inp = hi  # identity activation between layers
        h = rec
    return linear(p["decoder.weight"], inp, p["decoder.bias"])


def second_order_forward(p, tokens, vocab):
    w, n = p["w"], len(p["w"][0][0])
    h = [Fraction(0)] * n
    for t in tokens:
        x = p["embedding.weight"][t] if "embedding.weight" in p else one_hot(t, vocab)
        hp, xp = h + [Fraction(1)], x + [Fraction(1)]
        h = [sum((hp[i] * xp[j] * w[i][j][k] for i in range(len(hp)) for j in range(len(xp))), Fraction(0)) for k in range(n)]
    return linear(p["decoder.1.weight"], h, p["decoder.1.bias"])


def rac_forward(p, xs, layers):
    h = [list(p.get(f"layers.{i}.h0", [Fraction(0)] * len(p[f"layers.{i}.state"]))) for i in range(layers)]
    for x in xs:
        inp = x
        for i in range(layers):
            s = linear(p[f"layers.{i}.state"], h[i])
            u = linear(p[f"layers.{i}.input"], inp)
            h[i] = [a * b for a, b in zip(s, u)]
            inp = h[i]
    return linear(p["readout.weight"], inp, p.get("readout.bias"))


def write(name, arrays, inputs, outputs, note):
    save_file(arrays, os.path.join(HERE, name + ".safetensors"))
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump({"note": note, "inputs": [[[str(v) for v in x] if isinstance(x, list) else x for x in seq] for seq in inputs],
                   "outputs": [[str(v) for v in out] for out in outputs]}, f, indent=1)
        f.write("\n")


def exact_dict(arrays, bf16=()):
    return {k: exact(v) for k, v in arrays.items()}


def rational_inputs(count, length, d):
    return [[[Fraction(int(v), 4) for v in rng.integers(-4, 5, size=d)] for _ in range(length)] for _ in range(count)]


# role-of-depth-deep-rnn: 2 layers, F32, biases, input 2, hidden 3, 2 outputs
a = {"rnn_layers.0.weight_ih": weights((3, 2), np.float32), "rnn_layers.0.weight_hh": weights((3, 3), np.float32),
     "rnn_layers.0.bias_ih": weights((3,), np.float32), "rnn_layers.0.bias_hh": weights((3,), np.float32),
     "rnn_layers.1.weight_ih": weights((3, 3), np.float32), "rnn_layers.1.weight_hh": weights((3, 3), np.float32),
     "rnn_layers.1.bias_ih": weights((3,), np.float32), "rnn_layers.1.bias_hh": weights((3,), np.float32),
     "fc.weight": weights((2, 3), np.float32), "fc.bias": weights((2,), np.float32)}
p = exact_dict(a)
xs = rational_inputs(3, 4, 2)
r = [Fraction(0), Fraction(1), Fraction(1, 2)]
write("deep_rnn", a, xs, [deep_rnn_forward(p, s, 2, False, rho=lambda z: poly(r, z)) for s in xs],
      "DeepRNN rnncell=linear activation=relu replaced by z + z^2/2 (--rnncell linear --activation relu --replace-nonlinear 0,1,1/2), F32")

# the same tensors as nn.RNNCell layers (rnncell='rnn'): tanh inside the cell replaced by z - z^3/3
g3 = [Fraction(0), Fraction(1), Fraction(0), Fraction(-1, 3)]
xs = rational_inputs(2, 3, 2)
write("deep_rnn_cell", a, xs, [deep_rnn_forward(p, s, 2, False, cell_gate=lambda z: poly(g3, z)) for s in xs],
      "DeepRNN rnncell=rnn (tanh replaced by z - z^3/3), activation=identity, F32")

# the same with an embedding (DeepRNNWithEmbedding), F64, one-hot tokens of a vocabulary of 4
a = {"embedding.weight": weights((4, 2), np.float64),
     "rnn_layers.0.weight_ih": weights((3, 2), np.float64), "rnn_layers.0.weight_hh": weights((3, 3), np.float64),
     "rnn_layers.0.bias_ih": weights((3,), np.float64), "rnn_layers.0.bias_hh": weights((3,), np.float64),
     "fc.weight": weights((1, 3), np.float64), "fc.bias": weights((1,), np.float64)}
p = exact_dict(a)
tokens = [list(map(int, rng.integers(0, 4, size=5))) for _ in range(3)]
write("deep_rnn_embedding", a, tokens, [deep_rnn_forward(p, s, 1, True) for s in tokens],
      "DeepRNNWithEmbedding rnncell=linear activation=identity, F64; inputs are token indices")

# role-of-depth-deep-cprnn: 2 layers, rank 2, F16; gate tanh analysed as z - z^3/3
a = {}
for i, m in [(0, 2), (1, 3)]:
    q = f"cprnn_layers.{i}."
    a.update({q + "A": weights((3, 2), np.float16), q + "B": weights((m, 2), np.float16), q + "C": weights((3, 2), np.float16),
              q + "U": weights((m, 3), np.float16), q + "V": weights((3, 3), np.float16), q + "d": weights((3,), np.float16)})
a.update({"decoder.weight": weights((2, 3), np.float16), "decoder.bias": weights((2,), np.float16)})
p = exact_dict(a)
xs = rational_inputs(3, 3, 2)
g = [Fraction(0), Fraction(1), Fraction(0), Fraction(-1, 3)]
write("deep_cprnn", a, xs, [deep_cprnn_forward(p, s, 2, lambda z: poly(g, z)) for s in xs],
      "DeepCPRNN, F16, activation=identity, gate=tanh replaced by z - z^3/3 (--replace-nonlinear 0,1,0,-1/3)")

# cprnn-second-order: hidden 2, embedding 2 of a vocabulary of 3; BF16 (raw bits, dtype BF16)
def bf16(shape):
    f = weights(shape, np.float32)
    return (f.view(np.uint32) >> 16).astype(np.uint16)


# hidden n = 3 and embedding m = 2 differ, so an n/m mix-up in the index of w shows
raw = {"embedding.weight": bf16((3, 2)), "w": bf16((4, 3, 3)), "decoder.1.weight": bf16((3, 3)), "decoder.1.bias": bf16((3,))}
p = exact_dict(raw)
tokens = [list(map(int, rng.integers(0, 3, size=4))) for _ in range(3)]
# safetensors.numpy has no bfloat16 type: write the header by hand around the raw bits
header, data, offset = {}, b"", 0
for k, v in raw.items():
    blob = v.astype("<u2").tobytes()
    header[k] = {"dtype": "BF16", "shape": list(v.shape), "data_offsets": [offset, offset + len(blob)]}
    data += blob
    offset += len(blob)
h = json.dumps(header).encode()
with open(os.path.join(HERE, "second_order.safetensors"), "wb") as f:
    f.write(len(h).to_bytes(8, "little") + h + data)
with open(os.path.join(HERE, "second_order.json"), "w") as f:
    json.dump({"note": "SecondOrderRNN use_embedding=True gate=identity, BF16; inputs are token indices",
               "inputs": tokens, "outputs": [[str(v) for v in second_order_forward(p, s, 3)] for s in tokens]}, f, indent=1)
    f.write("\n")

# rac (this project's layout): 2 layers, F64, h0 on both, readout bias
a = {"layers.0.state": weights((2, 2), np.float64), "layers.0.input": weights((2, 2), np.float64), "layers.0.h0": weights((2,), np.float64),
     "layers.1.state": weights((2, 2), np.float64), "layers.1.input": weights((2, 2), np.float64), "layers.1.h0": weights((2,), np.float64),
     "readout.weight": weights((1, 2), np.float64), "readout.bias": weights((1,), np.float64)}
p = exact_dict(a)
xs = rational_inputs(3, 4, 2)
write("rac", a, xs, [rac_forward(p, s, 2) for s in xs], "RAC, F64")
print("wrote", sorted(f for f in os.listdir(HERE) if f.endswith((".safetensors", ".json"))))
