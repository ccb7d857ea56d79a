"""Copy the training corpus's test part into the package as the bundled held-out set.

Usage: python scripts/bundle_heldout.py [CORPUS] [--out DIR] [--edition 1]

CORPUS defaults to data/corpus (``make corpus``), DIR to src/jpegaf/heldout. The result is a
corpus folder that holds only its test part: ``test/*.png`` byte for byte, ``PROVENANCE.csv``
with the test rows, the licence texts, and ``corpus.json`` with the counts of what is bundled.
No shipped model or threshold has seen these crops: the CNN detectors were trained on the
corpus's train part and calibrated on its calibration part, the classical thresholds fitted on
those two parts, the shipped generators trained on the bundled samples. ``jpegaf demo`` evaluates
them (its figures are then on 87 crops of 18 scenes, not on six photographs).

``--edition`` (default 1) bundles the test crops of that corpus edition only: the demo keeps the
first edition's 87 crops (about 20 minutes on 2 cores) rather than all 159 of a two-edition
corpus; ``--edition 0`` takes every edition.

The output is written into a temporary folder beside DIR and renamed over it at the end, so an
interrupted run leaves the previous copy in place. Running it twice gives identical files.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from jpegaf.data.corpus import is_corpus, read_corpus_parts  # noqa: E402
from jpegaf.data.corpus.layout import LICENSES, MANIFEST, PROVENANCE  # noqa: E402

PART = "test"
# Kept beside the data so that the folder explains itself once installed.
README = """\
# The bundled held-out crops

The test part of jpegaf's training corpus (`jpegaf data build-corpus`, README "Training corpus"):
{crops} gray 256x256 crops of {scenes} scenes, copied unchanged by `scripts/bundle_heldout.py`.
Licences and authors per crop are in PROVENANCE.csv, the licence texts in LICENSES/.

No shipped model or threshold has seen them: the shipped CNN detectors were trained on the
corpus's train part and calibrated on its calibration part, the classical detectors' thresholds
were fitted on those two parts, and the shipped generators were trained on the bundled samples
(src/jpegaf/samples). `jpegaf demo` evaluates them; so does `jpegaf evaluate` on this folder.
"""


def bundle(corpus: Path, out: Path, edition: int = 1) -> dict:
    """Write the test part of ``corpus`` (of one edition; 0: all) as a corpus folder at ``out``;
    returns its manifest."""
    if not is_corpus(corpus):
        raise SystemExit(f"{corpus}: not a built corpus (run `make corpus`)")
    parts = read_corpus_parts(corpus)
    with open(corpus / PROVENANCE, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames
        # A corpus built before editions has no column: all of it is the first edition.
        rows = [r for r in reader if r["part"] == PART
                and edition in (0, int(r.get("edition") or 1))]
    manifest = json.loads((corpus / MANIFEST).read_text())
    scenes = sorted({r["scene"] for r in rows})
    manifest["what"] = ("the test part of a jpegaf corpus only (scripts/bundle_heldout.py): "
                        + manifest["what"])
    manifest["crops"] = {"train": 0, "calibration": 0, PART: len(rows)}
    # The whole corpus's scene -> part map stays, so that the bundle shows which scenes trained
    # and calibrated the shipped detectors (none of them is here).
    manifest["corpus_scenes"] = manifest["scenes"]
    manifest["scenes"] = {s: PART for s in scenes}
    manifest["photos"] = len({r["photo_id"] for r in rows})
    if edition:
        manifest["editions"] = [edition]
    manifest.pop("rejected", None)  # the rejected crops belong to the whole corpus

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        (tmp / PART).mkdir()
        chosen = {r["file"] for r in rows}
        for path in parts.test:
            if path.relative_to(corpus).as_posix() in chosen:
                shutil.copyfile(path, tmp / PART / path.name)
        shutil.copytree(corpus / LICENSES, tmp / LICENSES)
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        (tmp / PROVENANCE).write_text(buf.getvalue(), encoding="utf-8")
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
        (tmp / "README.md").write_text(README.format(crops=len(rows), scenes=len(scenes)))
        init = out / "__init__.py"
        if init.is_file():  # the package module that names this folder stays
            shutil.copyfile(init, tmp / "__init__.py")
        if out.exists():
            old = out.with_name(f".{out.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(REPO / "data" / "corpus"))
    ap.add_argument("--out", default=str(REPO / "src" / "jpegaf" / "heldout"))
    ap.add_argument("--edition", type=int, default=1, help="corpus edition to bundle (0: all; default 1)")
    args = ap.parse_args(argv)
    manifest = bundle(Path(args.corpus), Path(args.out), args.edition)
    print(f"{args.out}: {manifest['crops'][PART]} crops of {len(manifest['scenes'])} scenes "
          f"({manifest['photos']} photographs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
