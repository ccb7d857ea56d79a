"""The bundled real never-compressed grayscale photographs (see PROVENANCE.md beside this file).

They are few and not BOSSBase/BOWS2: tests, the demo and the quick training presets use them;
figures measured on them are not the paper's.
"""

from __future__ import annotations

from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent


def sample_paths() -> list[Path]:
    """Paths of the bundled sample PNGs, sorted by name."""
    return sorted(SAMPLES_DIR.glob("*.png"))
