"""Independent check that no crop of a built corpus is JPEG-like (numpy, scipy and Pillow only).

Usage: ``python scripts/verify_corpus.py DIR``  (DIR made by ``jpegaf data build-corpus``)

Nothing is imported from ``jpegaf``: both measures are written here from scratch, so this is a
second opinion on the builder's own vetting (``jpegaf.detectors``), not a re-run of it.

Measures (on 8-bit gray crops; any size >= 64x64):

1. Blocking ``B``. Horizontal: the mean over rows of |x[:, p+1] - x[:, p]| gives a profile over
   the column boundaries p; its mean over the boundaries of each phase p = k (mod 8), k = 0..7,
   divided by the median of those 8 phase means, is the phase ratio; the direction's score is
   the largest phase ratio. Vertical likewise on rows. B = geometric mean of the two directions'
   scores (JPEG's block grid is there in both directions, so the mean halves the noise of a
   single one). B is 1 on a crop with no 8-periodic edge structure, larger with JPEG blocking.
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
quality 50, 75, 90) and decoding. Threshold per measure: if the JPEG reference minimum exceeds the
clean maximum, their geometric mean (midway on a log scale); otherwise the clean maximum, and the
share of JPEG references above it is printed per quality. A corpus crop is flagged if a score
exceeds the threshold. Exit status 0 when no crop is flagged, 1 otherwise (2 on bad input).
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
    """8-bit luma as float64: gray kept, RGB via BT.601 (0.299, 0.587, 0.114) and rounded."""
    if img.mode in ("L", "I;16", "I", "F"):
        return np.asarray(img.convert("L"), dtype=np.float64)
    rgb = np.asarray(img.convert("RGB"), dtype=np.float64)
    return np.clip(np.round(rgb @ np.array([0.299, 0.587, 0.114])), 0, 255)


def phase_ratio(profile: np.ndarray) -> float:
    """Largest of the 8 phase means of a boundary profile over their median."""
    n = len(profile) // 8 * 8
    means = profile[:n].reshape(-1, 8).mean(axis=0)
    return float(means.max() / max(np.median(means), 1e-9))


def blocking_score(x: np.ndarray) -> float:
    """Measure 1, B: geometric mean of the horizontal and vertical best-phase ratios."""
    horiz = phase_ratio(np.abs(np.diff(x, axis=1)).mean(axis=0))
    vert = phase_ratio(np.abs(np.diff(x, axis=0)).mean(axis=1))
    return float(np.sqrt(horiz * vert))


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
        gray = Image.fromarray(full.astype(np.uint8), mode="L")
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
        cmax, jmin = ref_clean[:, m].max(), all_jpeg[:, m].min()
        print(f"\n{name}\n  clean      {fmt(ref_clean[:, m])}")
        for q in QUALITIES:
            print(f"  JPEG q{q:<3}  {fmt(ref_jpeg[q][:, m])}")
        if jmin > cmax:
            thr = float(np.sqrt(cmax * jmin))
            print(f"  separated: threshold {thr:.3f} = geometric mean of clean max and JPEG min")
        else:
            thr = float(cmax)
            print(f"  NOT separated: threshold {thr:.3f} = clean max; JPEG crops above it: "
                  + ", ".join(f"q{q} {np.mean(ref_jpeg[q][:, m] > thr):.0%}" for q in QUALITIES))
        thresholds.append(thr)

    crops = corpus_crops(root)
    got = np.array([scores(to_luma(Image.open(root / name))) for name, _ in crops])
    routes = np.array([route for _, route in crops])
    print(f"\ncorpus {root}: {len(crops)} crops")
    for route in sorted(set(routes)):
        sel = routes == route
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
