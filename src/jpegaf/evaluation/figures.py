"""Figures of the evaluation, from the grid's rows (:func:`jpegaf.evaluation.grid.run_grid`).

:func:`write_figures` writes PNGs into ``out_dir/figures/`` (each atomically):

- ``triptych_<method>_q<Q>_s<S>.png``: Luo et al.'s Fig. 2 layout for one held-out image: JPEG |
  processed | original, the whole crops on the top row (the zoomed region outlined in red) and a
  64x64 region, enlarged with nearest-neighbour pixels, on the bottom row. The processed image is
  recomputed exactly as the grid computes it (same crop, same libjpeg, same method objects and the
  grid's seed ``method_seed(seed, index of the image in the test split)``), so its PSNR equals the
  grid's row. ``"gan"`` only when a generator module is given; ``"jpeg"`` and ``"original"`` get
  no triptych of their own (they are two of its panels).
- ``histogram_q<Q>_s<S>.png``: the histogram of DCT subband :data:`SUBBAND` = (0, 1) (the first
  horizontal AC frequency; vertical frequency u = 0, horizontal v = 1) of the orthonormal 8x8 block
  DCT of ``pixels - 128`` of that image: the original, the JPEG (a comb: values gather at multiples
  of the quantization step, marked by dotted lines) and each method (which fill the comb).
- ``roc_<detector>_q<Q>_s<S>.png``: per detector, the ROC curve of the never-compressed originals
  (negatives) against each method's outputs (positives) at that quality and size, AUC in the legend.
- ``tradeoff_s<S>.png``: the one figure to look at first: per method (colour) and quality
  (marker), the PSNR gain over the JPEG (x: mean PSNR of the method minus that of the JPEG, from
  :func:`table1`) against its *worst* detection rate (y: the highest rate over every detector at
  its calibrated threshold, from :func:`table2`). An anti-forensic method worth using sits at the
  bottom right: better than the JPEG, and no detector finds it.
- ``scatter_q<Q>_s<S>.png``: per quality factor present in the rows, mean PSNR (x, from
  :func:`table1`) against the detection rate at the calibrated threshold (y, from :func:`table2`),
  one point per method (colour) and detector (marker), at size ``size``.

Deterministic (no randomness beyond the grid's seeds; matplotlib's Agg renderer, no timestamps in
the PNGs) and fast: one image, a handful of figures.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from .. import jpeg
from ..antiforensics import CLASSICAL_METHODS, GENERATOR_METHODS, classical_method
from ..data import centre_crop_position, crop, load_luma
from ..detectors import Calibration, load_calibrations
from ..imageio import atomic_write_bytes
from ..jpeg.dct import block_dct
from ..metrics import psnr, roc_auc, roc_curve
from .grid import (ALL_METHODS, AUTO, CALIBRATIONS_JSON, ORIGINAL, method_seed, run_auto, run_gan, run_generator_method,
                   score_columns)
from .tables import table1, table2

Row = Mapping[str, Any]

#: The DCT subband of the histogram figure: (vertical u, horizontal v) frequency.
SUBBAND: tuple[int, int] = (0, 1)
#: Side of the zoomed region of the triptychs (the whole crop when the crop is smaller).
ZOOM = 64
FIGURES_DIR = "figures"

_COLOURS = {ORIGINAL: "black", "jpeg": "tab:red", "f1": "tab:blue", "f2": "tab:green",
            "f3": "tab:purple", "gan": "tab:orange", "gan+f3": "tab:brown",
            "gan+f3-light": "tab:pink", "gan+targeted": "tab:olive", "gan+critic": "tab:cyan",
            "gan+lattice": "tab:gray", "gan+lattice-light": "silver", AUTO: "gold"}
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">", "h", "p")
_LABELS = {ORIGINAL: "original", "jpeg": "JPEG", "f1": "F1 (Stamm dither)",
           "f2": "F2 (Stamm deblocking)", "f3": "F3 (Fan variational)", "gan": "GAN (ours)",
           "gan+f3": "GAN + F3 stages", "gan+f3-light": "GAN + light F3 stages",
           "gan+targeted": "GAN + targeted stages", "gan+critic": "GAN + targeted stages + critic",
           "gan+lattice": "GAN + histogram smoothing + targeted stages + critic",
           "gan+lattice-light": "GAN + histogram smoothing + lighter targeted stages + critic",
           AUTO: "auto (jpegaf erase's default)"}


def _figure(width: float, height: float):
    from matplotlib.figure import Figure  # no pyplot: no global state, Agg renderer

    return Figure(figsize=(width, height), dpi=100)


def _save(fig, path: Path) -> Path:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    atomic_write_bytes(path, buf.getvalue(), fsync=False)
    return path


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "x"


def image_order(rows: Sequence[Row]) -> list[str]:
    """The images of ``rows`` in first-seen order (``run_grid`` sorts them by test-split index)."""
    return list(dict.fromkeys(r["image"] for r in rows))


def default_image(rows: Sequence[Row], size: int) -> str:
    """The first image whose original crop of ``size`` is an "ok" row."""
    for r in rows:
        if r["size"] == size and r["method"] == ORIGINAL and r["status"] == "ok":
            return r["image"]
    raise ValueError(f"no ok image at size {size} in the rows")


def processed_images(data_dir: str | os.PathLike, image: str, index: int, *, size: int, quality: int,
                     methods: Sequence[str], seed: int = 0, generator=None,
                     policy: str = "") -> dict[str, np.ndarray]:
    """The original crop, its JPEG and each method's output, computed as the grid does.

    ``index``: the image's position in the test split (the grid's seed convention). The generator
    methods are left out when ``generator`` is None, ``"auto"`` when ``policy`` (the erase policy
    file) is "". Keys: "original", "jpeg" and the methods computed.
    """
    img = load_luma(Path(data_dir) / image)
    original = crop(img, *centre_crop_position(*img.shape, size), size)
    data = jpeg.compress(original, quality)
    out = {ORIGINAL: original, "jpeg": jpeg.decompress(data)}
    mseed = method_seed(seed, index)
    for m in methods:
        if m in out:
            continue
        if m == "gan":
            if generator is not None:
                out[m] = run_gan(generator, out["jpeg"], quality)
        elif m in GENERATOR_METHODS:
            if generator is not None:
                out[m] = run_generator_method(m, generator, data, mseed)
        elif m == AUTO:
            if policy:
                out[m] = run_auto(policy, data, mseed)
        elif m in CLASSICAL_METHODS:
            out[m] = classical_method(m)(jpeg.read_coefficients(data), mseed)
        else:
            raise ValueError(f"unknown method {m!r}; known: {list(ALL_METHODS)}")
    return out


def _zoom_region(size: int) -> tuple[int, int, int]:
    z = min(ZOOM, size)
    top = ((size - z) // 2) // 8 * 8
    return top, top, z


def _triptych(images: dict[str, np.ndarray], method: str, quality: int, image: str, path: Path) -> Path:
    from matplotlib.patches import Rectangle

    size = images[ORIGINAL].shape[0]
    top, left, z = _zoom_region(size)
    panels = [("jpeg", f"JPEG (QF {quality})"), (method, _LABELS.get(method, method)), (ORIGINAL, "original")]
    fig = _figure(9.0, 6.4)
    axes = fig.subplots(2, 3)
    for col, (key, title) in enumerate(panels):
        img = images[key]
        p = psnr(images[ORIGINAL], img)
        ax = axes[0, col]
        ax.imshow(img, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
        ax.add_patch(Rectangle((left - 0.5, top - 0.5), z, z, fill=False, edgecolor="red", linewidth=1))
        ax.set_title(title + ("" if key == ORIGINAL else f"\nPSNR {p:.2f} dB"), fontsize=9)
        zax = axes[1, col]
        zax.imshow(img[top:top + z, left:left + z], cmap="gray", vmin=0, vmax=255, interpolation="nearest")
        zax.set_xlabel(f"{z}x{z} region at ({top}, {left}), enlarged", fontsize=8)
        for a in (ax, zax):
            a.set_xticks([])
            a.set_yticks([])
    fig.suptitle(f"{image}, {size}x{size} central crop", fontsize=9)
    fig.tight_layout()
    return _save(fig, path)


def _histogram(images: dict[str, np.ndarray], quality: int, image: str, path: Path) -> Path:
    u, v = SUBBAND
    keys = [k for k in (ORIGINAL, "jpeg", *ALL_METHODS) if k in images]
    keys = list(dict.fromkeys(keys))
    values = {k: block_dct(images[k])[:, :, u, v].ravel() for k in keys}
    step = float(jpeg.read_coefficients(jpeg.compress(images[ORIGINAL], quality)).qt[0][u, v])
    lim = max(float(np.max(np.abs(x))) for x in values.values())
    lim = max(np.ceil(lim) + 1, 2 * step)
    bins = np.arange(-lim, lim + 1.0, 1.0) - 0.5
    fig = _figure(7.0, 1.4 * len(keys) + 0.8)
    axes = np.atleast_1d(fig.subplots(len(keys), 1, sharex=True))
    for ax, k in zip(axes, keys):
        ax.hist(values[k], bins=bins, color=_COLOURS.get(k, "gray"))
        for m in np.arange(-np.floor(lim / step), np.floor(lim / step) + 1) * step:
            ax.axvline(m, color="gray", linestyle=":", linewidth=0.6)
        ax.set_ylabel(_LABELS.get(k, k), fontsize=7)
        ax.tick_params(labelsize=7)
    axes[-1].set_xlabel(f"DCT coefficient ({u}, {v}) (quantization step {step:g} at QF {quality}, dotted)",
                        fontsize=8)
    fig.suptitle(f"Histogram of DCT subband ({u}, {v}), {image}", fontsize=9)
    fig.tight_layout()
    return _save(fig, path)


def _ok_scores(rows: Sequence[Row], key: str) -> list[float]:
    return [float(r[key]) for r in rows if r["status"] == "ok" and r.get(key) is not None]


def _roc(rows: Sequence[Row], detector: str, methods: Sequence[str], quality: int, size: int,
         path: Path) -> Path | None:
    key = f"score:{detector}"
    at_size = [r for r in rows if r["size"] == size]
    neg = _ok_scores([r for r in at_size if r["method"] == ORIGINAL], key)
    curves = []
    for m in methods:
        pos = _ok_scores([r for r in at_size if r["method"] == m and r["quality"] == quality], key)
        if neg and pos:
            fpr, tpr, _ = roc_curve(neg, pos)
            curves.append((m, fpr, tpr, roc_auc(neg, pos), len(pos)))
    if not curves:
        return None
    fig = _figure(4.6, 4.4)
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], color="lightgray", linestyle="--", linewidth=0.8)
    for m, fpr, tpr, auc, n in curves:
        ax.plot(fpr, tpr, color=_COLOURS.get(m, "gray"), drawstyle="default",
                label=f"{_LABELS.get(m, m)}: AUC {auc:.3f} (n={n})")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(f"false-positive rate (originals, n={len(neg)})", fontsize=8)
    ax.set_ylabel("true-positive rate (method's outputs)", fontsize=8)
    ax.set_title(f"ROC of {detector}, QF {quality}, {size}x{size}", fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return _save(fig, path)


def _scatter(t1: Sequence[Row], t2: Sequence[Row], methods: Sequence[str], quality: int, size: int,
             path: Path) -> Path | None:
    detectors = list(dict.fromkeys(r["detector"] for r in t2 if r["size"] == size))
    psnrs = {r["method"]: r["psnr"] for r in t1
             if r["size"] == size and r["quality"] == quality and r["status"] == "ok"}
    points = []
    for r in t2:
        if (r["size"] == size and r["quality"] == quality and r["method"] in methods
                and r["status"] == "ok" and r["rate"] is not None and psnrs.get(r["method"]) is not None):
            points.append((r["method"], r["detector"], float(psnrs[r["method"]]), float(r["rate"])))
    if not points:
        return None
    return _method_scatter(path, [(m, d, x, 100 * y) for m, d, x, y in points], methods, detectors, str, size_pt=36,
                           xlabel="mean PSNR against the originals (dB; finite values)",
                           ylabel="detection rate at the calibrated threshold (%)",
                           title=f"Quality vs detectability, QF {quality}, {size}x{size} (lower right is better)")


def _method_scatter(path: Path, points: Sequence[tuple[str, Any, float, float]], methods: Sequence[str],
                    shapes: Sequence[Any], shape_label: Callable[[Any], str], *, size_pt: int, xlabel: str,
                    ylabel: str, title: str, zero_line: bool = False) -> Path:
    """Points (method, key, x, y in %): coloured by method, shaped by key (a detector, a quality;
    ``shapes`` orders them), with a legend of both in the given orders; y from 0 to 100 %."""
    from matplotlib.lines import Line2D

    fig = _figure(5.6, 4.4)
    ax = fig.subplots()
    for m, k, x, y in points:
        ax.scatter([x], [y], color=_COLOURS.get(m, "gray"), marker=_MARKERS[shapes.index(k) % len(_MARKERS)],
                   s=size_pt, edgecolors="none")
    handles = [Line2D([], [], color=_COLOURS.get(m, "gray"), marker="o", linestyle="", label=_LABELS.get(m, m))
               for m in methods if any(p[0] == m for p in points)]
    handles += [Line2D([], [], color="gray", marker=_MARKERS[i % len(_MARKERS)], linestyle="", label=shape_label(k))
                for i, k in enumerate(shapes) if any(p[1] == k for p in points)]
    ax.legend(handles=handles, fontsize=7, loc="best")
    if zero_line:
        ax.axvline(0, color="lightgray", linewidth=0.8, zorder=0)
    ax.set_ylim(-5, 105)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return _save(fig, path)


def tradeoff_points(t1: Sequence[Row], t2: Sequence[Row], size: int) -> list[tuple[str, int, float, float, str]]:
    """(method, quality, PSNR gain over the JPEG in dB, worst detection rate, that detector) at ``size``."""
    psnr_of = {(r["method"], r["quality"]): r["psnr"] for r in t1
               if r["size"] == size and r["status"] == "ok" and r["psnr"] is not None}
    points = []
    for (method, quality), value in sorted(psnr_of.items(), key=lambda k: (k[0][1], ALL_METHODS.index(k[0][0]))):
        if ("jpeg", quality) not in psnr_of:
            continue
        rates = [(r["rate"], r["detector"]) for r in t2 if r["size"] == size and r["method"] == method
                 and r["quality"] == quality and r["status"] == "ok" and r["rate"] is not None]
        if rates:
            worst, det = max(rates)
            points.append((method, quality, float(value - psnr_of[("jpeg", quality)]), float(worst), det))
    return points


def _tradeoff(t1: Sequence[Row], t2: Sequence[Row], size: int, path: Path) -> Path | None:
    points = tradeoff_points(t1, t2, size)
    if not points:
        return None
    return _method_scatter(path, [(m, q, x, 100 * y) for m, q, x, y, _ in points],
                           list(dict.fromkeys(m for m, *_ in points)), sorted({q for _, q, *_ in points}),
                           lambda q: f"QF {q}", size_pt=48, zero_line=True,
                           xlabel="PSNR gain over the JPEG (dB)", ylabel="worst detection rate over all detectors (%)",
                           title=f"Better than the JPEG, and undetected? {size}x{size} (bottom right is best)")


def write_figures(rows: Sequence[Row], data_dir: str | os.PathLike, out_dir: str | os.PathLike, *,
                  methods: Sequence[str], quality: int, size: int, image: str | None = None, seed: int = 0,
                  generator=None, index: int | None = None,
                  calibrations: Sequence[Calibration] | None = None, policy: str = "") -> list[Path]:
    """Write the figures of the module doc into ``out_dir/figures/``; returns their paths.

    Args:
        rows: the grid's rows.
        data_dir: the folder the grid read (``row["image"]`` is relative to it).
        methods: the methods to show (``"original"`` is ignored; ``"gan"`` needs ``generator``
            for the triptych and histogram, while its ROC and scatter points come from the rows).
        quality, size: the cell shown by the triptychs, histogram and ROC curves.
        image: the image shown (default: the first "ok" image at ``size``).
        seed: the grid's ``EvalConfig.seed``.
        generator: the GAN's :class:`~jpegaf.antiforensics.gan.TrainedGenerator` for ``quality``
            (None: no GAN panels).
        policy: the erase policy file of the ``"auto"`` panels ("" : none).
        index: the image's position in the test split (default: its position among the images of
            ``rows`` in order, which is the test-split order ``run_grid`` writes).
        calibrations: for the detection rates (default: ``out_dir/calibrations.json`` when present,
            else the shipped classical ones).
    """
    out_dir = Path(out_dir)
    fig_dir = out_dir / FIGURES_DIR
    fig_dir.mkdir(parents=True, exist_ok=True)
    methods = [m for m in dict.fromkeys(methods) if m != ORIGINAL]
    unknown = [m for m in methods if m not in ALL_METHODS]
    if unknown:
        raise ValueError(f"unknown methods {unknown}; known: {list(ALL_METHODS)}")
    if calibrations is None:
        saved = out_dir / CALIBRATIONS_JSON
        calibrations = load_calibrations(saved) if saved.exists() else load_calibrations()
    written: list[Path] = []
    tag = f"q{quality}_s{size}"

    image = default_image(rows, size) if image is None else image
    if index is None:
        order = image_order(rows)
        if image not in order:
            raise ValueError(f"image {image!r} is not in the rows; pass index=")
        index = order.index(image)
    images = processed_images(data_dir, image, index, size=size, quality=quality,
                              methods=[m for m in methods if m != "jpeg"], seed=seed, generator=generator,
                              policy=policy)
    for m in methods:
        if m in images and m != "jpeg":
            written.append(_triptych(images, m, quality, image, fig_dir / f"triptych_{m}_{tag}.png"))
    shown = {k: v for k, v in images.items() if k in (ORIGINAL, "jpeg") or k in methods}
    written.append(_histogram(shown, quality, image, fig_dir / f"histogram_{tag}.png"))

    for col in score_columns(rows):
        det = col[len("score:"):]
        p = _roc(rows, det, methods, quality, size, fig_dir / f"roc_{_safe(det)}_{tag}.png")
        if p is not None:
            written.append(p)

    t1, t2 = table1(rows), table2(rows, calibrations)
    for s in sorted({r["size"] for r in t1}):
        p = _tradeoff(t1, t2, s, fig_dir / f"tradeoff_s{s}.png")
        if p is not None:
            written.insert(0, p)
    for q in sorted({r["quality"] for r in t1}):
        p = _scatter(t1, t2, methods, q, size, fig_dir / f"scatter_q{q}_s{size}.png")
        if p is not None:
            written.append(p)
    return written
