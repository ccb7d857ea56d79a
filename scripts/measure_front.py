"""The anti-forensic front: for each method and generator variant, the PSNR/SSIM gain over the JPEG
and each detector's detection rate at its out-of-sample threshold, on held-out photographs.

Runs the evaluation grid (:func:`jpegaf.evaluation.run_grid`, cached and resumable in ``--out``)
once per generator variant, over one shared cache, so the JPEG, F3 and every detector score are
computed once. Prints, per crop size and JPEG quality, one row per method:

    method | PSNR gain (dB) | SSIM gain | worst rate (detector) | rate of each detector

where a rate is the fraction of outputs the detector calls JPEG at its threshold (the classical
ones calibrated on the corpus's calibration part, shipped in detectors/calibrations.json; a CNN at
the threshold in its model card, from its own validation part), and the detectors are the
classical ones and the shipped CNN of that size *and quality* (``CNN-<size>-q<QF>``). The
"original" row is the false-positive rate on the never-compressed crops themselves (95 % interval
in the Markdown written beside).

    python scripts/measure_front.py --variant shipped=src/jpegaf/pretrained/generator-q50.safetensors \\
        --variant af=runs/af-q50/generator.safetensors --qualities 50 --sizes 128 256 --limit 30 \\
        --out /tmp/front-af [--markdown results/antiforensic/front-q50.md]

Default data: the bundled held-out crops (``src/jpegaf/heldout``: the corpus's test part, never
trained, calibrated or validated on), all of them (``--split all`` semantics); ``--limit N`` takes
the first N in name order.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from jpegaf.antiforensics import GENERATOR_METHODS  # noqa: E402
from jpegaf.evaluation import EvalConfig, run_grid, table1, table2  # noqa: E402
from jpegaf.evaluation.grid import grid_calibrations  # noqa: E402
from jpegaf.heldout import HELDOUT_DIR  # noqa: E402
from jpegaf.pretrained import shipped_detectors  # noqa: E402

ORIGINAL = "original"


def _variant(text: str) -> tuple[str, tuple[str, ...], int, tuple[str, ...] | None]:
    """NAME=WEIGHTS[,WEIGHTS...][@N][#METHOD,...] -> (name, weights, self-ensemble N (1 without
    it), the generator methods measured with them (None without ``#``: those of ``--methods``))."""
    name, _, rest = text.partition("=")
    rest, hashed, methods = rest.partition("#")
    weights, _, ensemble = rest.partition("@")
    chosen = tuple(methods.split(",")) if hashed else None
    if (not name or not weights or ensemble not in ("", "1", "4", "8")
            or (chosen is not None and not set(chosen) <= set(GENERATOR_METHODS))):
        raise argparse.ArgumentTypeError(f"expected NAME=WEIGHTS[,WEIGHTS...][@1|@4|@8][#METHOD,...] with methods "
                                         f"among {', '.join(GENERATOR_METHODS)}, got {text!r}")
    return name, tuple(weights.split(",")), int(ensemble or 1), chosen


def held_out_folder(data: Path, split_json: Path, out: Path) -> str:
    """A folder of links to the images ``split_json`` holds out, all from ``data``: ``out/images``."""
    import json

    held = [Path(p).resolve() for p in json.loads(split_json.read_text())["held_out"]]
    outside = [p for p in held if p.parent != data.resolve()]
    if outside or not held:
        raise SystemExit(f"{split_json}: its held-out images are not all in {data}")
    folder = out / "images"
    folder.mkdir(parents=True, exist_ok=True)
    for p in held:
        link = folder / p.name
        if not link.exists():
            link.symlink_to(p)
    return str(folder)


def front_rows(rows: list[dict], calibrations, label: dict[str, str]) -> list[dict]:
    """One dict per (size, quality, method label): gains over the JPEG and the detectors' rates."""
    t1 = table1(rows)
    t2 = table2(rows, calibrations)
    out = []
    for r in t1:
        if r["method"] == "jpeg" or r["method"] not in label or r["status"] != "ok":
            continue
        jpeg_row = next(j for j in t1 if (j["size"], j["quality"], j["method"]) == (r["size"], r["quality"], "jpeg"))
        rates = {d["detector"]: d["rate"] for d in t2
                 if (d["size"], d["quality"], d["method"]) == (r["size"], r["quality"], r["method"])
                 and d["status"] == "ok" and _judges(d["detector"], r["size"], r["quality"])}
        out.append({"size": r["size"], "quality": r["quality"], "method": label[r["method"]], "n": r["n"],
                    "psnr_gain": r["psnr"] - jpeg_row["psnr"], "ssim_gain": r["ssim"] - jpeg_row["ssim"],
                    "rates": rates})
    return out


def _judges(detector: str, size: int, quality: int) -> bool:
    """Classical detectors judge every cell; a CNN only the cells of its own size and quality."""
    return not detector.startswith("CNN-") or detector == f"CNN-{size}-q{quality}"


def original_rates(rows: list[dict], calibrations) -> dict[tuple[int, int], dict[str, tuple[float, int]]]:
    out: dict[tuple[int, int], dict[str, tuple[float, int]]] = {}
    for d in table2(rows, calibrations):
        if d["method"] == ORIGINAL and d["status"] == "ok" and _judges(d["detector"], d["size"], d["quality"]):
            out.setdefault((d["size"], d["quality"]), {})[d["detector"]] = (d["rate"], d["n"])
    return out


POLICY_RULE = ("per JPEG quality, among the methods whose mean PSNR and SSIM gains over the JPEG are >= 0 at "
               "every measured size, the one with the lowest worst excess detection rate (a detector's rate on "
               "the method's outputs minus its rate on the originals of the same images, largest over sizes and "
               "detectors), ties to the larger smallest PSNR gain; none qualifying: the method with the largest "
               "PSNR gain")
# Why the excess and not the rate itself (the rule until 2026-12-03): the policy is chosen on 25
# calibration images, where a detector whose threshold was fitted on all 160 can flag far more or
# fewer than 5 % of the originals (Q_FdQ flagged 24 % of them at 128 px, Q_artefact 16 % at 256).
# A method's outputs share their scenes with those originals, so a detector that over-flags the
# scenes over-flags the outputs too; the paired difference takes that out, and what is left is
# what the method adds to the detector's verdicts, the quantity the policy means to minimise.


def choose_policy(front: list[dict], generators: dict[str, tuple[str, ...]],
                  originals: dict[tuple[int, int], dict[str, tuple[float, int]]],
                  ensembles: dict[str, int] | None = None) -> dict:
    """The erase policy (:data:`POLICY_RULE`) from the front rows: quality -> method, generators and
    the figures that chose it. ``generators``: method label -> the weight files behind it;
    ``ensembles``: method label -> the generator's self-ensemble (1 where missing);
    ``originals``: (size, quality) -> detector -> (rate, n) on the never-compressed images
    (:func:`original_rates`; a detector missing there counts as flagging none of them)."""
    policy = {}
    for q in sorted({f["quality"] for f in front}):
        by_label: dict[str, list[dict]] = {}
        for f in front:
            if f["quality"] == q:
                by_label.setdefault(f["method"], []).append(f)

        def excess(r):
            base = originals.get((r["size"], r["quality"]), {})
            return {d: rate - base.get(d, (0.0, 0))[0] for d, rate in r["rates"].items()}

        def worst(rows, of=lambda r: r["rates"]):
            return max((max(of(r).values()) for r in rows if r["rates"]), default=1.0)

        above = [lab for lab, rows in by_label.items()
                 if all(r["psnr_gain"] >= 0 and r["ssim_gain"] >= 0 for r in rows)]

        def gain(lab):
            return min(r["psnr_gain"] for r in by_label[lab])

        label = (min(above, key=lambda lab: (round(worst(by_label[lab], excess), 9), -gain(lab), lab)) if above else
                 max(by_label, key=gain))
        rows = by_label[label]
        policy[str(q)] = {"method": label.split(" ")[0], "label": label, "generators": list(generators.get(label, ())),
                          "ensemble": (ensembles or {}).get(label, 1),
                          "psnr_gain": {str(r["size"]): round(r["psnr_gain"], 3) for r in rows},
                          "ssim_gain": {str(r["size"]): round(r["ssim_gain"], 4) for r in rows},
                          "worst_rate": round(worst(rows), 3), "worst_excess": round(worst(rows, excess), 3),
                          "n": min(r["n"] for r in rows), "above_jpeg": bool(above)}
    return policy


def markdown(front: list[dict], originals, detectors: list[str]) -> str:
    lines = []
    for size, quality in sorted({(f["size"], f["quality"]) for f in front}):
        dets = [d for d in detectors if _judges(d, size, quality)]
        lines += [f"### {size}x{size}, QF {quality}", "",
                  "| method | n | PSNR gain (dB) | SSIM gain | worst rate | " + " | ".join(dets) + " |",
                  "|---|---|---|---|---|" + "---|" * len(dets)]
        orig = originals.get((size, quality), {})
        if orig:
            n = next(iter(orig.values()))[1]
            lines.append(f"| original (false positives) | {n} | | | "
                         f"{max(v[0] for v in orig.values()):.0%} | "
                         + " | ".join(f"{orig[d][0]:.0%}" if d in orig else "" for d in dets) + " |")
        for f in (f for f in front if (f["size"], f["quality"]) == (size, quality)):
            worst = max(f["rates"].items(), key=lambda kv: kv[1]) if f["rates"] else ("", float("nan"))
            lines.append(f"| {f['method']} | {f['n']} | {f['psnr_gain']:+.2f} | {f['ssim_gain']:+.4f} | "
                         f"{worst[1]:.0%} ({worst[0]}) | "
                         + " | ".join(f"{f['rates'][d]:.0%}" if d in f["rates"] else "" for d in dets) + " |")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--variant", type=_variant, action="append", required=True,
                    help="NAME=WEIGHTS[,WEIGHTS...][@N][#METHOD,...]: generators whose rows of every generator "
                         f"method of --methods ({', '.join(GENERATOR_METHODS)}) are measured; @4 or @8: their "
                         "output averaged over a self-ensemble of 4 or 8 symmetries (GanEraser's ensemble); "
                         "#METHOD,...: these methods instead of --methods' (a NAME may appear again with other "
                         "methods)")
    ap.add_argument("--methods", nargs="+", choices=GENERATOR_METHODS, default=list(GENERATOR_METHODS),
                    help="only these generator methods (default all; a policy then chooses among these)")
    ap.add_argument("--no-f3", dest="f3", action="store_false", help="leave F3's row out")
    ap.add_argument("--data", default=str(HELDOUT_DIR))
    ap.add_argument("--sizes", type=int, nargs="+", default=[128, 256])
    ap.add_argument("--qualities", type=int, nargs="+", default=[25, 50, 75])
    ap.add_argument("--limit", type=int)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", required=True, help="work folder (its cache/ makes reruns cheap)")
    ap.add_argument("--markdown", help="also write the tables here")
    ap.add_argument("--about", help="what the images are, for the Markdown's header (default for the bundled "
                                    "held-out crops: held out)")
    ap.add_argument("--policy", help="also write the erase policy chosen from the front here (JSON; "
                                     "generator paths relative to the policy file's folder)")
    ap.add_argument("--held-out-of", metavar="SPLIT_JSON",
                    help="measure only the images a training run held out (its split.json's held_out, "
                         "which must lie in --data): e.g. the calibration images gan+critic's critics "
                         "never trained on (runs/critics/critic-64-q50/split.json)")
    args = ap.parse_args()
    shown_data = Path(args.data).resolve()
    shown_data = str(shown_data.relative_to(REPO) if shown_data.is_relative_to(REPO) else shown_data)
    if args.held_out_of:
        shown_data += f" (only the images {args.held_out_of} holds out)"
        args.data = held_out_folder(Path(args.data), Path(args.held_out_of), Path(args.out))

    cnn = tuple(str(p) for p in shipped_detectors())
    front, originals, detectors, generators, ensembles = [], {}, [], {}, {}
    for i, (name, weights, ensemble, chosen) in enumerate(args.variant):
        chosen = chosen or tuple(args.methods)
        methods = ("jpeg", *chosen) + (("f3",) if i == 0 and args.f3 else ())
        config = EvalConfig(sizes=tuple(args.sizes), qualities=tuple(args.qualities), methods=methods,
                            generators=weights, cnn=cnn, split="all", limit=args.limit, workers=args.workers,
                            ensemble=ensemble)
        rows = run_grid(config, args.data, Path(args.out))
        calibrations = grid_calibrations(config)
        label = {**{m: f"{m} ({name})" for m in chosen}, "f3": "f3"}
        generators.update({f"{m} ({name})": weights for m in chosen})
        ensembles.update({f"{m} ({name})": ensemble for m in chosen})
        front += front_rows(rows, calibrations, label)
        if i == 0:
            originals = original_rates(rows, calibrations)
            detectors = sorted({d for f in front for d in f["rates"]},
                               key=lambda d: (d.startswith("CNN-"), d))
    text = markdown(front, originals, detectors)
    print(text)
    if args.policy:
        import json

        folder = Path(args.policy).resolve().parent
        rel = {k: tuple(os.path.relpath(Path(w).resolve(), folder) for w in v) for k, v in generators.items()}
        Path(args.policy).write_text(json.dumps({
            "rule": POLICY_RULE,
            "measured_by": f"python scripts/measure_front.py {shlex.join(sys.argv[1:])}",
            "data": shown_data,
            "qualities": choose_policy(front, rel, originals, ensembles)}, indent=2) + "\n")
    if args.markdown:
        Path(args.markdown).parent.mkdir(parents=True, exist_ok=True)
        data = Path(args.data).resolve()
        shown = shown_data
        about = args.about or ("held out: never trained, calibrated or validated on" if data == HELDOUT_DIR.resolve()
                               else "say what these images are with --about")
        Path(args.markdown).write_text(
            f"Measured by `python scripts/measure_front.py {shlex.join(sys.argv[1:])}` on {shown} "
            f"({about}); n = crops, rates at each detector's shipped threshold.\n\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
