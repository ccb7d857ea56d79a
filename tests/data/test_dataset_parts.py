"""How every tool splits a data folder: a built corpus by its own parts, a plain folder recursively."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from jpegaf.data.folder import identity_fraction
from jpegaf.data import dataset_parts
from jpegaf.data.corpus import is_corpus, read_corpus_parts
from jpegaf.errors import InputError
from jpegaf.evaluation.grid import EvalConfig, evaluation_images
from jpegaf.imageio import read_image, to_luma, write_image
from jpegaf.samples import sample_paths
from jpegaf.train.config import cpu_preset
from jpegaf.train.loop import prepare_data

# part -> crops (scene, y, x); two scenes in train, one each in calibration and test.
LAYOUT = {
    "train": [("a", 0, 0), ("a", 0, 64), ("b", 0, 0)],
    "calibration": [("c", 0, 0), ("c", 64, 0)],
    "test": [("d", 0, 0), ("d", 0, 64)],
}


def _crops(n: int, size: int) -> list[np.ndarray]:
    """Real never-compressed crops of the bundled photographs."""
    out = []
    for path in sample_paths()[:n]:
        img = to_luma(read_image(path))
        out.append(np.ascontiguousarray(img[:size, :size]))
    return out


@pytest.fixture()
def corpus(tmp_path) -> Path:
    """A small corpus folder in the layout `jpegaf data build-corpus` writes."""
    root = tmp_path / "corpus"
    rows = []
    pixels = iter(_crops(7, 64))
    for part, crops in LAYOUT.items():
        for scene, y, x in crops:
            name = f"{part}/{scene}_y{y:04d}_x{x:04d}.png"
            (root / part).mkdir(parents=True, exist_ok=True)
            write_image(root / name, next(pixels))
            rows.append({"file": name, "part": part, "scene": scene})
    with open(root / "PROVENANCE.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["file", "part", "scene"])
        writer.writeheader()
        writer.writerows(rows)
    (root / "corpus.json").write_text(json.dumps({"format": 1}))
    (root / "LICENSES").mkdir()
    (root / "LICENSES" / "x.txt").write_text("licence")
    return root


def _names(root: Path, files: list[Path]) -> list[str]:
    return [f.relative_to(root).as_posix() for f in files]


def test_corpus_parts_come_from_its_provenance(corpus):
    assert is_corpus(corpus)
    parts = dataset_parts(corpus)
    assert parts.corpus
    assert _names(corpus, parts.train) == ["train/a_y0000_x0000.png", "train/a_y0000_x0064.png",
                                           "train/b_y0000_x0000.png"]
    assert _names(corpus, parts.held_out) == ["calibration/c_y0000_x0000.png", "calibration/c_y0064_x0000.png"]
    assert _names(corpus, parts.test) == ["test/d_y0000_x0000.png", "test/d_y0000_x0064.png"]
    # Whatever the plain-folder options say, a corpus keeps its split.
    assert dataset_parts(corpus, test_fraction=0.9, seed=7) == parts


def test_corpus_crops_smaller_than_min_size_are_left_out(corpus):
    parts = dataset_parts(corpus, min_size=128)
    assert parts.train == parts.held_out == parts.test == []


def test_damaged_corpus_is_refused(corpus):
    (corpus / "test" / "d_y0000_x0064.png").unlink()
    with pytest.raises(InputError, match="incomplete corpus: 1 crops .* missing .*d_y0000_x0064"):
        dataset_parts(corpus)
    (corpus / "PROVENANCE.csv").write_text("file,part\ntrain/a_y0000_x0000.png,validation\n")
    with pytest.raises(InputError, match="not a corpus provenance file"):
        read_corpus_parts(corpus)


def test_training_and_evaluation_use_the_corpus_parts(corpus):
    train, held = prepare_data(cpu_preset(50), corpus)  # 64-px crops
    parts = dataset_parts(corpus)
    assert train == parts.train and held == parts.held_out
    test = evaluation_images(EvalConfig(sizes=(64,)), corpus)
    assert test == parts.test
    # No photograph of a scene is in two of train, validation/calibration and test.
    scenes = [{p.name.split("_")[0] for p in files} for files in (train, held, test)]
    assert not (scenes[0] & scenes[1]) and not (scenes[0] & scenes[2]) and not (scenes[1] & scenes[2])


def test_plain_folder_is_scanned_recursively_and_same_names_do_not_collide(tmp_path):
    """BOSSBase and BOWS2 both call their files 1.pgm ... : in two sub-folders they are two images."""
    root = tmp_path / "data"
    crops = _crops(6, 64)
    for sub in ("boss", "bows2"):
        (root / sub).mkdir(parents=True)
    for i in range(3):
        write_image(root / "boss" / f"{i + 1}.pgm", crops[i])
        write_image(root / "bows2" / f"{i + 1}.pgm", crops[3 + i])
    # A hidden folder (a cache, a corpus being built) is not part of the data set.
    (root / ".cache").mkdir()
    write_image(root / ".cache" / "x.png", crops[0])
    parts = dataset_parts(root, test_fraction=0.5, seed=0)
    assert not parts.corpus
    everything = _names(root, parts.train + parts.test)
    assert sorted(everything) == ["boss/1.pgm", "boss/2.pgm", "boss/3.pgm",
                                  "bows2/1.pgm", "bows2/2.pgm", "bows2/3.pgm"]
    assert parts.held_out == parts.test and parts.test
    assert not set(parts.train) & set(parts.test)
    # each image's part is its identity's: boss/1.pgm and bows2/1.pgm are decided separately
    assert _names(root, parts.test) == sorted(
        n for n in everything if identity_fraction(n, 0) < 0.5)


def test_missing_folder(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        dataset_parts(tmp_path / "nowhere")


def test_an_images_part_does_not_depend_on_the_crop_size(tmp_path):
    """GAN training, detector training, their validation/calibration and the evaluation grid never
    share an image, whatever crop size each works at (the split is made before size filtering)."""
    from jpegaf.train.detector import quick_preset

    root = tmp_path / "data"
    root.mkdir()
    big = [to_luma(read_image(p)) for p in sample_paths() if min(to_luma(read_image(p)).shape) >= 256]
    # 16 images of sides 72..512: which of them can serve a size differs from size to size.
    for i in range(16):
        side = (72, 136, 264, 512)[i % 4]
        src = big[i % len(big)]
        img = np.array(np.resize(src, (side, side)), dtype=np.uint8) if side > min(src.shape) else src[:side, :side]
        write_image(root / f"{i:02d}.png", img)
    part_of: dict[str, str] = {}
    for size in (64, 128, 256, 512):
        gan_train, gan_held = prepare_data(cpu_preset(50, crop_size=size, discriminator=type(
            cpu_preset(50).discriminator)(input_size=size)), root)
        det_train, det_held = prepare_data(quick_preset(size, 50), root)
        evaluated = [p for p in evaluation_images(EvalConfig(sizes=(size,)), root) if min(read_image(p).shape) >= size]
        assert gan_train == det_train and gan_held == det_held
        for files, part in ((gan_train, "train"), (gan_held, "held"), (evaluated, "held")):
            for f in files:
                assert min(read_image(f).shape) >= size
                assert part_of.setdefault(f.name, part) == part, (f.name, size)
    assert set(part_of.values()) == {"train", "held"}
