"""The bundled held-out crops: the training corpus's test part (see README.md beside this file).

No shipped model or threshold has seen them; ``jpegaf demo`` evaluates them. The folder is a
corpus folder holding only its test part, so every tool that reads a corpus reads it as one.
"""

from __future__ import annotations

from pathlib import Path

HELDOUT_DIR = Path(__file__).resolve().parent


def heldout_paths() -> list[Path]:
    """Paths of the bundled held-out PNGs, sorted by name."""
    return sorted((HELDOUT_DIR / "test").glob("*.png"))
