#!/usr/bin/env python3
"""Long-horizon cross-check inputs and reference runs (issue 22), driving the PyTorch reference.

Imports ../shared/reference/gradncp_ref.py (read-only) and uses its functions unchanged: SIREN,
meta_loss, clip_grad_norm_ + torch Adam, eval_psnr, the image loader. The batches are an explicit
list, so no sampler is involved on either side. Run with Debian's /usr/bin/python3 (torch).

  prepare  DIR   init.safetensors (the reference's SIREN init), data.npy [S,R,R,3] float32 (an
                 image folder resized by the reference's loader, or its synthetic images),
                 batches.txt (one meta-batch of signal indices per line: the reference's own
                 train sampler, RandomState(seed).choice(S, B, replace=False) per step),
                 test.npy (held-out images, optional)
  run      DIR   T outer steps of gradncp/maml from init over batches.txt: one line per step
                 "step t loss .. mse_out .. dist .. inner_last .. grad_norm .. theta_norm ..",
                 final parameters as F64 safetensors (--save)
  eval     DIR   test PSNR (plain / rescaled, K_test steps, the reference's eval) of a parameter
                 file on test.npy
  compare        per-step relative differences of two run logs and of two parameter files

Architecture and hyperparameters are the reference's flags (Cfg): defaults are the CelebA settings.
"""
import argparse, json, math, os, struct, sys
from collections import OrderedDict
from dataclasses import fields

import numpy as np
import torch

REF_DIR = os.environ.get("GRADNCP_REF_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                          "..", "..", "shared", "reference"))
sys.path.insert(0, os.path.abspath(REF_DIR))
import gradncp_ref as ref  # noqa: E402


def save_f64(path, names, tensors):
    """Safetensors with F64 tensors (the reference's writer emits F32 only)."""
    header, blobs, off = OrderedDict(), [], 0
    for name, t in zip(names, tensors):
        b = t.detach().cpu().to(torch.float64).contiguous().numpy().astype("<f8").tobytes()
        header[name] = {"dtype": "F64", "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_batches(path):
    with open(path) as f:
        return [[int(v) for v in line.split()] for line in f if line.strip() and not line.startswith("#")]


def cmd_prepare(a, c):
    os.makedirs(a.dir, exist_ok=True)
    if a.images:
        imgs = ref.load_image_folder(a.images, a.res, a.limit)
    else:
        imgs = ref.synthetic_images(a.n_signals, a.res, a.seed)
    np.save(os.path.join(a.dir, "data.npy"), imgs.astype(np.float32))
    if a.test_images:
        test = ref.load_image_folder(a.test_images, a.res, a.test_limit)
        np.save(os.path.join(a.dir, "test.npy"), test.astype(np.float32))
    theta = ref.siren_init(c, a.seed)
    ref.save_safetensors(os.path.join(a.dir, "init.safetensors"), OrderedDict(zip(ref.param_names(c), theta)))
    rng = np.random.RandomState(a.seed)
    with open(os.path.join(a.dir, "batches.txt"), "w") as f:
        f.write(f"# {a.steps} meta-batches of {a.batch} from {len(imgs)} signals: "
                f"RandomState({a.seed}).choice(S, B, replace=False) per step\n")
        for _ in range(a.steps):
            f.write(" ".join(str(int(i)) for i in rng.choice(len(imgs), a.batch, replace=False)) + "\n")
    print(f"# prepared {a.dir}: data {imgs.shape}, init seed {a.seed}, {a.steps} batches of {a.batch}")


def cmd_run(a, c):
    dt = torch.float64 if a.dtype == "float64" else torch.float32
    imgs = ref.load_npy(os.path.join(a.dir, "data.npy"))
    batches = read_batches(os.path.join(a.dir, "batches.txt"))[:a.steps]
    if len(batches) < a.steps:
        sys.exit(f"batches.txt has {len(batches)} batches, --steps asks for {a.steps}")
    theta = [p.requires_grad_() for p in ref.load_theta(os.path.join(a.dir, "init.safetensors"), c, dt)]
    opt = torch.optim.Adam(theta, lr=c.outer_lr)
    print(f"# run method={a.method} dtype={a.dtype} steps={a.steps} S={len(imgs)} R={imgs.shape[1]} "
          f"torch={torch.__version__} cfg={c}", flush=True)
    for t, idx in enumerate(batches):
        x, y = ref.batch_xy(imgs[idx], dt)
        # ref.meta_train_step, with the pre-clip norm kept for the log
        opt.zero_grad(set_to_none=True)
        loss, mse_out, dist, inner, _ = ref.meta_loss(theta, x, y, c, a.method)
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(theta, c.clip)
        opt.step()
        with torch.no_grad():
            tn = math.sqrt(sum(float(p.pow(2).sum()) for p in theta))
        print(f"step {t} loss {float(loss):.17e} mse_out {float(mse_out):.17e} dist {float(dist):.17e} "
              f"inner_last {float(inner):.17e} grad_norm {float(gn):.17e} theta_norm {tn:.17e}", flush=True)
    if a.save:
        save_f64(a.save, ref.param_names(c), theta)


def cmd_eval(a, c):
    dt = torch.float64 if a.dtype == "float64" else torch.float32
    test = ref.load_npy(a.test or os.path.join(a.dir, "test.npy"))
    theta = ref.load_theta(a.params, c, dt)
    plain = ref.eval_psnr(theta, test, c, False, a.batch, dt)
    resc = ref.eval_psnr(theta, test, c, True, a.batch, dt)
    print(json.dumps({"params": a.params, "dtype": a.dtype, "test_signals": len(test),
                      "K_test": c.K_test, "psnr_plain": plain, "psnr_rescaled": resc}))


def read_log(path):
    rows = []
    with open(path) as f:
        for line in f:
            t = line.split()
            if t and t[0] == "step":
                rows.append({t[i]: float(t[i + 1]) for i in range(2, len(t) - 1, 2)})
    return rows


def cmd_compare(a, c):
    ra, rb = read_log(a.log_a), read_log(a.log_b)
    n = min(len(ra), len(rb))
    keys = [k for k in ra[0] if k in rb[0]]
    worst = {k: (0.0, -1) for k in keys}
    first = {}
    for t in range(n):
        for k in keys:
            va, vb = ra[t][k], rb[t][k]
            r = abs(va - vb) / max(abs(va), 1e-300)
            if r > worst[k][0]:
                worst[k] = (r, t)
            if k not in first and r > a.tol:
                first[k] = (t, r)
    every = sorted({0, n - 1} | set(range(0, n, a.every)))
    print(f"# {n} steps; relative difference per step |a-b|/|a| (a = {a.log_a})")
    print("step " + " ".join(f"{k:>11s}" for k in keys))
    for t in every:
        print(f"{t:4d} " + " ".join(f"{abs(ra[t][k] - rb[t][k]) / max(abs(ra[t][k]), 1e-300):11.3e}" for k in keys))
    for k in keys:
        f = first.get(k)
        print(f"# {k}: max rel {worst[k][0]:.3e} at step {worst[k][1]}; first above {a.tol:g}: "
              + (f"step {f[0]} ({f[1]:.3e})" if f else "none"))
    if a.params_a and a.params_b:
        pa, pb = ref.load_safetensors(a.params_a), ref.load_safetensors(a.params_b)
        va = torch.cat([pa[k].double().flatten() for k in ref.param_names(c)])
        vb = torch.cat([pb[k].double().flatten() for k in ref.param_names(c)])
        print(f"# final parameters: ||a-b||/||a|| {float((va - vb).norm() / va.norm()):.3e}, "
              f"max|a-b| {float((va - vb).abs().max()):.3e}, max|a| {float(va.abs().max()):.3e}")
        if a.init:
            p0 = ref.load_safetensors(a.init)
            v0 = torch.cat([p0[k].double().flatten() for k in ref.param_names(c)])
            print(f"# movement from init: ||a-init||/||a|| {float((va - v0).norm() / va.norm()):.3e}; "
                  f"||a-b||/||a-init|| {float((va - vb).norm() / (va - v0).norm()):.3e}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    cmds = {"prepare": cmd_prepare, "run": cmd_run, "eval": cmd_eval, "compare": cmd_compare}
    for name in cmds:
        s = sub.add_parser(name)
        for f in fields(ref.Cfg):
            s.add_argument(f"--{f.name.replace('_', '-')}", type=type(f.default), default=f.default)
        if name != "compare":
            s.add_argument("dir")
        if name == "prepare":
            s.add_argument("--images", default=None, help="image folder (default: synthetic images)")
            s.add_argument("--limit", type=int, default=None)
            s.add_argument("--test-images", default=None)
            s.add_argument("--test-limit", type=int, default=None)
            s.add_argument("--n-signals", type=int, default=8)
            s.add_argument("--res", type=int, default=32)
            s.add_argument("--batch", type=int, default=4)
            s.add_argument("--steps", type=int, default=200)
            s.add_argument("--seed", type=int, default=0)
        if name == "run":
            s.add_argument("--method", default="gradncp")
            s.add_argument("--dtype", default="float64")
            s.add_argument("--steps", type=int, default=200)
            s.add_argument("--save", default=None, help="final parameters (F64 safetensors)")
        if name == "eval":
            s.add_argument("--params", required=True)
            s.add_argument("--test", default=None, help="default: DIR/test.npy")
            s.add_argument("--dtype", default="float32")
            s.add_argument("--batch", type=int, default=8)
        if name == "compare":
            s.add_argument("log_a")
            s.add_argument("log_b")
            s.add_argument("--params-a", default=None)
            s.add_argument("--params-b", default=None)
            s.add_argument("--init", default=None)
            s.add_argument("--tol", type=float, default=1e-8)
            s.add_argument("--every", type=int, default=20)
    a = p.parse_args()
    c = ref.Cfg(**{f.name: getattr(a, f.name) for f in fields(ref.Cfg)})
    torch.set_num_threads(int(os.environ.get("GRADNCP_REF_THREADS", "2")))
    cmds[a.cmd](a, c)


if __name__ == "__main__":
    main()
