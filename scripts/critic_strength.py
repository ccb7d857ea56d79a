"""How hard gan+lattice's critic steps should push: the 256-px CNN detectors are the worst of the
held-out table at QF 50 and 75 (18 % / 22 % of ``make demo``'s crops,
``results/antiforensic/front-lattice.md``) while the critic steps cost about 0.1 dB; this measures
what stronger or weaker steps buy (issue 14).

    python scripts/critic_strength.py --quality 75 [--settings shipped t0.25 ...] [--others 23]
        [--corpus data/corpus] [--workers 2]

Crops: the 25 calibration photographs that the critics never saw (their
``results/antiforensic/critics-split.json`` ``held_out`` part, which also chose the erase
policy) and ``--others`` of the 135 they were trained on (evenly spaced); both are reported
apart, since the critic knows the second group. Each 256-px crop is compressed at ``--quality``,
restored by the shipped generator, unrounded, and its coefficient histograms smoothed as
gan+lattice does (:func:`jpegaf.antiforensics.lattice.smooth_lattice`); then gan+lattice's
remaining stages (:func:`jpegaf.antiforensics.hybrid.targeted_stages`) run with each critic
setting. Printed per setting and group (first the originals: false positives): mean PSNR and SSIM
gain over the JPEG, the share of outputs called JPEG by the shipped CNN-256 and CNN-64 (central
crop) of the quality and by every classical detector at its shipped 256-px threshold (worst
named), and the share whose largest critic tile logit stays above the shipped target (half the
critic's threshold).

Settings (``critic_steps`` arguments; ``shipped`` is gan+lattice as it is): ``none`` (no critic
steps: gan+lattice's stages without the critic), ``shipped`` (target half the critic's
threshold, 10 steps, max shift 2; checked equal to gan+lattice's stages on the first crop),
``t0.25`` (target a quarter, 20 steps), ``t0.25-s3`` (and max shift 3), ``t0.1-s3`` (a
tenth, 30 steps, max shift 3), ``share0.1`` (shipped, 10 % of pixels a step).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from jpegaf.antiforensics.gan import GanEraser
from jpegaf.antiforensics.borders import match_corner_differences, smooth_block_borders
from jpegaf.antiforensics.critic import TARGET_FRACTION, critic_steps, tile_origins
from jpegaf.antiforensics.fan import de_calibrate
from jpegaf.antiforensics.hybrid import TARGETED_DECAL_STEP, restored_luma_plane, targeted_stages
from jpegaf.antiforensics.lattice import smooth_lattice
from jpegaf.data.corpus import is_corpus
from jpegaf.detectors import calibration_for, classical_detectors, load_calibrations, verdict
from jpegaf.detectors.base import DEFAULT_CALIBRATIONS
from jpegaf.detectors.cnn import CnnDetector
from jpegaf.imageio import read_image
from jpegaf.jpeg import compress, decompress, read_coefficients
from jpegaf.metrics import psnr, ssim
from jpegaf.pretrained import PRETRAINED_DIR, shipped_critics, shipped_generators

REPO = Path(__file__).resolve().parent.parent
SIZE = 256
#: name -> critic_steps keyword arguments (None: no critic steps).
SETTINGS: dict[str, dict | None] = {
    "none": None,
    "shipped": {},
    "t0.25": {"target_fraction": 0.25, "steps": 20},
    "t0.25-s3": {"target_fraction": 0.25, "steps": 20, "max_shift": 3},
    "t0.1-s3": {"target_fraction": 0.1, "steps": 30, "max_shift": 3},
    "share0.1": {"share": 0.1},
}

_STATE: dict = {}


def _state(quality: int) -> dict:
    """Per worker: the generator, the critic and the judging CNNs (loaded once)."""
    if not _STATE:
        _STATE["eraser"] = GanEraser(shipped_generators())
        _STATE["critic"] = CnnDetector.load(shipped_critics()[quality])
        _STATE["cnn256"] = CnnDetector.load(PRETRAINED_DIR / f"detector-256-q{quality}.safetensors")
        _STATE["cnn64"] = CnnDetector.load(PRETRAINED_DIR / f"detector-64-q{quality}.safetensors")
        _STATE["classical"] = classical_detectors()
    return _STATE


def stages(x: np.ndarray, rng: np.random.Generator, critic: CnnDetector, settings: dict | None) -> np.ndarray:
    """:func:`jpegaf.antiforensics.hybrid.targeted_stages` with these critic-step settings (its
    steps written out here; ``shipped`` gives its output exactly, which :func:`check` asserts)."""
    x = np.clip(np.floor(x + 0.5), 0.0, 255.0)
    x = de_calibrate(x, step=TARGETED_DECAL_STEP)
    x = smooth_block_borders(match_corner_differences(x, rng))
    if settings is not None:
        kw = dict(settings)
        fraction = kw.pop("target_fraction", TARGET_FRACTION)
        x = critic_steps(x, critic, target=critic.threshold * fraction, **kw)
    return de_calibrate(x, step=TARGETED_DECAL_STEP)


def check(path: Path, quality: int) -> None:
    """Raises unless ``stages`` with the shipped settings is gan+lattice's stages on this crop."""
    s = _state(quality)
    coefs = read_coefficients(compress(read_image(path), quality))
    raw = restored_luma_plane(s["eraser"], coefs, rounded=False)
    ours, theirs = (np.random.default_rng(0) for _ in range(2))
    a = stages(smooth_lattice(raw, coefs.coef[0], ours), ours, s["critic"], SETTINGS["shipped"])
    b = targeted_stages(smooth_lattice(raw, coefs.coef[0], theirs), theirs, s["critic"])
    if not np.array_equal(a, b):
        raise AssertionError(f"{path}: the script's stages differ from targeted_stages")


def _critic_logit_max(x: np.ndarray, critic: CnnDetector) -> float:
    """The critic's largest tile logit on a plane (the quantity critic steps push down)."""
    import torch

    rows, cols = tile_origins(x.shape[0], critic.size), tile_origins(x.shape[1], critic.size)
    t = torch.tensor(x / 127.5 - 1.0, dtype=torch.float32)
    tiles = torch.stack([t[r:r + critic.size, c:c + critic.size] for r in rows for c in cols])[:, None]
    with torch.no_grad():
        return float(critic.model.eval()(tiles).max())


def measure(path: Path, quality: int, names: tuple[str, ...]) -> dict:
    """Every setting's output of one crop, scored."""
    s = _state(quality)
    x = read_image(path)
    data = compress(x, quality)
    coefs = read_coefficients(data)
    jpeg = decompress(data)
    raw = restored_luma_plane(s["eraser"], coefs, rounded=False)
    rows = {}
    for name in ("original", "jpeg", *names):
        if name == "original":
            y = x
        elif name == "jpeg":
            y = jpeg
        else:
            rng = np.random.default_rng(0)
            y = stages(smooth_lattice(raw, coefs.coef[0], rng), rng, s["critic"], SETTINGS[name])
            y = np.clip(np.floor(y + 0.5), 0, 255).astype(np.uint8)[:SIZE, :SIZE]
        c = (SIZE - 64) // 2
        row = {"psnr": psnr(x, y), "ssim": ssim(x, y), "CNN-256": s["cnn256"].score(y),
               "CNN-64": s["cnn64"].score(y[c:c + 64, c:c + 64]),
               "critic_logit": _critic_logit_max(y.astype(np.float64), s["critic"])}
        for det in s["classical"]:
            row[det.name] = det.score(y)
        rows[name] = row
    return {"file": path.name, "rows": rows}


def summary(results: list[dict], names: tuple[str, ...], quality: int) -> list[str]:
    """Markdown lines: one table row per setting."""
    cals = load_calibrations(DEFAULT_CALIBRATIONS)
    critic = CnnDetector.load(shipped_critics()[quality])
    cnn256 = CnnDetector.load(PRETRAINED_DIR / f"detector-256-q{quality}.safetensors")
    cnn64 = CnnDetector.load(PRETRAINED_DIR / f"detector-64-q{quality}.safetensors")
    thresholds = {"CNN-256": cnn256.threshold, "CNN-64": cnn64.threshold}
    for det in classical_detectors():
        thresholds[det.name] = calibration_for(cals, det.name, SIZE).threshold
    detectors = list(thresholds)
    lines = ["| setting | n | PSNR gain | SSIM gain | worst | " + " | ".join(detectors) + " | critic above target |",
             "|---" * (len(detectors) + 6) + "|"]
    for name in ("original", *names):
        n = len(results)
        gain = np.mean([r["rows"][name]["psnr"] - r["rows"]["jpeg"]["psnr"] for r in results])
        sgain = np.mean([r["rows"][name]["ssim"] - r["rows"]["jpeg"]["ssim"] for r in results])
        rates = {d: np.mean([r["rows"][name][d] > thresholds[d] for r in results]) for d in detectors}
        worst = max(rates, key=rates.get)
        target = np.log(critic.threshold * 0.5 / (1 - critic.threshold * 0.5))
        above = np.mean([r["rows"][name]["critic_logit"] > target for r in results])
        gains = "| |" if name == "original" else f"{gain:+.2f} | {sgain:+.4f} |"
        lines.append(f"| {name} | {n} | {gains} {rates[worst]:.0%} ({worst}) | "
                     + " | ".join(f"{rates[d]:.0%}" for d in detectors) + f" | {above:.0%} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", type=int, choices=(25, 50, 75), required=True)
    ap.add_argument("--settings", nargs="+", default=list(SETTINGS), choices=list(SETTINGS))
    ap.add_argument("--others", type=int, default=23)
    ap.add_argument("--corpus", type=Path, default=REPO / "data" / "corpus")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    if not is_corpus(args.corpus):
        print(f"{args.corpus}: not a built corpus (run `make corpus`)", file=sys.stderr)
        return 2
    split = json.loads((REPO / "results" / "antiforensic" / "critics-split.json").read_text())
    held = [REPO / p for p in split["held_out"]]
    trained = [REPO / p for p in split["train"]]
    others = trained[::max(1, len(trained) // max(1, args.others))][:args.others]
    names = tuple(args.settings)
    start = time.perf_counter()
    check(held[0], args.quality)
    _STATE.clear()  # the workers load their own
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(measure, held + others, [args.quality] * (len(held) + len(others)),
                                [names] * (len(held) + len(others))))
    print(f"QF {args.quality}, {len(held) + len(others)} calibration crops of {SIZE} px, "
          f"{time.perf_counter() - start:.0f} s")
    for title, group in (("critic never saw", results[:len(held)]), ("critic trained on", results[len(held):])):
        if group:
            print(f"\n{title} ({len(group)}):\n")
            print("\n".join(summary(group, names, args.quality)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
