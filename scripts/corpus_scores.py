"""Every default detector's score on every never-compressed crop of the training corpus, by scene.

    python scripts/corpus_scores.py [--corpus data/corpus] [--out runs/corpus-scores.csv] [--workers 2]

For each crop of the corpus's three parts and each side 64, 128 and 256, the crops a threshold
is fitted on (``scripts/calibrate_detectors.py``'s sub-crops: the 256 crop itself, its four
128 cells, every other of its sixteen 64 cells) are scored by every classical detector and by the
shipped CNN of that side at each quality. One CSV row per sub-crop: ``file, part, scene, size,
cell`` (the sub-crop's index in calibrate_detectors.py's order) and one column per detector
name. The scene column is what a threshold that must hold on *new scenes* needs
(:func:`jpegaf.metrics.calibrate_threshold_by_scene`): crops of one scene are not independent.

The test part is scored too, so that a threshold rule can be judged on it; nothing here fits
anything. 16 minutes on 2 cores (the classical detectors; the CNNs take 2).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from jpegaf.data.corpus import PROVENANCE, is_corpus
from jpegaf.detectors import classical_detectors
from jpegaf.detectors.cnn import CnnDetector
from jpegaf.imageio import atomic_write_bytes, read_image
from jpegaf.pretrained import shipped_detectors

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate_detectors import sub_crops  # noqa: E402 - the same sub-crops as the thresholds

SIZES = (64, 128, 256)


def cells(crop: np.ndarray, size: int) -> list[tuple[int, np.ndarray]]:
    """The sub-crops of side ``size`` that calibrate_detectors.py fits on, numbered in its order."""
    return list(enumerate(sub_crops([crop], size, checkerboard=size == 64)))


def classical_rows(path: str) -> list[tuple[int, int, dict[str, float]]]:
    """(size, cell, scores) of every classical detector on every sub-crop of one corpus crop."""
    crop = read_image(path)
    detectors = classical_detectors()
    return [(size, cell, {d.name: float(d.score(sub)) for d in detectors})
            for size in SIZES for cell, sub in cells(crop, size)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("data/corpus"))
    parser.add_argument("--out", type=Path, default=Path("runs/corpus-scores.csv"))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if not is_corpus(args.corpus):
        print(f"{args.corpus}: not a built corpus (run `make corpus`)", file=sys.stderr)
        return 2
    with open(args.corpus / PROVENANCE, newline="", encoding="utf-8") as f:
        crops = [(r["file"], r["part"], r["scene"]) for r in csv.DictReader(f)]
    start = time.perf_counter()
    paths = [str(args.corpus / file) for file, _, _ in crops]
    with ProcessPoolExecutor(args.workers) as pool:
        classical = list(pool.map(classical_rows, paths, chunksize=4))
    print(f"classical: {len(crops)} crops in {time.perf_counter() - start:.0f} s", flush=True)
    cnns = [CnnDetector.load(p) for p in shipped_detectors()]
    rows = []
    for (file, part, scene), path, per_crop in zip(crops, paths, classical):
        crop = read_image(path)
        for size in SIZES:
            subs = cells(crop, size)
            cnn_scores = {d.name: d.score_batch([s for _, s in subs]) for d in cnns if d.size == size}
            for k, (cell, _) in enumerate(subs):
                scores = next(sc for sz, c, sc in per_crop if sz == size and c == cell)
                row = {"file": file, "part": part, "scene": scene, "size": size, "cell": cell, **scores}
                row.update({name: float(v[k]) for name, v in cnn_scores.items()})
                rows.append(row)
    names = list(dict.fromkeys(k for r in rows for k in r))
    lines = [",".join(names)]
    lines += [",".join(str(r.get(k, "")) if not isinstance(r.get(k), float) else repr(r[k]) for k in names)
              for r in rows]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(args.out, ("\n".join(lines) + "\n").encode())
    print(f"wrote {args.out}: {len(rows)} rows in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
