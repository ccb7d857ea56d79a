"""The package's layers: running a model, reading data or measuring never needs training code."""

from __future__ import annotations

import ast
from pathlib import Path

import jpegaf

SRC = Path(jpegaf.__file__).resolve().parent
# Everything but the training package and the command line (which offers training).
LIBRARY = [p for p in SRC.rglob("*.py") if "train" not in p.relative_to(SRC).parts and p.name != "cli.py"]


def _imported_modules(path: Path) -> set[str]:
    """Absolute names of the jpegaf modules a file imports (relative imports resolved)."""
    package = ["jpegaf", *path.relative_to(SRC).with_suffix("").parts]
    if path.name != "__init__.py":
        package = package[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            out.add(module)
            out.update(f"{module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m == "jpegaf" or m.startswith("jpegaf.")}


def test_no_library_layer_imports_training_code():
    assert len(LIBRARY) > 40
    offenders = {p.relative_to(SRC).as_posix(): sorted(m for m in _imported_modules(p)
                                                       if m == "jpegaf.train" or m.startswith("jpegaf.train."))
                 for p in LIBRARY}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_import_resolver_sees_relative_imports():
    # the test above would pass vacuously if relative imports were not resolved
    mods = _imported_modules(SRC / "train" / "loop.py")
    assert "jpegaf.weights" in mods and "jpegaf.train.checkpoint" in mods


def test_metrics_do_not_import_detectors():
    # a measure of scores is not a detector: detectors use metrics, never the reverse
    for path in (SRC / "metrics").rglob("*.py"):
        assert not [m for m in _imported_modules(path) if m.startswith("jpegaf.detectors")], path


def test_data_imports_no_model_method_detector_or_evaluation():
    # reading and pairing images comes first: the models, methods and detectors build on it. The
    # corpus builder is the exception that proves it: it vets photographs with the JPEG detectors.
    upper = ("jpegaf.models", "jpegaf.antiforensics", "jpegaf.detectors", "jpegaf.evaluation", "jpegaf.train")
    offenders = {}
    for path in (SRC / "data").rglob("*.py"):
        if path.relative_to(SRC).as_posix() == "data/corpus/build.py":
            continue
        bad = sorted(m for m in _imported_modules(path) if m.startswith(upper))
        if bad:
            offenders[path.relative_to(SRC).as_posix()] = bad
    assert offenders == {}
