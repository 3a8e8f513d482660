"""The TGAT forward of ironforge (src/tgat/encoder.ts) in PyTorch, timed on one CPU thread.

Measures, on this machine, the comparison the TGAT issue quotes ("the same math in PyTorch 1.13 on one CPU
thread, best of 60"): causal mask, additive time bias, 2 layers, hidden 44, 4 heads x 11, FFN 88, post-LN.
Run in float32 (what PyTorch users run) and float64 (ironforge's precision contract), each with its max-abs
error against ironforge's float64 `reference` embeddings of the same weights and inputs, so that the output is
checked to be the same math, not just timed.

    npx tsx bench/pytorch/export.ts --out runs/pytorch-fixture
    python3 bench/pytorch/tgat_forward.py runs/pytorch-fixture [--trials 60] [--warmup 5] [--json]

Needs python3-torch (Debian bookworm ships 1.13.1: apt-get install python3-torch). Not part of CI.
"""
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch


def arg(name, default):
    if f"--{name}" in sys.argv:
        return sys.argv[sys.argv.index(f"--{name}") + 1]
    return default


def load(fixture):
    man = json.loads((fixture / "manifest.json").read_text())
    flat = np.fromfile(fixture / "weights.f32", dtype="<f4")
    w = {}
    for t in man["tensors"]:
        size = int(np.prod(t["shape"]))
        w[t["name"]] = flat[t["offset"] : t["offset"] + size].reshape(t["shape"])
    return man, w


class Forward:
    """Weights as tensors of one dtype; __call__(x, trel_ms) -> embeddings (n x hidden), trel_ms = t - t[0]."""

    def __init__(self, cfg, w, dtype, fused):
        self.cfg = cfg
        self.fused = fused
        self.dtype = dtype
        T = lambda a: torch.tensor(np.asarray(a, dtype=np.float64), dtype=dtype)
        self.omega, self.phi, self.beta = T(w["time.omega"]), T(w["time.phi"]), T(w["time.beta"])
        self.Win, self.bin = T(w["input.W"]), T(w["input.b"])
        self.layers = []
        for l in range(cfg["layers"]):
            p = f"layer{l}."
            self.layers.append({k: T(w[p + k]) for k in (
                "Wq", "bq", "Wk", "bk", "Wv", "bv", "Wo", "bo", "gamma", "ln1.g", "ln1.b",
                "ffn.W1", "ffn.b1", "ffn.W2", "ffn.b2", "ln2.g", "ln2.b")})

    @torch.no_grad()
    def __call__(self, x, trel_ms):
        c = self.cfg
        n = x.shape[0]
        H, nh = c["hidden"], c["heads"]
        dh = H // nh
        # Time bias b(t_j - t_i) = sum_m beta_m cos(omega_m (t_j - t_i) + phi_m), factorised as ironforge does
        # (row factors of t_j times column factors of t_i): one (n x 2d)(2d x n) product instead of n^2 d cos().
        trel = trel_ms / c["timeUnitMs"]
        a = trel[:, None] * self.omega[None, :]
        ca, sa = torch.cos(a), torch.sin(a)
        cp, sp = torch.cos(self.phi), torch.sin(self.phi)
        row = torch.cat([self.beta * (ca * cp - sa * sp), self.beta * (sa * cp + ca * sp)], dim=1)
        col = torch.cat([ca, sa], dim=1)
        bias = row @ col.T
        causal = torch.ones(n, n, dtype=torch.bool).tril_()
        upper = ~causal
        h = x @ self.Win + self.bin
        for L in self.layers:
            q = ((h @ L["Wq"] + L["bq"]) / math.sqrt(dh)).view(n, nh, dh).transpose(0, 1)
            k = (h @ L["Wk"] + L["bk"]).view(n, nh, dh).transpose(0, 1)
            v = (h @ L["Wv"] + L["bv"]).view(n, nh, dh).transpose(0, 1)
            if self.fused:
                # One BLAS call per head for γ_h·bias + q_h k_hᵀ (addmm's beta), masking in place.
                att = torch.empty(n, H, dtype=self.dtype)
                for hd in range(nh):
                    s = torch.addmm(bias, q[hd], k[hd].T, beta=float(L["gamma"][hd]))
                    s.masked_fill_(upper, float("-inf"))
                    torch.mm(torch.softmax(s, dim=-1), v[hd], out=att[:, hd * dh : (hd + 1) * dh])
            else:
                s = q @ k.transpose(1, 2) + L["gamma"][:, None, None] * bias
                s = s.masked_fill(~causal, float("-inf"))
                att = torch.softmax(s, dim=-1) @ v
                att = att.transpose(0, 1).reshape(n, H)
            h = torch.nn.functional.layer_norm(h + att @ L["Wo"] + L["bo"], (H,), L["ln1.g"], L["ln1.b"], c["layerNormEps"])
            f = torch.relu(h @ L["ffn.W1"] + L["ffn.b1"]) @ L["ffn.W2"] + L["ffn.b2"]
            h = torch.nn.functional.layer_norm(h + f, (H,), L["ln2.g"], L["ln2.b"], c["layerNormEps"])
        return h


def main():
    fixture = Path(sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "runs/pytorch-fixture")
    trials = int(arg("trials", 60))
    warmup = int(arg("warmup", 5))
    as_json = "--json" in sys.argv
    torch.set_num_threads(1)
    man, w = load(fixture)
    cfg = man["config"]
    rows = []
    variants = [(dt, fused) for dt in (torch.float32, torch.float64) for fused in (False, True)]
    for dtype, fused in variants:
        label = ("float32" if dtype == torch.float32 else "float64") + (" addmm" if fused else " batched")
        fwd = Forward(cfg, w, dtype, fused)
        for f in man["files"]:
            n = f["n"]
            x = torch.tensor(np.fromfile(fixture / f["x"], dtype="<f4").reshape(n, cfg["inDim"]).astype(np.float64), dtype=dtype)
            t64 = np.fromfile(fixture / f["t"], dtype="<f8")
            # Times relative to the first event are formed in float64 (epoch ms do not fit float32), then cast.
            trel = torch.tensor(t64 - t64[0], dtype=dtype)
            ref = np.fromfile(fixture / f["ref"], dtype="<f8").reshape(n, cfg["hidden"])
            run = lambda: fwd(x, trel)
            for _ in range(warmup):
                run()
            ts = []
            for _ in range(trials):
                a = time.perf_counter_ns()
                out = run()
                ts.append((time.perf_counter_ns() - a) / 1e6)
            ts.sort()
            parity = float(np.max(np.abs(out.double().numpy() - ref)))
            rows.append({"dtype": label, "n": n, "minMs": ts[0], "medianMs": ts[len(ts) // 2], "parity": parity, "trials": trials})
    blas = [l.strip() for l in torch.__config__.show().splitlines() if "BLAS" in l or "CPU capability" in l]
    info = {"torch": torch.__version__, "threads": torch.get_num_threads(), "build": blas}
    if as_json:
        print(json.dumps({"info": info, "rows": rows}, indent=2))
        return
    print(f"# PyTorch {info['torch']} TGAT forward, {info['threads']} thread, causal, best of {trials} after {warmup} warm-up")
    print(f"# build: {'; '.join(info['build'])}")
    print(f"{'variant':16} {'L':>5} {'min ms':>9} {'median ms':>10} {'parity':>9}")
    for r in rows:
        print(f"{r['dtype']:16} {r['n']:>5} {r['minMs']:>9.3f} {r['medianMs']:>10.3f} {r['parity']:>9.2e}")


if __name__ == "__main__":
    main()
