"""Run `jpegaf detect` as a user would on never-compressed photographs the project has never seen.

    python scripts/measure_unseen.py DIR [--out results/unseen] [--qualities 25 50 75]

DIR holds gray or colour lossless images (e.g. the output of ``scripts/unseen_sources.py``, which
fetches photographs from registry packages that neither the bundled samples nor the corpus use).
The script calls the installed ``jpegaf detect --json --detectors all`` (every detector it runs by
default: the classical ones but the published K_F and K_V and the shipped CNNs that fit the image,
and K_F and K_V themselves, reported beside them and marked as not in the default) on the originals, then on their JPEGs at
each quality (made with ``jpegaf compress``, the pinned libjpeg), and prints:

* per detector, how many originals it calls "JPEG" at its own shipped threshold, with a 95%
  Clopper-Pearson interval, against issue 12's bound of 15% (which applies to the default ones);
* per CNN and quality, the ROC AUC of originals vs their JPEGs (the bound: a default CNN of each
  quality at >= 0.95), and the share of JPEGs it detects.

It writes ``scores.csv`` (one row per file and detector) and ``summary.md`` into --out.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from jpegaf.detectors import classical_detectors, select_detectors  # noqa: E402
from jpegaf.metrics import rate_interval, roc_auc  # noqa: E402

LOSSLESS = (".png", ".pgm", ".ppm", ".tif", ".tiff", ".bmp")
MAX_FPR = 0.15  # issue 12: each default detector flags at most 15% of unseen originals
MIN_AUC = 0.95  # issue 12: a default CNN per quality separates originals from JPEGs


def jpegaf(*args: str) -> str:
    """Run the installed command line (the venv's, beside this interpreter) and return stdout."""
    exe = Path(sys.executable).with_name("jpegaf")
    proc = subprocess.run([str(exe), *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"jpegaf {' '.join(args[:3])} ...: exit {proc.returncode}: {proc.stderr.strip()}")
    return proc.stdout


def detect(files: list[Path]) -> dict[str, dict[str, dict]]:
    """{file name: {detector: its JSON row}} from one `jpegaf detect --json` call."""
    out: dict[str, dict[str, dict]] = {}
    for line in jpegaf("detect", "--json", "--detectors", "all", *map(str, files)).splitlines():
        r = json.loads(line)
        out[Path(r["file"]).stem] = {d["detector"]: d for d in r["detectors"]}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--out", type=Path, default=REPO / "results" / "unseen")
    ap.add_argument("--qualities", type=int, nargs="+", default=[25, 50, 75])
    ap.add_argument("--exclude", nargs="+", default=[], metavar="STEM",
                    help="leave out these images (file names without suffix)")
    args = ap.parse_args(argv)
    files = sorted(p for p in args.data.iterdir()
                   if p.suffix.lower() in LOSSLESS and p.stem not in args.exclude)
    if not files:
        raise SystemExit(f"{args.data}: no lossless images")

    originals = detect(files)
    jpegs: dict[int, dict[str, dict[str, dict]]] = {}
    tmp = Path(tempfile.mkdtemp(prefix="unseen-jpeg-"))
    try:
        for q in args.qualities:
            made = []
            for f in files:
                target = tmp / f"q{q}" / f"{f.stem}.jpg"
                target.parent.mkdir(exist_ok=True)
                jpegaf("compress", str(f), "-q", str(q), "--gray", "-o", str(target))
                made.append(target)
            jpegs[q] = detect(made)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    names = list(next(iter(originals.values())))
    # classical detectors `jpegaf detect` leaves out by default (the published K_F and K_V); every CNN is in
    classical = classical_detectors()
    not_default = {d.name for d in classical} - {d.name for d in select_detectors(classical, "default")}
    n = len(files)
    lines = [f"# `jpegaf detect` on {n} unseen never-compressed photographs ({args.data})", "",
             "Left out: " + (", ".join(args.exclude) if args.exclude else "none"), "",
             f"Each detector at its own shipped threshold; bound: at most {MAX_FPR:.0%} of originals "
             "called JPEG, for each detector `jpegaf detect` runs by default "
             f"({', '.join(sorted(not_default)) or 'none'}: not in the default, reported beside them).", "",
             "| detector | originals called JPEG | rate | 95% CI | within bound |", "|---|---|---|---|---|"]
    worst = 0.0
    for name in names:
        verdicts = [originals[f.stem][name]["verdict"] for f in files]
        k = sum(v == "JPEG" for v in verdicts)
        lo, hi = rate_interval(k, n)
        within = "yes" if k / n <= MAX_FPR else "NO"
        if name in not_default:
            within = f"not in the default ({within.lower()})"
        else:
            worst = max(worst, k / n)
        lines.append(f"| {name} | {k} of {n} | {100 * k / n:.1f}% | {100 * lo:.1f}–{100 * hi:.1f}% | {within} |")
    lines += ["", f"AUC of originals vs their JPEGs (bound for a CNN of the JPEG's own quality: >= {MIN_AUC}), "
              "and the share of JPEGs called JPEG at the threshold.", "",
              "| detector | " + " | ".join(f"QF {q} AUC | QF {q} detected" for q in args.qualities) + " |",
              "|---|" + "---|---|" * len(args.qualities)]
    matched = {}
    for name in names:
        cells = []
        for q in args.qualities:
            neg = [originals[f.stem][name]["score"] for f in files]
            pos = [jpegs[q][f.stem][name]["score"] for f in files]
            auc = roc_auc(neg, pos)
            hit = sum(jpegs[q][f.stem][name]["verdict"] == "JPEG" for f in files)
            cells += [f"{auc:.3f}", f"{hit} of {n}"]
            if name.startswith("CNN-") and name.endswith(f"-q{q}"):
                matched.setdefault(q, []).append((name, auc))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Default CNNs of each quality on their own quality's JPEGs:", ""]
    for q in args.qualities:
        got = matched.get(q, [])
        best = max(got, key=lambda x: x[1]) if got else None
        lines.append(f"- QF {q}: " + (", ".join(f"{m} AUC {a:.3f}" for m, a in got) or "no shipped CNN")
                     + (f" — best {best[0]} {'meets' if best[1] >= MIN_AUC else 'MISSES'} {MIN_AUC}"
                        if best else ""))
    lines += ["", f"Largest false-positive rate of any default detector: {100 * worst:.1f}% "
              f"({'within' if worst <= MAX_FPR else 'ABOVE'} the {MAX_FPR:.0%} bound)."]
    text = "\n".join(lines) + "\n"
    print(text)

    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "scores.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "quality", "detector", "score", "threshold", "verdict"])
        for f in files:
            for name in names:
                d = originals[f.stem][name]
                w.writerow([f.name, "", name, d["score"], d["threshold"], d["verdict"]])
                for q in args.qualities:
                    d = jpegs[q][f.stem][name]
                    w.writerow([f.name, q, name, d["score"], d["threshold"], d["verdict"]])
    (args.out / "summary.md").write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
