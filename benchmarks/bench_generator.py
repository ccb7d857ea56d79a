"""Generator inference speed on this CPU: plain fp32 against the fast path, at 512x512 and 12 MP.

Prints, in one run, for the generator (the trained QF 50 one, results/gan-cpu-q50, when present,
because trained BatchNorm statistics matter for exactness; random weights otherwise, said so):

- the network's FLOPs per pixel, a large fp32 (and bf16) torch.mm's GFLOP/s measured in the same
  run, and each variant's fraction of the fp32 matmul rate;
- 512x512 (a real photograph compressed at QF 50 with the project's codec): median of 3 timed
  runs after one warm-up, the variants interleaved, of (a) the plain fp32 eager forward
  (``Generator`` as built, NCHW input and weights) and (b) ``fast_cpu_generator`` (what
  ``jpegaf.models.inference`` picks on this CPU); megapixels/s, (b)/(a), and the exactness of (b):
  max |difference| in grey levels, PSNR of (b)'s uint8 output against (a)'s, and
  PSNR(b, original) - PSNR(a, original) against the never-compressed image;
- 12 MP (4000x3000: a mosaic of the bundled 512x512 photographs, JPEG-compressed at QF 50 and
  decoded with the project's codec): ONE timed pass each of (a) and (b) through
  ``tiled_generate`` (a 12 MP fp32 pass takes minutes here), each in a child process that does
  only that run, so its peak RSS (``ru_maxrss``: the whole process, Python and torch included) is
  that run's peak memory. Note: ``tiled_generate`` hands every tile over channels-last, so (a) at
  12 MP runs NCHW weights on channels-last tiles (faster than (a) at 512x512, which is pure NCHW).

``--all-variants`` adds the intermediate variants at 512x512 (fp32 channels-last, BN folded,
bf16 autocast, fused fp32); ``--tile-sweep 256,512,1024`` times the fast path at 12 MP with each
tile size (one pass each, child processes). The load average and this process's CPU time per wall
second are printed: on a shared machine other processes take cores and every rate falls with them;
ratios measured in the same run are the stable figures.

    python benchmarks/bench_generator.py [--skip-512] [--skip-12mp] [--skip-12mp-fp32]
        [--tile 512] [--tile-sweep 256,512,1024] [--all-variants] [--weights PATH]
"""

import argparse
import copy
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from jpegaf.antiforensics.gan import tiled_generate
from jpegaf.imageio import read_image
from jpegaf.jpeg import compress, decompress, quality_to_table
from jpegaf.models import Generator, GeneratorConfig, count_parameters, flops_per_pixel
from jpegaf.data.conditioning import qtable_plane
from jpegaf.models.inference import FusedCpuGenerator, fast_cpu_generator, fold_batchnorm
from jpegaf.samples import sample_paths

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WEIGHTS = ROOT / "results" / "gan-cpu-q50" / "generator.safetensors"
QUALITY = 50
BIG_HW = (3000, 4000)   # 12 megapixels, H x W


def load(weights: Path) -> tuple[Generator, str]:
    """(plain fp32 eager generator, as built: NCHW weights, eval; a description)."""
    if weights.is_file():
        from jpegaf.weights import load_generator
        trained, _ = load_generator(weights)
        g = Generator(trained.config).eval()
        g.load_state_dict(trained.state_dict())   # as built: default (NCHW) layout
        return g, f"trained weights {weights.relative_to(ROOT) if weights.is_relative_to(ROOT) else weights}"
    torch.manual_seed(0)
    return Generator(GeneratorConfig(global_skip=True)).eval(), (
        f"RANDOM weights ({weights} not found): BN statistics untrained, exactness figures not representative")


def describe(m: torch.nn.Module) -> str:
    if isinstance(m, FusedCpuGenerator):
        return f"oneDNN fused, BN folded, prepacked, {'bf16' if m.bf16 else 'fp32'}"
    return "BN folded, fp32 channels-last (eager fallback)"


def jpeg_qf(img: np.ndarray) -> np.ndarray:
    return decompress(compress(img, QUALITY))


def image_512(size: int) -> np.ndarray:
    return next(im for im in map(read_image, sample_paths()) if min(im.shape[:2]) >= size)[:size, :size].copy()


def image_12mp() -> np.ndarray:
    """A 4000x3000 mosaic of the bundled 512x512 photographs (real content, not synthetic)."""
    tiles = [im for im in map(read_image, sample_paths()) if im.shape == (512, 512)]
    h, w = BIG_HW
    rows, cols = math.ceil(h / 512), math.ceil(w / 512)
    big = np.empty((rows * 512, cols * 512), np.uint8)
    for r in range(rows):
        for c in range(cols):
            t = tiles[(r * cols + c) % len(tiles)]
            big[r * 512:(r + 1) * 512, c * 512:(c + 1) * 512] = t[:, ::-1] if (r + c) % 2 else t
    return np.ascontiguousarray(big[:h, :w])


def table_for(g: Generator):
    """The QF 50 luma table for a table-conditioned generator, None otherwise."""
    return quality_to_table(QUALITY) if g.config.condition_channels else None


def net_input(g: Generator, jpg: np.ndarray) -> torch.Tensor:
    x = torch.from_numpy(jpg.astype(np.float32) / 127.5 - 1.0)[None]
    if g.config.condition_channels:
        x = torch.cat([x, torch.from_numpy(qtable_plane(table_for(g), *jpg.shape))[None]])
    return x[None]


def to_uint8(y: torch.Tensor) -> np.ndarray:
    """The mapping tiled_generate uses: floor((y + 1) * 127.5 + 0.5), clipped."""
    return np.clip(np.floor((y[0, 0].double().numpy() + 1.0) * 127.5 + 0.5), 0, 255).astype(np.uint8)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return math.inf if mse == 0 else 10 * math.log10(255.0 ** 2 / mse)


def mm_gflops(dtype: torch.dtype, n: int = 2048, repeat: int = 5) -> float:
    a, b = torch.randn(n, n).to(dtype), torch.randn(n, n).to(dtype)
    torch.mm(a, b)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        torch.mm(a, b)
        times.append(time.perf_counter() - t)
    return 2 * n ** 3 / statistics.median(times) / 1e9


def variants_512(g: Generator, fast: torch.nn.Module, all_variants: bool) -> dict[str, tuple]:
    """name -> (callable, input layout); (a) and (b) first."""
    cl = torch.channels_last
    v = {"(a) fp32 eager NCHW (plain)": (g, False), "(b) fast: " + describe(fast): (fast, True)}
    if all_variants:
        g_cl = copy.deepcopy(g).to(memory_format=cl)
        g_fold = fold_batchnorm(g).to(memory_format=cl)

        def autocast(inp, m=g_cl):
            with torch.autocast("cpu", dtype=torch.bfloat16):
                return m(inp).float()
        v["fp32 eager channels-last"] = (g_cl, True)
        v["fp32 eager BN folded, channels-last"] = (g_fold, True)
        v["bf16 autocast, channels-last"] = (autocast, True)
        v["oneDNN fused fp32 (pre-packed)"] = (fast_cpu_generator(g, bf16=False), True)
    return v


def bench_512(g, fast, size, repeat, all_variants, fpp, peak32):
    orig = image_512(size)
    jpg = jpeg_qf(orig)
    x = net_input(g, jpg)
    x_cl = x.contiguous(memory_format=torch.channels_last)
    variants = variants_512(g, fast, all_variants)
    outs, times = {}, {k: [] for k in variants}
    with torch.no_grad():
        for k, (m, cl) in variants.items():   # warm-up, and the outputs
            outs[k] = m(x_cl if cl else x).float()
        for _ in range(repeat):               # interleaved: each repeat runs every variant once
            for k, (m, cl) in variants.items():
                inp = x_cl if cl else x
                t = time.perf_counter()
                m(inp)
                times[k].append(time.perf_counter() - t)
    names = list(variants)
    ref = outs[names[0]]
    ref_u8 = to_uint8(ref)
    p_ref = psnr(ref_u8, orig)
    t_ref = statistics.median(times[names[0]])
    pixels = size * size
    print(f"\n{size}x{size} real photograph, JPEG QF {QUALITY} (PSNR {psnr(jpg, orig):.3f} dB against the original; "
          f"fp32 generator output {p_ref:.3f} dB); median of {repeat} interleaved runs after 1 warm-up")
    print(f"{'variant':50s} {'median s':>8s} {'MP/s':>7s} {'GFLOP/s':>8s} {'/mm32':>6s} {'x (a)':>6s} "
          f"{'max|d| gl':>9s} {'u8 max':>6s} {'PSNR vs (a)':>11s} {'dPSNR dB':>9s}")
    for k in names:
        t = statistics.median(times[k])
        u8 = to_uint8(outs[k])
        gflops = fpp * pixels / t / 1e9
        print(f"{k:50s} {t:8.3f} {pixels / t / 1e6:7.4f} {gflops:8.1f} {gflops / peak32:6.2f} {t_ref / t:6.2f} "
              f"{float((outs[k] - ref).abs().max()) * 127.5:9.3f} {int(np.abs(u8.astype(int) - ref_u8).max()):6d} "
              f"{psnr(u8, ref_u8):11.2f} {psnr(u8, orig) - p_ref:+9.4f}")
    return t_ref / statistics.median(times[names[1]])


# --- 12 MP: each pass in a child process (peak RSS of that run alone) ---------------------------

def child(args) -> None:
    """Run one 12 MP pass; print one JSON line (seconds, peak RSS)."""
    g, _ = load(Path(args.weights))
    m = g if args.child == "plain" else fast_cpu_generator(g)
    img = np.load(args.image)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    out = tiled_generate(m, img, tile=args.tile, table=table_for(g))
    seconds = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    np.save(args.out, out)
    print(json.dumps({"seconds": seconds, "peak_rss_mb": rss / 1024, "rss_before_mb": rss0 / 1024}))


def run_child(kind: str, tile: int, image: str, weights: Path, tmp: str) -> tuple[dict, np.ndarray]:
    out = os.path.join(tmp, f"{kind}-{tile}.npy")
    res = subprocess.run([sys.executable, __file__, "--child", kind, "--tile", str(tile), "--image", image,
                          "--out", out, "--weights", str(weights)], capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"child {kind} tile {tile} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1]), np.load(out)


def bench_12mp(weights: Path, tile: int, with_fp32: bool, sweep: list[int]) -> None:
    orig = image_12mp()
    jpg = jpeg_qf(orig)
    mp = orig.size / 1e6
    print(f"\n{BIG_HW[1]}x{BIG_HW[0]} ({mp:.1f} MP) mosaic of bundled photographs, JPEG QF {QUALITY} "
          f"(PSNR {psnr(jpg, orig):.3f} dB); tiled_generate, ONE timed pass per row (no warm-up: "
          f"the first tile's set-up is included), each in its own child process")
    with tempfile.TemporaryDirectory() as tmp:
        image = os.path.join(tmp, "jpeg12mp.npy")
        np.save(image, jpg)
        rows = []
        if with_fp32:
            rows.append(("(a) fp32 eager (plain)", tile, *run_child("plain", tile, image, weights, tmp)))
        rows.append(("(b) fast path", tile, *run_child("fast", tile, image, weights, tmp)))
        for t in sweep:
            if t != tile:
                rows.append(("(b) fast path", t, *run_child("fast", t, image, weights, tmp)))
        ref = rows[0][3] if with_fp32 else None
        p_ref = psnr(ref, orig) if with_fp32 else None
        t_ref = rows[0][2]["seconds"] if with_fp32 else None
        print(f"{'variant':24s} {'tile':>5s} {'seconds':>8s} {'MP/s':>7s} {'x (a)':>6s} {'peak RSS MB':>11s} "
              f"{'(before)':>9s} {'PSNR vs orig':>12s} {'dPSNR dB':>9s} {'u8 max|d| vs (a)':>16s}")
        for name, t, info, out in rows:
            s = info["seconds"]
            p = psnr(out, orig)
            print(f"{name:24s} {t:5d} {s:8.1f} {mp / s:7.4f} "
                  f"{(t_ref / s if t_ref else float('nan')):6.2f} {info['peak_rss_mb']:11.0f} "
                  f"{info['rss_before_mb']:9.0f} {p:12.4f} "
                  f"{(p - p_ref if p_ref is not None else float('nan')):+9.4f} "
                  f"{(int(np.abs(out.astype(int) - ref.astype(int)).max()) if ref is not None else -1):16d}")
        if not with_fp32:
            print("(--skip-12mp-fp32: no fp32 reference at 12 MP, so no ratio or dPSNR)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=512, help="square input side of the small case (default 512)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per variant at --size (default 3)")
    ap.add_argument("--weights", default=str(DEFAULT_WEIGHTS), help="generator safetensors (+ .json card)")
    ap.add_argument("--skip-512", action="store_true", help="skip the --size case")
    ap.add_argument("--skip-12mp", action="store_true", help="skip the 12-megapixel case")
    ap.add_argument("--skip-12mp-fp32", action="store_true", help="12 MP: time only the fast path")
    ap.add_argument("--tile", type=int, default=512, help="tiled_generate tile at 12 MP (default 512)")
    ap.add_argument("--tile-sweep", default="", help="also time the fast path at 12 MP with these tiles, e.g. 256,1024")
    ap.add_argument("--all-variants", action="store_true", help="also time the intermediate variants at --size")
    ap.add_argument("--child", choices=("plain", "fast"), help=argparse.SUPPRESS)
    ap.add_argument("--image", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    torch.set_flush_denormal(True)   # denormals once made one fp32 run ~3x slower
    if args.child:
        child(args)
        return
    weights = Path(args.weights)
    load0 = os.getloadavg()[0]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    g, source = load(weights)
    fast = fast_cpu_generator(g)
    fpp = flops_per_pixel(g.config)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} logical CPUs; "
          f"generator {count_parameters(g):,} parameters, {fpp / 1e6:.3f} MFLOP/pixel; {source}")
    print(f"fast path on this CPU: {describe(fast)}")
    peak32, peak16 = mm_gflops(torch.float32), mm_gflops(torch.bfloat16)
    print(f"torch.mm 2048x2048: fp32 {peak32:.1f} GFLOP/s, bf16 {peak16:.1f} GFLOP/s "
          f"('/mm32' below = achieved conv GFLOP/s over the fp32 matmul rate)")
    if not args.skip_512:
        ratio = bench_512(g, fast, args.size, args.repeat, args.all_variants, fpp, peak32)
        print(f"fast path / plain fp32 at {args.size}x{args.size}: {ratio:.2f}x (same run)")
    if not args.skip_12mp:
        sweep = [int(t) for t in args.tile_sweep.split(",") if t.strip()]
        bench_12mp(weights, args.tile, not args.skip_12mp_fp32, sweep)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(f"\nload average (1 min) {load0:.1f} at start, {os.getloadavg()[0]:.1f} at end; this process "
          f"used {cpu / wall:.2f} CPU-seconds per second over {wall:.0f} s (child processes not counted)")


if __name__ == "__main__":
    main()
