"""The evaluation grid: rows, the J row against an independent computation, caching and resumption."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from jpegaf import jpeg
from jpegaf.data import centre_crop_position, crop, load_luma
from jpegaf.evaluation import EvalConfig, read_rows, run_grid, evaluation_images
from jpegaf.evaluation import grid as grid_mod
from jpegaf.metrics import psnr

GAN = Path(__file__).resolve().parents[2] / "results" / "gan-cpu-q50" / "generator.safetensors"
CNN = Path(__file__).resolve().parents[2] / "results" / "cnn-64-q50" / "detector.safetensors"


@pytest.fixture()
def data_dir(tmp_path, sample_files):
    d = tmp_path / "data"
    d.mkdir()
    for p in sample_files[:8]:
        shutil.copy(p, d / p.name)
    return d


def config(**kw) -> EvalConfig:
    base = dict(sizes=(64, 128), qualities=(50,), methods=("jpeg", "f1", "f2"), detectors=("K_F", "K_L"),
                test_fraction=0.5, limit=3)
    base.update(kw)
    return EvalConfig(**base)


def comparable(rows):
    """Rows as the CSV can hold them: NaN and absent score columns (a CNN of another size) are None."""
    columns = {k for r in rows for k in r}
    return [{k: (None if isinstance(r.get(k), float) and np.isnan(r[k]) else r.get(k)) for k in sorted(columns)}
            for r in rows]


def test_rows_and_j_psnr(data_dir, tmp_path):
    cfg = config()
    rows = run_grid(cfg, data_dir, tmp_path / "out", progress=False)
    images = evaluation_images(cfg, data_dir)
    assert len(images) == 3
    # original + 3 methods, per image and size
    assert len(rows) == 3 * 2 * 4
    assert {r["method"] for r in rows} == {"original", "jpeg", "f1", "f2"}
    assert all(r["status"] == "ok" for r in rows)
    for r in rows:
        assert {"score:K_F", "score:K_L"} <= set(r)
    for r in rows:
        if r["method"] == "jpeg":
            img = load_luma(data_dir / r["image"])
            original = crop(img, *centre_crop_position(*img.shape, r["size"]), r["size"])
            expected = psnr(original, jpeg.decompress(jpeg.compress(original, r["quality"])))
            assert r["psnr"] == expected
        if r["method"] == "original":
            assert r["psnr"] == float("inf") and r["quality"] is None
    on_disk = read_rows(tmp_path / "out" / "rows.csv")
    assert comparable(on_disk) == comparable(rows)


def test_cache_reused_and_deterministic(data_dir, tmp_path, monkeypatch):
    cfg = config()
    first = run_grid(cfg, data_dir, tmp_path / "out", progress=False)
    fresh = run_grid(cfg, data_dir, tmp_path / "other", progress=False)
    assert fresh == first  # same command and seed -> same numbers, without any cache

    def boom(*a, **k):
        raise AssertionError("a cached cell was recomputed")

    monkeypatch.setattr(grid_mod, "_compute_cell", boom)
    monkeypatch.setattr(grid_mod, "classical_method", boom)
    again = run_grid(cfg, data_dir, tmp_path / "out", progress=False)
    assert again == first


def test_interrupted_run_continues(data_dir, tmp_path, monkeypatch):
    cfg = config()
    full = run_grid(cfg, data_dir, tmp_path / "ref", progress=False)
    out = tmp_path / "out"
    part = run_grid(cfg, data_dir, out, progress=False, max_cells=5)
    assert len(part) == 5
    assert len(list((out / "cache").glob("*.json"))) == 5
    calls = []
    real = grid_mod._compute_cell
    monkeypatch.setattr(grid_mod, "_compute_cell", lambda *a: calls.append(1) or real(*a))
    rest = run_grid(cfg, data_dir, out, progress=False)
    assert len(calls) == len(full) - 5
    assert rest == full
    # losing part of the cache recomputes just those cells
    for f in sorted((out / "cache").glob("*.json"))[:3]:
        f.unlink()
    calls.clear()
    assert run_grid(cfg, data_dir, out, progress=False) == full
    assert len(calls) == 3


def test_missing_generator_recorded(data_dir, tmp_path):
    cfg = config(qualities=(50, 75), methods=("jpeg", "gan"), sizes=(64,),
                 generators=[str(GAN)] if GAN.exists() else ())
    rows = run_grid(cfg, data_dir, tmp_path / "out", progress=False)
    gan75 = [r for r in rows if r["method"] == "gan" and r["quality"] == 75]
    assert len(gan75) == 3
    assert all(r["status"] == "missing: no generator for QF 75" and r["psnr"] is None for r in gan75)
    gan50 = [r for r in rows if r["method"] == "gan" and r["quality"] == 50]
    assert len(gan50) == 3
    if GAN.exists():
        assert all(r["status"] == "ok" and np.isfinite(r["psnr"]) for r in gan50)
    else:
        assert all(r["status"].startswith("missing") for r in gan50)


@pytest.mark.skipif(not CNN.exists(), reason="no trained CNN detector in results/")
def test_cnn_scores_its_own_size_only(data_dir, tmp_path):
    rows = run_grid(config(cnn=(str(CNN),)), data_dir, tmp_path / "out", progress=False)
    at64 = [r for r in rows if r["size"] == 64]
    at128 = [r for r in rows if r["size"] == 128]
    assert all(0.0 <= r["score:CNN-64-q50"] <= 1.0 for r in at64)
    assert all(r["score:CNN-128"] is None and "score:CNN-64-q50" not in r for r in at128)


def test_workers_give_same_rows(data_dir, tmp_path):
    cfg = config(sizes=(64,), limit=2)
    one = run_grid(cfg, data_dir, tmp_path / "a", progress=False)
    two = run_grid(EvalConfig(**{**cfg.__dict__, "workers": 2}), data_dir, tmp_path / "b", progress=False)
    assert two == one


def test_config_validation():
    with pytest.raises(ValueError):
        EvalConfig(methods=("jpeg", "nope"))
    with pytest.raises(ValueError, match="ensemble"):
        EvalConfig(ensemble=2)
    with pytest.raises(ValueError):
        EvalConfig(sizes=(60,))


def test_images_smaller_than_a_size_are_left_out_of_that_size(tmp_path, gray_images):
    from jpegaf.evaluation import EvalConfig, run_grid
    from jpegaf.imageio import write_image

    data = tmp_path / "data"
    data.mkdir()
    write_image(data / "big.png", np.ascontiguousarray(gray_images[0][:136, :136]))
    write_image(data / "small.png", np.ascontiguousarray(gray_images[1][:100, :120]))
    config = EvalConfig(sizes=(64, 128), qualities=(50,), methods=("jpeg",), detectors=("K_F",),
                        test_fraction=1.0)
    rows = run_grid(config, data, tmp_path / "out", progress=False)
    at = {(r["image"], r["size"]) for r in rows}
    assert ("small.png", 64) in at and ("small.png", 128) not in at and ("big.png", 128) in at


CNN25 = CNN.parents[1] / "cnn-64-q25" / "detector.safetensors"


@pytest.mark.skipif(not (CNN.exists() and CNN25.exists()), reason="no trained CNN detectors in results/")
def test_cnns_of_one_size_for_two_qualities_keep_their_own_columns_and_thresholds(data_dir, tmp_path):
    from jpegaf.detectors.cnn import CnnDetector
    from jpegaf.evaluation.tables import table2

    cfg = config(cnn=(str(CNN25), str(CNN)), sizes=(64,), methods=("jpeg",))
    rows = run_grid(cfg, data_dir, tmp_path / "out", progress=False)
    d25, d50 = CnnDetector.load(CNN25), CnnDetector.load(CNN)
    assert (d25.name, d50.name) == ("CNN-64-q25", "CNN-64-q50") and d25.threshold != d50.threshold
    originals = [r for r in rows if r["method"] == "original"]
    # Each column holds its own network's scores, not the other one's.
    img = load_luma(data_dir / originals[0]["image"])
    centre = crop(img, *centre_crop_position(*img.shape, 64), 64)
    assert originals[0]["score:CNN-64-q25"] == pytest.approx(d25.score(centre), rel=1e-6)
    assert originals[0]["score:CNN-64-q50"] == pytest.approx(d50.score(centre), rel=1e-6)
    cals = [d25.calibration, d50.calibration]
    thresholds = {r["detector"]: r["threshold"] for r in table2(rows, cals) if r["detector"].startswith("CNN")}
    assert thresholds == {"CNN-64-q25": d25.threshold, "CNN-64-q50": d50.threshold}


def test_split_all_evaluates_every_image(data_dir, tmp_path):
    held = evaluation_images(config(limit=None), data_dir)
    every = evaluation_images(config(limit=None, split="all"), data_dir)
    assert [p.name for p in every] == sorted(p.name for p in data_dir.iterdir())
    assert set(held) < set(every)
    with pytest.raises(ValueError, match="split"):
        config(split="train")


def test_workers_after_torch_ran_in_the_parent(data_dir, tmp_path):
    """The evaluation loads its networks in the parent before the workers start (check_inputs);
    forked workers of a process whose OpenMP pool runs hang, spawned ones do not. Run in a child
    process with a time limit, so that a regression fails instead of hanging the suite."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(f"""
        import torch
        from jpegaf.evaluation.grid import EvalConfig, check_inputs, run_grid
        from jpegaf.pretrained import shipped_weights
        torch.set_num_threads(2)
        torch.ones(256, 256) @ torch.ones(256, 256)  # start torch's thread pool in the parent
        cfg = EvalConfig(sizes=(64,), qualities=(50,), methods=("jpeg", "gan"), detectors=("K_F",),
                         generators=tuple(str(p) for p in shipped_weights()), cnn=({str(CNN)!r},),
                         test_fraction=0.5, limit=2, workers=2)
        check_inputs(cfg, {str(data_dir)!r})
        rows = run_grid(cfg, {str(data_dir)!r}, {str(tmp_path / "out")!r}, progress=False)
        print(len(rows), sum(r["status"] == "ok" for r in rows))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    n, ok = map(int, proc.stdout.split())
    assert n == ok == 2 * 3  # 2 images x (original, jpeg, gan) at QF 50


def test_ensemble_cells_are_the_erasers_and_keyed_apart(data_dir, tmp_path):
    from jpegaf.antiforensics.gan import GanEraser
    from jpegaf.pretrained import shipped_generator

    weights = str(shipped_generator(50))
    base = config(sizes=(64,), methods=("jpeg", "gan+targeted"), generators=[weights], limit=1)
    out = tmp_path / "out"
    one = run_grid(base, data_dir, out, progress=False)
    eight = run_grid(EvalConfig(**{**base.__dict__, "ensemble": 8}), data_dir, out, progress=False)
    cell = lambda rows: next(r for r in rows if r["method"] == "gan+targeted")
    assert cell(eight)["psnr"] != cell(one)["psnr"]  # one shared cache, two cells
    assert len(list((out / "cache").glob("*.json"))) == 4  # original, jpeg and the two gan+targeted cells
    # The cell is what the eraser with that ensemble gives (its PSNR against the same central crop).
    image = evaluation_images(base, data_dir)[0]
    original = crop(load_luma(image), *centre_crop_position(*load_luma(image).shape, 64), 64)
    from jpegaf.antiforensics.hybrid import GanTargeted

    coefs = jpeg.read_coefficients(jpeg.compress(original, 50))
    seed = grid_mod.method_seed(base.seed, 0)
    expected = GanTargeted(GanEraser({50: weights}, ensemble=8))(coefs, seed)
    assert cell(eight)["psnr"] == pytest.approx(psnr(original, expected), abs=1e-6)


def _policy_file(path: Path, method: str) -> str:
    """A one-entry erase policy (QF 50) naming a classical ``method``: cheap to run."""
    import json

    path.write_text(json.dumps({"qualities": {"50": {"method": method, "generators": [], "ensemble": 1}}}))
    return str(path)


def test_auto_cells_are_the_policys_choice_and_keyed_by_the_policy(data_dir, tmp_path):
    from jpegaf.antiforensics import classical_method

    out = tmp_path / "out"
    policy = tmp_path / "policy.json"
    base = config(sizes=(64,), methods=("jpeg", "auto"), limit=1, policy=_policy_file(policy, "f1"))
    cell = lambda rows: next(r for r in rows if r["method"] == "auto")
    first = cell(run_grid(base, data_dir, out, progress=False))
    image = evaluation_images(base, data_dir)[0]
    original = crop(load_luma(image), *centre_crop_position(*load_luma(image).shape, 64), 64)
    coefs = jpeg.read_coefficients(jpeg.compress(original, 50))
    seed = grid_mod.method_seed(base.seed, 0)
    assert first["status"] == "ok"
    assert first["psnr"] == pytest.approx(psnr(original, classical_method("f1")(coefs, seed)), abs=1e-9)
    # The same file name with another choice in it is another cell, not the cached one.
    _policy_file(policy, "f2")
    grid_mod._policy.cache_clear()
    grid_mod.file_sha256.cache_clear()
    second = cell(run_grid(base, data_dir, out, progress=False))
    assert second["psnr"] == pytest.approx(psnr(original, classical_method("f2")(coefs, seed)), abs=1e-9)
    assert second["psnr"] != first["psnr"]
    assert len(list((out / "cache").glob("*.json"))) == 4  # original, jpeg and the two auto cells


def test_auto_without_a_policy_is_missing_and_the_shipped_one_is_the_default(data_dir, tmp_path):
    from jpegaf.antiforensics.policy import POLICY_FILE
    from jpegaf.errors import JpegafError
    from jpegaf.evaluation.grid import check_inputs
    from jpegaf.evaluation.run import with_shipped_models
    from jpegaf.pretrained import PRETRAINED_DIR

    rows = run_grid(config(sizes=(64,), methods=("jpeg", "auto"), limit=1), data_dir, tmp_path / "out",
                    progress=False)
    auto = [r for r in rows if r["method"] == "auto"]
    assert len(auto) == 1 and auto[0]["status"] == "missing: no erase policy" and auto[0]["psnr"] is None
    assert with_shipped_models(config(methods=("jpeg", "auto"))).policy == str(PRETRAINED_DIR / POLICY_FILE)
    assert with_shipped_models(config(methods=("jpeg", "f1"))).policy == ""
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(JpegafError, match="broken.json: not a readable erase policy") as e:
        check_inputs(config(methods=("jpeg", "auto"), policy=str(broken)), data_dir)
    assert "--method" not in str(e.value)  # erase's hint (files.py) is not evaluate's
