"""Retrain the anti-forensic generators of every quality on one GPU within a fixed wall-clock
budget (issue 14): a longer L1 schedule on the corpus's train part, then the adversarial epoch
against a critic-started discriminator that made ``antiforensic-d-q*`` (d-from-critic.md).

    python scripts/gpu_generators.py --data data/corpus --runs runs/gpu --budget 450 [--workers 4]

Each quality's chain runs as its own ``jpegaf train gan`` processes, the three chains side by
side on the one device (a 64x64 batch of 16 is small work for a large GPU):

  a0  one L1 epoch (phase 1) from the shipped ``generator-q{Q}`` at a constant rate of 3e-4 —
      also the probe: its wall time sets how many epochs fit in the budget;
  a   E L1 epochs from a0's export, rate 3e-4 falling to 2e-6 along a half cosine, E the largest
      number that leaves time for b (at most --max-epochs);
  b   the shipped ``antiforensic-d`` recipe unchanged from a's export: one adversarial epoch,
      L1 + 1e-3 x (-log D(G)), D started from ``critic-64-q{Q}`` (trained on the calibration part
      with another seed, never one of the detectors that judge the result), rates 5e-5 / 1e-4.

Every run folder keeps the config, step log, validation log and model card that ``jpegaf train
gan`` writes (the card records the device, E and the weights it started from). ``--out`` gets one
tar per quality (run folders without checkpoints) and the driver's own log.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PRETRAINED = REPO / "src" / "jpegaf" / "pretrained"


def log(msg: str, t0: float, out: Path | None) -> None:
    line = f"[{time.time() - t0:7.1f} s] {msg}"
    print(line, file=sys.stderr, flush=True)
    if out is not None:
        with open(out / "driver.log", "a", encoding="utf-8") as f:
            f.write(line + "\n")


def train_command(q: int, data: str, run: Path, init: Path, extra: list[str], args) -> list[str]:
    return [sys.executable, "-m", "jpegaf.cli", "train", "gan", "--preset", "cpu", "--quality", str(q),
            "--data", data, "--out", str(run), "--init-generator", str(init), "--no-perceptual",
            "--device", args.device, "--workers", str(args.workers), "--cache-dir", f"{args.cache_dir}/q{q}",
            *extra]


def stage_command(stage: str, q: int, data: str, runs: Path, args, epochs: int = 10) -> list[str]:
    """The ``jpegaf train gan`` command of one stage (a0, a or b) of quality ``q``'s chain."""
    run = runs / f"q{q}"
    if stage == "a0":
        return train_command(q, data, run / "a0", PRETRAINED / f"generator-q{q}.safetensors",
                             ["--phase1-epochs", "1", "--phase2-epochs", "0", "--phase1-lr", "3e-4"], args)
    if stage == "a":
        return train_command(q, data, run / "a", run / "a0" / "generator.safetensors",
                             ["--phase1-epochs", str(epochs), "--phase2-epochs", "0", "--phase1-lr", "3e-4",
                              "--phase1-lr-end", "2e-6"], args)
    if stage == "b":
        return train_command(q, data, run / "b", run / "a" / "generator.safetensors",
                             ["--init-discriminator", str(PRETRAINED / f"critic-64-q{q}.safetensors"),
                              "--phase1-epochs", "0", "--phase2-epochs", "1", "--g-lr", "5e-5", "--d-lr", "1e-4",
                              "--gamma", "1e-3", "--non-saturating"], args)
    raise ValueError(f"no stage {stage!r}")


def run_all(stage: str, commands: dict[int, list[str]], runs: Path, deadline: float | None,
            t0: float, out: Path | None) -> dict[int, int]:
    """Start one process per quality, wait for all; kill the rest at ``deadline`` (epoch seconds)."""
    procs = {}
    for q, cmd in commands.items():
        (runs / f"q{q}").mkdir(parents=True, exist_ok=True)
        logf = open(runs / f"q{q}" / f"{stage}.stderr", "w", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
        procs[q] = (subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, env=env, cwd=REPO), logf)
        log(f"{stage} q{q}: {' '.join(cmd[3:])}", t0, out)
    codes = {}
    for q, (p, logf) in procs.items():
        try:
            timeout = None if deadline is None else max(1.0, deadline - time.time())
            codes[q] = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            codes[q] = p.wait()
            log(f"{stage} q{q}: killed at the deadline", t0, out)
        logf.close()
        tail = (runs / f"q{q}" / f"{stage}.stderr").read_text(encoding="utf-8", errors="replace").strip().splitlines()[-2:]
        log(f"{stage} q{q}: exit {codes[q]}; {' | '.join(tail)[-300:]}", t0, out)
    return codes


def validation(run: Path) -> str:
    card = run / "generator.json"
    if not card.is_file():
        return "no export"
    v = json.loads(card.read_text())["validation"]
    return f"{v['val_psnr_gain']:+.3f} dB, SSIM {v['val_ssim_jpeg']:.4f} -> {v['val_ssim_out']:.4f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="data/corpus")
    ap.add_argument("--runs", default="runs/gpu")
    ap.add_argument("--out", default=None, help="folder for the tars and the driver's log")
    ap.add_argument("--qualities", type=int, nargs="+", default=[25, 50, 75])
    ap.add_argument("--budget", type=float, default=450.0, help="wall-clock seconds for all stages")
    ap.add_argument("--max-epochs", type=int, default=40)
    ap.add_argument("--epochs", type=int, default=None,
                    help="a's epochs, instead of the number the probe says fits (its first epoch also "
                         "fills the crop cache, so it overstates the later ones)")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--cache-dir", default="/tmp/jpegaf-crops")
    args = ap.parse_args()
    from jpegaf.jpeg.codec import JPEGLIB_VERSION

    if JPEGLIB_VERSION.startswith("unknown"):
        # The model cards would not say which jpeglib made the training JPEGs.
        print("jpeglib has no package metadata here: carry its jpeglib-*.dist-info folder beside the "
              "package", file=sys.stderr)
        return 2
    t0 = time.time()
    runs = Path(args.runs).resolve()
    out = Path(args.out).resolve() if args.out else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    qs = args.qualities

    a0 = {q: stage_command("a0", q, args.data, runs, args) for q in qs}
    s = time.time()
    run_all("a0", a0, runs, t0 + args.budget, t0, out)
    epoch_s = time.time() - s
    log(f"a0 done in {epoch_s:.1f} s: " + "; ".join(f"q{q} {validation(runs / f'q{q}' / 'a0')}" for q in qs), t0, out)
    qs = [q for q in qs if (runs / f"q{q}" / "a0" / "generator.safetensors").is_file()]

    # b: 446 adversarial steps of about 3 L1 steps' work each, plus start and validation.
    reserve_b = 3.5 * epoch_s + 30
    left = t0 + args.budget - time.time() - reserve_b
    epochs = args.epochs or max(1, min(args.max_epochs, int(left // epoch_s)))
    log(f"a: {epochs} epochs ({left:.0f} s left for it, {epoch_s:.0f} s per epoch)", t0, out)
    a = {q: stage_command("a", q, args.data, runs, args, epochs) for q in qs}
    run_all("a", a, runs, t0 + args.budget, t0, out)
    log("a done: " + "; ".join(f"q{q} {validation(runs / f'q{q}' / 'a')}" for q in qs), t0, out)
    qs = [q for q in qs if (runs / f"q{q}" / "a" / "generator.safetensors").is_file()]

    b = {q: stage_command("b", q, args.data, runs, args) for q in qs}
    run_all("b", b, runs, t0 + args.budget + 60, t0, out)
    log("b done: " + "; ".join(f"q{q} {validation(runs / f'q{q}' / 'b')}" for q in qs), t0, out)

    if out is not None:
        for q in args.qualities:
            with tarfile.open(out / f"gpu-q{q}.tar", "w") as tar:
                for f in sorted((runs / f"q{q}").rglob("*")):
                    if f.is_file() and f.name != "checkpoint.pt" and not (f.parent.name == "a0" and f.suffix == ".safetensors"):
                        tar.add(f, arcname=f.relative_to(runs).as_posix())
        log("tars written", t0, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
