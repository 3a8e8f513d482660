"""Which parts of the TGAT forward need float64 to stay within 5e-7 of the float64 reference?

Runs the forward of src/tgat/encoder.ts in PyTorch with the dense layers (input projection, Q/K/V, output
projection, feed-forward) and the attention (scores, softmax, weighted sum) each in float32 or float64, stores
Q/K/V in float32 as ironforge does, rounds the embeddings to float32, and prints the max-abs error against
ironforge's float64 `reference` embeddings (same weights and inputs, from bench/pytorch/export.ts).

    npx tsx bench/pytorch/export.ts --out runs/pytorch-fixture
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/pytorch/precision_study.py runs/pytorch-fixture

Measured 2026-11-29 (L = 128 / 1024): float64 dense + float64 attention 2.4e-7 / 2.7e-7 (ironforge's layout);
float32 dense only 1.9e-6 / 1.9e-6; float32 attention only 1.1e-6 / 1.8e-6; both float32 1.8e-6 / 2.9e-6. Either
place in float32 (where PyTorch gets its speed) misses the 5e-7 bound by 2-6x.
"""
import math
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parent))
from tgat_forward import ensure_tuned_env, load  # noqa: E402

if __name__ == "__main__":
    # Same settings as the timing script (OpenBLAS on one thread, warm glibc allocator), and say so.
    print("# ran with " + " ".join(f"{k}={v}" for k, v in ensure_tuned_env().items()))

F32, F64 = torch.float32, torch.float64


def forward(fx, man, w, n, dense, attn):
    c = man["config"]
    nh, H = c["heads"], c["hidden"]
    dh = H // nh
    P = lambda name, dt=F64: torch.tensor(np.asarray(w[name], dtype=np.float64), dtype=dt)
    x = torch.tensor(np.fromfile(fx / f"x{n}.f32", dtype="<f4").reshape(n, c["inDim"]).astype(np.float64))
    t = np.fromfile(fx / f"t{n}.f64", dtype="<f8")
    trel = torch.tensor((t - t[0]) / c["timeUnitMs"])
    a = trel[:, None] * P("time.omega")[None, :]
    bias = (P("time.beta") * torch.cos(a[:, None, :] - a[None, :, :] + P("time.phi"))).sum(-1)
    upper = ~torch.ones(n, n, dtype=torch.bool).tril()
    lin = lambda h, W, b: (h.to(dense) @ P(W, dense) + P(b, dense)).to(F64)
    ln = lambda h, g, b: torch.nn.functional.layer_norm(h, (H,), P(g), P(b), c["layerNormEps"])
    h = lin(x, "input.W", "input.b")
    for l in range(c["layers"]):
        p = f"layer{l}."
        q = lin(h, p + "Wq", p + "bq") / math.sqrt(dh)
        k = lin(h, p + "Wk", p + "bk")
        v = lin(h, p + "Wv", p + "bv")
        # Q/K/V are stored in float32 (as ironforge's kernels take them), then used at the attention precision.
        q, k, v = [z.to(F32).to(attn).view(n, nh, dh).transpose(0, 1) for z in (q, k, v)]
        s = q @ k.transpose(1, 2) + P(p + "gamma", attn)[:, None, None] * bias.to(attn)
        s = s.masked_fill(upper, float("-inf"))
        att = (torch.softmax(s, -1) @ v).to(F64).transpose(0, 1).reshape(n, H)
        h = ln(h + lin(att, p + "Wo", p + "bo"), p + "ln1.g", p + "ln1.b")
        f = lin(torch.relu(lin(h, p + "ffn.W1", p + "ffn.b1")), p + "ffn.W2", p + "ffn.b2")
        h = ln(h + f, p + "ln2.g", p + "ln2.b")
    ref = np.fromfile(fx / f"ref{n}.f64", dtype="<f8").reshape(n, H)
    return float(np.abs(h.to(F32).double().numpy() - ref).max())


def main():
    fx = Path(sys.argv[1] if len(sys.argv) > 1 else "runs/pytorch-fixture")
    man, w = load(fx)
    torch.set_num_threads(1)
    print(f"{'dense':8} {'attention':10} " + " ".join(f"{'L=' + str(f['n']):>9}" for f in man["files"]))
    for dense, attn in ((F64, F64), (F32, F64), (F64, F32), (F32, F32)):
        errs = [forward(fx, man, w, f["n"], dense, attn) for f in man["files"]]
        print(f"{str(dense)[6:]:8} {str(attn)[6:]:10} " + " ".join(f"{e:9.2e}" for e in errs))


if __name__ == "__main__":
    main()
