"""The TGAT forward of ironforge (src/tgat/encoder.ts) in PyTorch, timed on one CPU thread.

Measures, on this machine, the same forward as ironforge: the exported attention mask (causal, or the
DAG mask of the attention bench), additive time bias, 2 layers, hidden 44, 4 heads x 11, FFN 88, post-LN.
Run in float32 (what PyTorch users run) and float64 (ironforge's precision contract), each with its max-abs
error against ironforge's float64 `reference` embeddings of the same weights, inputs and mask, so that the
output is checked to be the same math, not just timed.

PyTorch at its best (issue 21): OpenBLAS on one thread, and glibc's allocator kept warm — by default it
returns every L x L tensor to the OS and page-faults it back in (7.7M minor faults, 17.7 s of system time in
one bench run). The script re-executes itself with TUNED_ENV when the environment lacks it (GLIBC_TUNABLES is
read at process start, so setting it later has no effect) and prints the settings it ran with.

    npx tsx bench/pytorch/export.ts --out runs/pytorch-fixture
    /usr/bin/python3 bench/pytorch/tgat_forward.py runs/pytorch-fixture [--trials 60] [--warmup 5] [--json]
        [--masks causal,dag] [--sizes 128,256] [--dtypes float32,float64]

Needs python3-torch (Debian bookworm: apt-get install python3-torch libopenblas0-pthread). Not part of CI.
bench/attention.ts --pytorch DIR runs it in the same run as ours.
"""
import json
import math
import os
import sys
import time
from pathlib import Path

# The settings PyTorch runs with (bench/attention.ts passes the same; see the module docstring).
TUNED_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=2147483648:glibc.malloc.top_pad=67108864",
}


def ensure_tuned_env():
    """Re-exec this process with TUNED_ENV unless it already has it; returns the settings in effect."""
    if any(os.environ.get(k) != v for k, v in TUNED_ENV.items()):
        env = {**os.environ, **TUNED_ENV}
        os.execve(sys.executable, [sys.executable, *sys.argv], env)
    return {k: os.environ[k] for k in TUNED_ENV}


TUNED = ensure_tuned_env() if __name__ == "__main__" else None

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
    def __call__(self, x, trel_ms, upper):
        """upper: bool n x n, True where attention is NOT allowed (the exported mask, inverted)."""
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
                s = s.masked_fill(upper, float("-inf"))
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
    masks = arg("masks", "causal").split(",")
    sizes = arg("sizes", None)
    dtypes = arg("dtypes", "float32,float64").split(",")
    as_json = "--json" in sys.argv
    if not (fixture / "manifest.json").is_file():
        sys.exit(f"tgat_forward.py: {fixture / 'manifest.json'}: no fixture there (run npx tsx bench/pytorch/export.ts --out {fixture})")
    torch.set_num_threads(1)
    man, w = load(fixture)
    cfg = man["config"]
    files = [f for f in man["files"] if sizes is None or str(f["n"]) in sizes.split(",")]
    rows = []
    variants = [(dt, fused) for dt in (torch.float32, torch.float64) for fused in (False, True)
                if ("float32" if dt == torch.float32 else "float64") in dtypes]
    for mask in masks:
        for dtype, fused in variants:
            label = ("float32" if dtype == torch.float32 else "float64") + (" addmm" if fused else " batched")
            fwd = Forward(cfg, w, dtype, fused)
            for f in files:
                n = f["n"]
                if mask not in f.get("masks", {}):
                    sys.exit(f"tgat_forward.py: {fixture / 'manifest.json'}: no {mask} mask for L={n} (re-export the fixture)")
                m = f["masks"][mask]
                x = torch.tensor(np.fromfile(fixture / f["x"], dtype="<f4").reshape(n, cfg["inDim"]).astype(np.float64), dtype=dtype)
                t64 = np.fromfile(fixture / f["t"], dtype="<f8")
                # Times relative to the first event are formed in float64 (epoch ms do not fit float32), then cast.
                trel = torch.tensor(t64 - t64[0], dtype=dtype)
                upper = torch.from_numpy(np.fromfile(fixture / m["allowed"], dtype="u1").reshape(n, n) == 0)
                ref = np.fromfile(fixture / m["ref"], dtype="<f8").reshape(n, cfg["hidden"])
                run = lambda: fwd(x, trel, upper)
                for _ in range(warmup):
                    run()
                ts = []
                for _ in range(trials):
                    a = time.perf_counter_ns()
                    out = run()
                    ts.append((time.perf_counter_ns() - a) / 1e6)
                parity = float(np.max(np.abs(out.double().numpy() - ref)))
                srt = sorted(ts)
                rows.append({"mask": mask, "dtype": label, "n": n, "minMs": srt[0], "medianMs": srt[len(srt) // 2],
                             "parity": parity, "trials": trials, "timesMs": ts})
    blas = [l.strip() for l in torch.__config__.show().splitlines() if "BLAS" in l or "CPU capability" in l]
    info = {"torch": torch.__version__, "threads": torch.get_num_threads(), "build": blas, "env": TUNED}
    if as_json:
        print(json.dumps({"info": info, "rows": rows}))
        return
    print(f"# PyTorch {info['torch']} TGAT forward, {info['threads']} thread, best of {trials} after {warmup} warm-up")
    print(f"# ran with {' '.join(f'{k}={v}' for k, v in TUNED.items())}")
    print(f"# build: {'; '.join(info['build'])}")
    print(f"{'mask':7} {'variant':16} {'L':>5} {'min ms':>9} {'median ms':>10} {'parity':>9}")
    for r in rows:
        print(f"{r['mask']:7} {r['dtype']:16} {r['n']:>5} {r['minMs']:>9.3f} {r['medianMs']:>10.3f} {r['parity']:>9.2e}")


if __name__ == "__main__":
    main()
