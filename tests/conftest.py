"""Shared fixtures: the bundled real photographs, loaded once per session."""

from __future__ import annotations

import numpy as np
import pytest

from jpegaf.imageio import read_image
from jpegaf.samples import sample_paths


@pytest.fixture(scope="session")
def sample_files():
    paths = sample_paths()
    assert len(paths) >= 24, "the bundled sample set is missing (src/jpegaf/samples)"
    return paths


@pytest.fixture(scope="session")
def gray_images(sample_files) -> list[np.ndarray]:
    """Six bundled never-compressed gray photographs, uint8 (H, W)."""
    return [read_image(p) for p in sample_files[:6]]


@pytest.fixture(scope="session")
def photo(gray_images) -> np.ndarray:
    """One real photograph, cropped to 200x136 (sizes that are not multiples of 8 on purpose: 200 is, 136 is)."""
    return gray_images[0][:203, :141]


def _load_script(name: str, module_name: str | None = None):
    """``scripts/<name>.py`` as a module (registered while it runs: dataclasses look their module
    up then), for the tests of the project's scripts."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(module_name or name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(spec.name, None)
    return module


@pytest.fixture(scope="session")
def load_script():
    """``load_script("build_detectors")``: a script of ``scripts/`` as a module."""
    return _load_script
