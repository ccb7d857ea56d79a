"""What `jpegaf info` reports about a JPEG file: size, components, quantization tables, the
quality their tables correspond to, and the codec (checked by reading every coefficient)."""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from . import estimate_quality, libjpeg_version, read_coefficients, read_header


def file_info(path: Path, max_pixels: int) -> dict:
    """What ``jpegaf info`` reports about one JPEG file, as a JSON-ready dict."""
    header = read_header(path, max_pixels=max_pixels)
    # Reading every coefficient checks the entropy-coded data too (a damaged file is refused).
    read_coefficients(path, max_pixels=max_pixels)
    estimates = {}
    for i, c in enumerate(header.components):
        role = "luma" if i == 0 else "chroma"
        if role in estimates:
            continue
        est = estimate_quality(header.tables[c.table_index], chroma=i > 0)
        estimates[role] = {"quality": est.quality, "exact": est.exact,
                           "mean_abs_error": round(est.mean_abs_error, 4)}
    return {
        "file": str(path),
        "bytes": path.stat().st_size,
        "width": header.width,
        "height": header.height,
        "components": [{"id": c.ident, "sampling": [c.v_sampling, c.h_sampling], "table": c.table_index}
                       for c in header.components],
        "colour": "gray" if header.n_components == 1 else "YCbCr",
        "process": header.process,
        "progressive": header.progressive,
        "scans": header.n_scans,
        "quantization_tables": {str(k): v.tolist() for k, v in sorted(header.tables.items())},
        "estimated_quality": estimates,
        "libjpeg": libjpeg_version(),
        "jpegaf": __version__,
    }


def format_info(info: dict) -> str:
    """The human-readable form of :func:`file_info`'s dict."""
    lines = [
        f"file:        {info['file']} ({info['bytes']} bytes)",
        f"size:        {info['width']} x {info['height']}, {info['colour']}, {info['process']}, "
        f"{info['scans']} scan{'s' if info['scans'] > 1 else ''}",
    ]
    if len(info["components"]) > 1:
        sampling = ", ".join(f"{c['sampling'][1]}x{c['sampling'][0]}" for c in info["components"])
        lines.append(f"sampling:    {sampling} (horizontal x vertical, Y Cb Cr)")
    for role, est in info["estimated_quality"].items():
        kind = "exact IJG table" if est["exact"] else f"nearest IJG table, mean |diff| {est['mean_abs_error']}"
        lines.append(f"quality:     {role} {est['quality']} ({kind})")
    for index, table in info["quantization_tables"].items():
        lines.append(f"table {index}:")
        lines.extend("  " + " ".join(f"{v:3d}" for v in row) for row in table)
    lines.append(f"codec:       {info['libjpeg']}")
    return "\n".join(lines)
