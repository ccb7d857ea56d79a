"""Independent check that no crop of a built corpus is JPEG-like (numpy, scipy and Pillow only).

Usage: ``python scripts/verify_corpus.py DIR``  (DIR made by ``jpegaf data build-corpus``)

Nothing is imported from ``jpegaf``: both measures are written here from scratch, so this is a
second opinion on the builder's own vetting (``jpegaf.detectors``), not a re-run of it.

Measures (on 8-bit gray crops of any size from 32x32; the corpus has 256x256):

1. Blocking ``B`` (8-periodic peaks of the first difference, voted locally). Horizontal: in
   every row, a column boundary p (between pixels p and p+1) is a peak when |x[p+1] - x[p]| is
   strictly larger than at the 2 boundaries on each side of it. The crop is cut into cells of
   8 rows x 8 boundaries (whole periods only, so every phase has as many cells); a cell votes
   for phase k (0..7) when it holds more peaks at boundary p = k (mod 8) than at k + 4, half a
   block away, and against it when fewer. A JPEG grid wins the vote of its phase in most cells.
   The direction's score is the largest sign-test z over k: (wins - losses) / sqrt(wins +
   losses + 1). Vertical likewise on columns. B = (z_horizontal + z_vertical) / sqrt(2) (the
   grid is there in both directions); about 2 on clean crops. This departs from the plain "mean
   |diff| at the best phase / median of the 8 phases", which did not separate even quality 50
   from clean on these references: a few strong edges dominate a mean (here a peak is one vote
   and a cell one vote, so a long straight edge counts once per cell, not 256 times), and a
   period-2 pattern (Bayer demosaicing, interlace: the 29_basketball sample) lifts half of the
   phases, whereas phase k against k + 4 cancels any period-2 or period-4 structure.
2. Quantization lattice ``L``. The crop minus 128 is cut into 8x8 blocks at each of the 64 grid
   offsets (dy, dx) (the same number of blocks, floor((H-7)/8) x floor((W-7)/8), at every
   offset) and each block gets the orthonormal 2-D DCT-II. For each IJG standard luminance table
   at quality 50, 75 and 90 (Annex K table, IJG scaling, computed below), over the AC subbands
   with step q >= 2, the coefficients with |c| >= q/2 (those a JPEG would not zero) are taken, and
   the share of them within 0.1 q of a multiple of q is counted (0.2 expected by chance, near 1
   after JPEG with that table: decoding rounds pixels, which moves a coefficient by ~0.3). Per
   table: z = (share at the best offset - median share over the other 63) / spread, spread =
   1.4826 MAD of the other 63, floored at the binomial standard error of the median share.
   L = the largest z over the three tables.

Calibration, made here: the bundled never-compressed samples (src/jpegaf/samples/*.png, luma
via BT.601 if RGB) are cut into 256x256 crops (whole image along a side shorter than 256; crop
origins shifted by a few pixels so the JPEG grid falls at different phases); clean reference =
these crops; JPEG reference = the same crops cut from the whole sample after Pillow JPEG (gray,
quality 50, 75, 90) and decoding. A quality is "separated" by a measure when all its JPEG
references score above the largest clean score. Threshold per measure: the geometric mean (midway
on a log scale) of the clean maximum and the lowest JPEG minimum among the separated qualities
(the clean maximum if none is separated); the share of JPEG references above it is printed per
quality. A corpus crop is flagged by a measure when it scores above that threshold. Exit status 0
when no crop is flagged, 1 otherwise (2 on bad usage). Deterministic; 1-2 minutes for ~440 crops (single-threaded).
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image
from scipy.fft import dctn

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "jpegaf" / "samples"
QUALITIES = (50, 75, 90)
CROP = 256
TOL = 0.1  # lattice tolerance, in steps
ANNEX_K_LUMA = np.array([
    [16, 11, 10, 16, 24, 40, 51, 61], [12, 12, 14, 19, 26, 58, 60, 55],
    [14, 13, 16, 24, 40, 57, 69, 56], [14, 17, 22, 29, 51, 87, 80, 62],
    [18, 22, 37, 56, 68, 109, 103, 77], [24, 35, 55, 64, 81, 104, 113, 92],
    [49, 64, 78, 87, 103, 121, 120, 101], [72, 92, 95, 98, 112, 100, 103, 99]], dtype=np.int64)


def ijg_table(quality: int) -> np.ndarray:
    """IJG-scaled standard luminance table: (8, 8) int steps in [1, 255]."""
    scale = 5000 // quality if quality < 50 else 200 - 2 * quality
    return np.clip((ANNEX_K_LUMA * scale + 50) // 100, 1, 255)


TABLES = [ijg_table(q) for q in QUALITIES]


def to_luma(img: Image.Image) -> np.ndarray:
    """8-bit luma as float64: gray kept, else RGB via BT.601 (0.299, 0.587, 0.114), rounded."""
    if img.mode == "L":
        return np.asarray(img.convert("L"), dtype=np.float64)
    rgb = np.asarray(img.convert("RGB"), dtype=np.float64)
    return np.clip(np.round(rgb @ np.array([0.299, 0.587, 0.114])), 0, 255)


def direction_z(x: np.ndarray) -> float:
    """Best-phase sign-test z of first-difference peaks at column boundaries, voted per cell."""
    d = np.abs(np.diff(x, axis=1))  # d[:, p]: boundary p, between columns p and p + 1
    w = d.shape[1]
    centre = d[:, 2:w - 2]  # boundaries p = 2 .. w - 3
    peak = (centre > d[:, 1:w - 3]) & (centre > d[:, 3:w - 1])
    peak &= (centre > d[:, 0:w - 4]) & (centre > d[:, 4:w])
    peak = peak[:, 8 - 2:8 * ((w - 2) // 8) - 2]  # boundaries 8 .. whole periods, phase = p % 8
    h = x.shape[0] // 8 * 8
    cells = peak[:h].reshape(h // 8, 8, -1, 8).sum(axis=1)  # (row strip, period, phase)
    diff = cells - np.roll(cells, 4, axis=2)  # phase k against phase k + 4 in the same cell
    wins, losses = (diff > 0).sum(axis=(0, 1)), (diff < 0).sum(axis=(0, 1))
    return float(((wins - losses) / np.sqrt(wins + losses + 1)).max())


def blocking_score(x: np.ndarray) -> float:
    """Measure 1, B: horizontal and vertical z, summed and divided by sqrt(2)."""
    return (direction_z(x) + direction_z(x.T)) / np.sqrt(2)


def lattice_score(x: np.ndarray) -> float:
    """Measure 2, L: best-offset robust z of the lattice share, largest over the three tables."""
    nby, nbx = (x.shape[0] - 7) // 8, (x.shape[1] - 7) // 8
    centred = x - 128.0
    shares = np.zeros((len(TABLES), 64))
    counts = np.zeros((len(TABLES), 64))
    for off in range(64):
        dy, dx = divmod(off, 8)
        blocks = centred[dy:dy + 8 * nby, dx:dx + 8 * nbx].reshape(nby, 8, nbx, 8)
        coefs = dctn(blocks, axes=(1, 3), norm="ortho").transpose(1, 3, 0, 2).reshape(8, 8, -1)
        for t, table in enumerate(TABLES):
            use = table >= 2
            use[0, 0] = False  # AC only
            c = coefs[use] / table[use][:, None]
            big = np.abs(c) >= 0.5
            near = np.abs(c - np.round(c)) <= TOL
            counts[t, off] = big.sum()
            shares[t, off] = (near & big).sum() / max(big.sum(), 1)
    best = 0.0
    for t in range(len(TABLES)):
        k = int(np.argmax(shares[t]))
        others = np.delete(shares[t], k)
        med = np.median(others)
        n = max(np.median(np.delete(counts[t], k)), 1.0)
        spread = max(1.4826 * np.median(np.abs(others - med)), np.sqrt(med * (1 - med) / n), 1e-6)
        best = max(best, (shares[t, k] - med) / spread)
    return float(best)


def scores(x: np.ndarray) -> tuple[float, float]:
    return blocking_score(x), lattice_score(x)


def origins(size: int, shift: int) -> list[int]:
    """Crop origins along one side: one crop if shorter than 2 crops, else near each end."""
    if size < CROP:
        return [0]
    return sorted({min(shift, size - CROP), size - CROP})


def reference_crops() -> tuple[list[np.ndarray], dict[int, list[np.ndarray]]]:
    """Clean crops of the bundled samples, and the same crops after JPEG at each quality."""
    clean, jpeg = [], {q: [] for q in QUALITIES}
    for i, path in enumerate(sorted(SAMPLES.glob("*.png"))):
        full = to_luma(Image.open(path))
        gray = Image.fromarray(full.astype(np.uint8))  # 2-D uint8: mode L
        decoded = {}
        for q in QUALITIES:
            buf = io.BytesIO()
            gray.save(buf, "JPEG", quality=q)
            decoded[q] = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"), np.float64)
        h, w = full.shape
        for y in origins(h, (3 * i + 1) % 8):
            for x in origins(w, (5 * i + 2) % 8):
                window = (slice(y, y + min(CROP, h)), slice(x, x + min(CROP, w)))
                clean.append(full[window])
                for q in QUALITIES:
                    jpeg[q].append(decoded[q][window])
    return clean, jpeg


def corpus_crops(root: Path) -> list[tuple[str, str]]:
    """(file, route) for every crop listed in PROVENANCE.csv, plus any PNG there but not listed."""
    with open(root / "PROVENANCE.csv", newline="") as f:
        rows = [(r["file"], r["route"]) for r in csv.DictReader(f)]
    listed = {name for name, _ in rows}
    extra = sorted(str(p.relative_to(root)) for part in ("train", "calibration", "test")
                   for p in (root / part).glob("*.png") if str(p.relative_to(root)) not in listed)
    return rows + [(name, "NOT IN PROVENANCE.csv") for name in extra]


def fmt(values) -> str:
    v = np.asarray(values)
    return f"min {v.min():8.3f}  median {np.median(v):8.3f}  max {v.max():8.3f}"


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not (Path(argv[1]) / "PROVENANCE.csv").is_file():
        print(__doc__.split("\n\n")[1])
        return 2
    root = Path(argv[1])
    names = ("blocking B", "lattice L")

    clean, jpeg = reference_crops()
    ref_clean = np.array([scores(x) for x in clean])
    ref_jpeg = {q: np.array([scores(x) for x in jpeg[q]]) for q in QUALITIES}
    all_jpeg = np.concatenate([ref_jpeg[q] for q in QUALITIES])
    print(f"references: {len(clean)} clean crops of {len(list(SAMPLES.glob('*.png')))} samples, "
          f"{len(all_jpeg)} JPEG crops (qualities {', '.join(map(str, QUALITIES))})")

    thresholds = []
    for m, name in enumerate(names):
        cmax = ref_clean[:, m].max()
        print(f"\n{name}\n  clean      {fmt(ref_clean[:, m])}")
        for q in QUALITIES:
            print(f"  JPEG q{q:<3}  {fmt(ref_jpeg[q][:, m])}")
        separated = [q for q in QUALITIES if ref_jpeg[q][:, m].min() > cmax]
        if separated:
            jmin = min(ref_jpeg[q][:, m].min() for q in separated)
            thr = float(np.sqrt(cmax * jmin))
            how = f"geometric mean of clean max and JPEG min over q{', q'.join(map(str, separated))}"
        else:
            thr, how = float(cmax), "clean max"
        print(f"  qualities separated from clean: {separated or 'NONE'}")
        print(f"  threshold {thr:.3f} = {how}; JPEG references above it: "
              + ", ".join(f"q{q} {np.mean(ref_jpeg[q][:, m] > thr):.0%}" for q in QUALITIES))
        thresholds.append(thr)

    crops = corpus_crops(root)
    got = np.array([scores(to_luma(Image.open(root / name))) for name, _ in crops])
    routes = [route for _, route in crops]
    print(f"\ncorpus {root}: {len(crops)} crops")
    for route in sorted(set(routes)):
        sel = np.array([r == route for r in routes])
        print(f"  route {route!r}: {sel.sum()} crops")
        for m, name in enumerate(names):
            print(f"    {name:<11} median {np.median(got[sel, m]):8.3f}  max {got[sel, m].max():8.3f}")

    flagged_any = np.zeros(len(crops), dtype=bool)
    for m, name in enumerate(names):
        flagged = got[:, m] > thresholds[m]
        flagged_any |= flagged
        print(f"\n{name}: {flagged.sum()} of {len(crops)} crops flagged (> {thresholds[m]:.3f})")
        for i in np.flatnonzero(flagged):
            print(f"  {crops[i][0]}  {got[i, m]:.3f}  ({crops[i][1]})")
    print(f"\n{'FAIL' if flagged_any.any() else 'OK'}: {flagged_any.sum()} crops flagged")
    return int(flagged_any.any())


if __name__ == "__main__":
    sys.exit(main(sys.argv))
