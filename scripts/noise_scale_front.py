"""What a stochastic generator's noise scale costs: PSNR gain over the JPEG against the spread of
its samples, at each scale, beside the deterministic generator it was started from (issue 14).

    python scripts/noise_scale_front.py --generator runs/stoch-q25/generator.safetensors \
        --source src/jpegaf/pretrained/antiforensic-d10-q25.safetensors --quality 25 \
        [--scales 0 0.25 0.5 0.75 1] [--size 256] [--n 16] [--corpus data/corpus]
    python scripts/noise_scale_front.py --generator G.safetensors --export 0.5 runs/stoch-q25-s05 \
        [--blend 0.35 --anchor src/jpegaf/pretrained/antiforensic-d10-q25.safetensors]

With ``--spectrum``, also the spread's variance per block-DCT subband at scale 1 (half the
variance of two samples' difference) over that of the residual the source leaves (original minus
the source's output): 1 everywhere for a sampler whose noise has the originals' spectrum.

The second form writes a copy of the weights whose model card records ``noise_scale`` (what
``jpegaf erase`` and the evaluation then use, :attr:`TrainedGenerator.noise_scale`) and, with
``--blend W --anchor A``, a blend: ``(1 - W)`` times the deterministic generator A's estimate
plus ``W`` times the sample (:attr:`TrainedGenerator.blend`; A is recorded relative to the new
card's folder, with its SHA-256), and exits.

On every tenth crop of the corpus's calibration part (the first ``--n``), top-left ``--size``
square, JPEG at ``--quality``; the generators run once (no ensemble, no projection, no later
stage), outputs rounded. Printed per scale: the mean PSNR gain of one sample (seed 1), the
standard deviation of the difference of two samples (seeds 1 and 2; a sample's own spread is
about 1/sqrt(2) of it), and of a sample's difference from the source's output; K_V^s of the
sample (mean, x 1000) and the median quality of its largest rise (the originals' on the row of
the source). Selection figures: the calibration part chooses a scale, it does not report one.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from jpegaf import jpeg  # noqa: E402
from jpegaf.antiforensics.gan import load_trained_generator, tiled_generate  # noqa: E402
from jpegaf.data.corpus import read_corpus_parts  # noqa: E402
from jpegaf.data.folder import load_luma  # noqa: E402
from jpegaf.detectors.tv import max_delta_tv_detrended  # noqa: E402
from jpegaf.jpeg.dct import block_dct  # noqa: E402
from jpegaf.metrics import psnr  # noqa: E402
from jpegaf.weights import export_model, file_sha256, load_generator  # noqa: E402


def rounded(grey: np.ndarray) -> np.ndarray:
    return np.clip(np.floor(grey + 0.5), 0, 255).astype(np.uint8)


def front(generator: str, source: str, quality: int, scales: list[float], size: int,
          files: list[Path]) -> list[dict[str, float]]:
    """One row per scale (and one for the source, scale None): mean PSNR gain, spreads."""
    stochastic = load_trained_generator(generator)
    deterministic = load_trained_generator(source)
    kvs = {s: [] for s in [None, *scales]}
    gains = {s: [] for s in scales}
    spreads = {s: [] for s in scales}
    offsets = {s: [] for s in scales}
    source_gains = []
    for path in files:
        img = load_luma(path)[:size, :size]
        decoded = jpeg.decompress(jpeg.compress(img, quality))
        base = psnr(img, decoded)
        ref = tiled_generate(deterministic.module, decoded, rounded=False)
        source_gains.append(psnr(img, rounded(ref)) - base)
        kvs[None].append(max_delta_tv_detrended(img))
        for s in scales:
            a, b = (tiled_generate(stochastic.module, decoded, rounded=False, seed=k, noise_scale=s) for k in (1, 2))
            gains[s].append(psnr(img, rounded(a)) - base)
            spreads[s].append(float(np.std(a - b)))
            offsets[s].append(float(np.std(a - ref)))
            kvs[s].append(max_delta_tv_detrended(rounded(a)))
    def kv(s):
        return {"kvs": 1000 * float(np.mean([r.score for r in kvs[s]])),
                "kvs_quality": float(np.median([r.quality for r in kvs[s]]))}

    rows = [{"scale": None, "psnr_gain": float(np.mean(source_gains)), "spread": 0.0, "from_source": 0.0, **kv(None)}]
    rows += [{"scale": s, "psnr_gain": float(np.mean(gains[s])), "spread": float(np.mean(spreads[s])),
              "from_source": float(np.mean(offsets[s])), **kv(s)} for s in scales]
    return rows


def subband_variance(a: np.ndarray) -> np.ndarray:
    """(8, 8) mean square of each block-DCT subband of a real (H, W) image (multiples of 8)."""
    return (block_dct(a + 128.0) ** 2).mean(axis=(0, 1))


def spectrum(generator: str, source: str, quality: int, size: int, files: list[Path]) -> np.ndarray:
    """(8, 8): the samples' spread variance over the source's residual variance, per subband."""
    stochastic = load_trained_generator(generator)
    deterministic = load_trained_generator(source)
    spread, residual = np.zeros((8, 8)), np.zeros((8, 8))
    for path in files:
        img = load_luma(path)[:size, :size]
        decoded = jpeg.decompress(jpeg.compress(img, quality))
        ref = tiled_generate(deterministic.module, decoded, rounded=False)
        a, b = (tiled_generate(stochastic.module, decoded, rounded=False, seed=k) for k in (1, 2))
        spread += subband_variance((a - b) / np.sqrt(2))
        residual += subband_variance(img - ref)
    return spread / residual


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--generator", required=True)
    ap.add_argument("--source", help="the deterministic generator it was started from")
    ap.add_argument("--quality", type=int, default=25)
    ap.add_argument("--scales", type=float, nargs="+", default=[0.0, 0.25, 0.5, 0.75, 1.0])
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--n", type=int, default=16)
    ap.add_argument("--corpus", type=Path, default=REPO / "data" / "corpus")
    ap.add_argument("--spectrum", action="store_true", help="also the spread's spectrum against the residual's")
    ap.add_argument("--export", nargs=2, metavar=("SCALE", "DIR"),
                    help="write DIR/generator.safetensors, a copy whose card records noise_scale SCALE")
    ap.add_argument("--blend", type=float, help="with --export: the sample's weight in a blend with --anchor")
    ap.add_argument("--anchor", type=Path, help="with --blend: the deterministic generator blended with")
    args = ap.parse_args()
    if args.export:
        scale, out = float(args.export[0]), Path(args.export[1])
        module, card = load_generator(args.generator)
        card = {**card, "noise_scale": scale, "noise_scale_of": str(args.generator)}
        out.mkdir(parents=True, exist_ok=True)
        if args.blend is not None:
            if args.anchor is None or not 0 < args.blend <= 1:
                ap.error("--blend needs a weight in (0, 1] and --anchor")
            card["blend"] = {"weight": args.blend, "anchor": os.path.relpath(args.anchor.resolve(), out.resolve()),
                             "anchor_sha256": file_sha256(args.anchor)}
        export_model(out / "generator.safetensors", module, card)
        print(f"{out / 'generator.safetensors'}: noise scale {scale:g}"
              + ("" if args.blend is None else f", blended {args.blend:g} with {args.anchor}"))
        return 0
    if not args.source:
        ap.error("--source is needed for the front")
    files = sorted(read_corpus_parts(args.corpus).calibration)[::10][:args.n]
    print(f"{len(files)} calibration crops, {args.size} px, QF {args.quality}; one pass, rounded")
    print("| noise scale | PSNR gain (dB) | spread of two samples (grey levels) | sample vs source "
          "| K_V^s x 1000 (its quality) |")
    print("|---|---|---|---|---|")
    for row in front(args.generator, args.source, args.quality, args.scales, args.size, files):
        label = "source (deterministic); K_V^s: the originals'" if row["scale"] is None else f"{row['scale']:g}"
        print(f"| {label} | {row['psnr_gain']:+.2f} | {row['spread']:.2f} | {row['from_source']:.2f} "
              f"| {row['kvs']:.0f} ({row['kvs_quality']:.0f}) |")
    if args.spectrum:
        ratio = spectrum(args.generator, args.source, args.quality, args.size, files)
        print("\nspread variance / residual variance per subband (rows u: vertical frequency)")
        for u in range(8):
            print(" ".join(f"{r:5.2f}" for r in ratio[u]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
