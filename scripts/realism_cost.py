"""What it costs in PSNR to make the generator's estimate look like an original (issue 14): the
perception–distortion trade-off measured per DCT subband.

    python scripts/realism_cost.py --quality 25 [--size 256] [--n 40] [--ensemble 8]
        [--fractions S ...] [--detector RUN/detector.safetensors] [--json OUT]

The adaptive CNN separates the erase default's outputs from originals because they lack the fine
noise a never-compressed picture has (``adaptive-gan+lattice-light-d10x8-256-q25-40ep/``). Noise
that an estimator adds is independent of the original's, so it costs about its variance in MSE.
How much is that, at best? Blau & Michaeli (2018) and Freirich et al. (2021): the least MSE of an
estimator whose outputs are distributed as the originals is ``MMSE + W2²(p_X, p_X*)``, ``X*`` the
conditional mean. With the generator's estimate ``G`` in place of ``X*`` (an approximation: the
generator is not the exact conditional mean), and only the distribution of each block-DCT
coefficient required to match (a weaker requirement than realism, so a smaller cost), this script
measures on ``--n`` crops of the corpus's calibration part (``hybrid_stages.py``'s sample, central
``--size`` part, JPEG at ``--quality``; the erase policy's generators over ``--ensemble``
symmetries, projected onto the file's bins, unrounded):

- ``jpeg``, ``gan``: the MSE of the JPEG and of ``G`` against the original;
- ``bound``: ``MSE(G) + sum_k W2²(G_k, X_k) / 64``, each subband k's coefficients pooled over every
  block of every crop (the 1-D W2 by sorted matching; an orthonormal DCT, so 64 coefficients'
  squared errors are 64 pixels');
- ``pooled``: a real estimator of that kind: each coefficient of ``G`` mapped by its subband's
  monotone map from the pooled distribution of ``G_k`` onto the pooled one of ``X_k`` (the
  population's coefficient distributions, knowable from training data; here fit on the same crops);
- ``oracle``: each crop's own subband histograms of the original given (side information no real
  estimator has): ``G``'s coefficients, in each subband, replaced in rank order by the original's
  sorted values, so every per-image subband histogram is exactly the original's;
- ``oracle/2``: half way from ``G`` to ``oracle``;
- ``pooled xS`` for each S of ``--fractions``: ``G + S (pooled - G)``, the straight line from the
  estimate to its pooled transport (the perception–distortion front's estimators where the
  perception index is W2, Freirich et al.).

Printed: each estimator's PSNR gain over the JPEG (of the MSE pooled over crops, and the mean of
per-crop gains as the fronts report), then per frequency band u + v the originals' and the
generator's coefficient standard deviation and the W2² term. With ``--detector`` (an adaptive CNN,
e.g. ``runs/adaptive-light-long/gan+lattice-light-pretrained-256-q25-x8/detector.safetensors``),
also each estimator's AUC against the originals under it: whether matching every subband's
histogram is enough to pass an analyst who reads the noise floor. Selection figures (the
calibration part), for understanding the trade-off, not a method's figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from jpegaf.antiforensics.gan import ENSEMBLES, GanEraser
from jpegaf.antiforensics.hybrid import restored_luma_plane
from jpegaf.data import centre_crop_position, crop
from jpegaf.data.corpus import is_corpus
from jpegaf.detectors.cnn import CnnDetector
from jpegaf.imageio import read_image
from jpegaf.jpeg import compress, decompress, read_coefficients
from jpegaf.jpeg.dct import block_dct, block_idct, to_uint8
from jpegaf.metrics import roc_auc

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hybrid_stages import calibration_sample  # noqa: E402  (the same crops as hybrid_stages.py)
from stage_costs_by_crop import GENERATORS  # noqa: E402  (the erase policy's generators)

ESTIMATORS = ("jpeg", "gan", "pooled", "oracle/2", "oracle")

_ERASER: GanEraser | None = None


def crop_planes(path: Path, quality: int, size: int, ensemble: int) -> dict[str, np.ndarray]:
    """The original, the JPEG and the generator's unrounded estimate of one crop (float64 pixels)."""
    global _ERASER
    if _ERASER is None:  # one per worker process
        _ERASER = GanEraser(GENERATORS, ensemble=ensemble)
    x = read_image(path)
    x = crop(x, *centre_crop_position(*x.shape[:2], size), size)
    data = compress(x, quality)
    g = restored_luma_plane(_ERASER, read_coefficients(data), rounded=False)[:size, :size]
    return {"original": x.astype(np.float64), "jpeg": decompress(data).astype(np.float64), "gan": g}


def rank_replace(values: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """``targets``' sorted values put in the rank order of ``values`` (each 1-D, the same length):
    the monotone (W2-optimal) map of one empirical distribution onto the other."""
    out = np.empty_like(values)
    out[np.argsort(values, kind="stable")] = np.sort(targets)
    return out


def oracle_coefficients(g: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Block DCT ``g`` (bh, bw, 8, 8) with each subband's values replaced, in rank order, by those
    of ``x``'s same subband: every subband histogram becomes ``x``'s."""
    gb, xb = g.reshape(-1, 64), x.reshape(-1, 64)
    out = np.stack([rank_replace(gb[:, k], xb[:, k]) for k in range(64)], axis=1)
    return out.reshape(g.shape)


def pooled_maps(gs: list[np.ndarray], xs: list[np.ndarray], points: int = 4001):
    """Per subband, the monotone map from the pooled distribution of the generator's coefficients
    onto the originals' (as quantile tables), and the pooled W2² per subband."""
    g = np.concatenate([c.reshape(-1, 64) for c in gs])
    x = np.concatenate([c.reshape(-1, 64) for c in xs])
    w2 = np.mean((np.sort(g, axis=0) - np.sort(x, axis=0)) ** 2, axis=0)
    q = np.linspace(0.0, 1.0, points)
    return np.quantile(g, q, axis=0), np.quantile(x, q, axis=0), w2


def apply_pooled(g: np.ndarray, g_quantiles: np.ndarray, x_quantiles: np.ndarray) -> np.ndarray:
    """``g``'s coefficients through the pooled monotone maps of :func:`pooled_maps`."""
    gb = g.reshape(-1, 64)
    out = np.stack([np.interp(gb[:, k], g_quantiles[:, k], x_quantiles[:, k]) for k in range(64)], axis=1)
    return out.reshape(g.shape)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", type=int, choices=(25, 50, 75), required=True)
    ap.add_argument("--size", type=int, choices=(128, 256), default=256)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--ensemble", type=int, choices=ENSEMBLES, default=8)
    ap.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--detector", type=Path, help="an adaptive CNN to score every estimator with")
    ap.add_argument("--fractions", type=float, nargs="*", default=[],
                    help="also the estimators G + S (pooled - G) for these S")
    ap.add_argument("--json", type=Path, help="also write every crop's MSEs (and scores) here")
    args = ap.parse_args(argv)
    if not is_corpus(args.corpus):
        print(f"{args.corpus}: not a built corpus (run `make corpus`)", file=sys.stderr)
        return 2
    files = calibration_sample(args.corpus, args.n)
    with ProcessPoolExecutor(args.workers) as pool:
        planes = list(pool.map(crop_planes, files, [args.quality] * len(files), [args.size] * len(files),
                               [args.ensemble] * len(files)))
    xs = [block_dct(p["original"]) for p in planes]
    gs = [block_dct(p["gan"]) for p in planes]
    gq, xq, w2 = pooled_maps(gs, xs)
    detector = CnnDetector.load(args.detector) if args.detector else None

    rows = []
    for path, p, xc, gc in zip(files, planes, xs, gs):
        oracle = block_idct(oracle_coefficients(gc, xc))
        pooled = block_idct(apply_pooled(gc, gq, xq))
        images = {"jpeg": p["jpeg"], "gan": p["gan"], "pooled": pooled,
                  "oracle/2": 0.5 * (p["gan"] + oracle), "oracle": oracle,
                  **{f"pooled x{f:g}": p["gan"] + f * (pooled - p["gan"]) for f in args.fractions}}
        row = {"file": path.name, **{k: float(np.mean((v - p["original"]) ** 2)) for k, v in images.items()}}
        if detector is not None:
            row["scores"] = {k: detector.score(to_uint8(v)) for k, v in
                             {"original": p["original"], **images}.items()}
        rows.append(row)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))

    kept = [r for r in rows if r["jpeg"] > 0]  # a crop the JPEG gives back unchanged has no gain
    jpeg_mse = np.mean([r["jpeg"] for r in kept])
    bound = np.mean([r["gan"] for r in kept]) + w2.sum() / 64
    print(f"QF {args.quality}, {len(kept)} calibration crops of {args.size} px, ensemble {args.ensemble} "
          f"(JPEG MSE {jpeg_mse:.2f})\n")
    print("| estimator | PSNR gain, pooled MSE (dB) | mean of per-crop gains (dB) |" + (" AUC under the detector |" if detector else ""))
    print("|---|---|---|" + ("---|" if detector else ""))
    for name in ESTIMATORS[1:] + tuple(f"pooled x{f:g}" for f in args.fractions):
        pooled_gain = 10 * np.log10(jpeg_mse / np.mean([r[name] for r in kept]))
        per_crop = np.mean([10 * np.log10(r["jpeg"] / r[name]) for r in kept])
        auc = ""
        if detector is not None:
            auc = f" {roc_auc([r['scores']['original'] for r in rows], [r['scores'][name] for r in rows]):.3f} |"
        print(f"| {name} | {pooled_gain:+.2f} | {per_crop:+.2f} |{auc}")
    print(f"| bound (MSE(G) + pooled W2²) | {10 * np.log10(jpeg_mse / bound):+.2f} | |" + (" |" if detector else ""))
    if detector is not None:
        print(f"(the JPEG's AUC under the detector: "
              f"{roc_auc([r['scores']['original'] for r in rows], [r['scores']['jpeg'] for r in rows]):.3f})")

    x = np.concatenate([c.reshape(-1, 64) for c in xs])
    g = np.concatenate([c.reshape(-1, 64) for c in gs])
    band = np.add.outer(np.arange(8), np.arange(8)).ravel()
    print("\n| u + v | originals' std | generator's std | W2² (sum over the band's subbands) | MSE(G) (sum) |")
    print("|---|---|---|---|---|")
    for b in range(15):
        k = band == b
        print(f"| {b} | {np.sqrt(np.mean(x[:, k].var(axis=0))):.2f} | {np.sqrt(np.mean(g[:, k].var(axis=0))):.2f} "
              f"| {w2[k].sum():.2f} | {np.mean((x[:, k] - g[:, k]) ** 2, axis=0).sum():.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
