"""CNN detector training: it learns, the constraint holds on every step, kill-and-resume is exact,
the export reloads as a Detector with the same scores, and the adaptive (F1) mode runs."""

import csv
import json
import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch

import jpegaf.train.detector as td
from jpegaf import jpeg
from jpegaf.antiforensics import StammDither
from jpegaf.detectors.cnn import CnnDetector
from jpegaf.errors import InputError
from jpegaf.metrics import roc_auc
from jpegaf.models.detector_cnn import DetectorCNNConfig
from jpegaf.weights import load_weights
from jpegaf.train.detector import (DetectorPairs, DetectorTrainConfig, Negatives, derived_seed, paper_preset,
                                   quick_preset, train_detector)


def tiny_net(size: int = 64) -> DetectorCNNConfig:
    return DetectorCNNConfig(input_size=size, conv2_channels=8, conv3_channels=8, conv4_channels=8,
                             conv5_channels=8, fc6_units=16, fc7_units=16)


def tiny_config(**kw) -> DetectorTrainConfig:
    base = dict(size=64, quality=50, network=tiny_net(), crops_per_image=4, epochs=2, batch_size=16,
                lr=1e-2, eval_crops_per_image=2, checkpoint_every=1000, preset="test")
    base.update(kw)
    return DetectorTrainConfig(**base)


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@pytest.fixture(scope="module")
def small_dir(sample_folder, sample_files):
    return sample_folder(sample_files[:8], "small")


@pytest.fixture(scope="module")
def all_dir(sample_folder, sample_files):
    return sample_folder(sample_files, "all")


@pytest.fixture(scope="module")
def learned(tmp_path_factory, all_dir):
    """A short run on the 29 samples at QF 50: 8 crops/image, 10 epochs of batch 32 (110 steps),
    lr 1e-2 (the tiny network learns too slowly at the paper's 1e-3 for a test), ~12 s."""
    out = tmp_path_factory.mktemp("learned") / "run"
    config = tiny_config(crops_per_image=8, epochs=10, batch_size=32, lr_decay_every=100,
                         eval_crops_per_image=8)
    return config, out, train_detector(config, all_dir, out, progress=False)


def test_a_short_run_beats_chance_on_held_out_crops(learned):
    config, out, result = learned
    ev = result.evaluation
    assert result.position.global_step == 110
    assert ev["n_images"] == 6 and ev["n_crops"] == 48
    assert ev["auc_jpeg"] > 0.6, ev            # measured 0.76 (seed 0); chance is 0.5
    assert ev["fpr_held_out"] <= config.fpr
    rows = (out / "evaluation.csv").read_text().splitlines()
    assert len(rows) == 1 + config.epochs
    print(f"held-out AUC after {result.position.global_step} steps: {ev['auc_jpeg']:.3f}")


def test_export_reloads_as_a_detector_with_the_same_scores(learned, all_dir):
    config, out, result = learned
    card = json.loads((out / "detector.json").read_text())
    assert card["name"] == "CNN-64-q50" and card["size"] == 64 and card["quality"] == 50
    assert card["negatives"] is None and card["steps"] == 110
    assert card["threshold"] == result.threshold == result.evaluation["threshold"]
    assert card["calibration"]["fpr"] == 0.05 and card["calibration"]["n_images"] == 48
    assert card["held_out"]["auc_jpeg"] == result.evaluation["auc_jpeg"]
    assert "turbo" in card["versions"]["libjpeg"] and card["hardware"] and card["wall_time_s"] > 0
    assert DetectorTrainConfig.from_dict(card["train_config"]) == config
    det = CnnDetector.load(out / "detector.safetensors")
    assert det.threshold == result.threshold
    # The same held-out crops through the loaded detector give the run's AUC and threshold.
    split = json.loads((out / "split.json").read_text())
    held = td.held_out_set(config, [os.fspath(p) for p in split["held_out"]], None)
    neg, pos = det.score_batch(held.originals), det.score_batch(held.jpegs)
    expected = td.predict_proba(result.model, held.originals, "cpu")
    np.testing.assert_array_equal(neg, expected)
    from jpegaf.metrics import calibrate_threshold
    from jpegaf.metrics.forensic import roc_auc

    assert calibrate_threshold(neg, 0.05) == result.threshold
    assert roc_auc(neg, pos) == result.evaluation["auc_jpeg"]
    # One image alone and the same image in a batch of 48 may take different oneDNN kernels
    # (batch-size-dependent blocking): equal up to float32 rounding, not bit for bit.
    assert det.score(held.jpegs[0]) == pytest.approx(pos[0], rel=1e-6)
    # The exported first layer satisfies the constraint, to float32 precision: the projection is
    # exact in float64, then each of the 24 off-centre weights is rounded to float32 (relative
    # error 6e-8 each), so their sum can miss 1 by a few 1e-6 when weights are of order 1.
    assert max(det.model.c1.constraint_error()) < 1e-5


def test_the_constraint_holds_after_every_step_of_the_loop(tmp_path, small_dir, monkeypatch):
    real_step, errors = td.detector_step, []

    def checked(run, model, opt, images, labels):
        stats = real_step(run, model, opt, images, labels)
        errors.append(max(model.c1.constraint_error()))
        return stats

    monkeypatch.setattr(td, "detector_step", checked)
    result = train_detector(tiny_config(lr=0.05), small_dir, tmp_path / "run", progress=False)
    assert len(errors) == result.position.global_step >= 4
    assert max(errors) < 1e-6


def test_kill_and_resume_equals_an_uninterrupted_run(tmp_path, small_dir):
    config = tiny_config()
    whole = train_detector(config, small_dir, tmp_path / "whole", progress=False)
    steps = whole.position.global_step
    assert steps >= 4
    part = train_detector(config, small_dir, tmp_path / "killed", progress=False, max_steps=steps // 2 + 1)
    assert part.position.global_step == steps // 2 + 1 and part.weights_path is None
    resumed = train_detector(config, small_dir, tmp_path / "killed", resume=True, progress=False)
    assert resumed.position.global_step == steps
    a = load_weights(tmp_path / "whole" / "detector.safetensors")
    b = load_weights(tmp_path / "killed" / "detector.safetensors")
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    rows_a = (tmp_path / "whole" / "evaluation.csv").read_text().splitlines()
    rows_b = (tmp_path / "killed" / "evaluation.csv").read_text().splitlines()
    assert len(rows_a) == len(rows_b) == 1 + config.epochs
    assert [r.split(",")[:8] for r in rows_a] == [r.split(",")[:8] for r in rows_b]
    assert whole.threshold == resumed.threshold


def test_refuses_to_overwrite_a_run(tmp_path, small_dir):
    train_detector(tiny_config(), small_dir, tmp_path / "run", progress=False, max_steps=1)
    with pytest.raises(InputError, match="--resume"):
        train_detector(tiny_config(), small_dir, tmp_path / "run", progress=False)


def test_items_pair_the_original_with_its_jpeg_of_the_same_crop(small_dir):
    from jpegaf.data import TrainPairs, from_unit_range

    files = sorted(small_dir.glob("*.png"))
    pairs = TrainPairs(files, 50, crop_size=64, crops_per_image=2, seed=0)
    ds = DetectorPairs(pairs)
    assert len(ds) == 2 * len(pairs)
    (x0, y0), (x1, y1) = ds[6], ds[7]
    original, compressed = pairs.pair_uint8(3)
    assert (y0.item(), y1.item()) == (0.0, 1.0)
    assert np.array_equal(from_unit_range(x0), original) and np.array_equal(from_unit_range(x1), compressed)
    # F1 negatives: the method on the coefficients of that JPEG, seeded by (seed, index), cached.
    neg = DetectorPairs(pairs, Negatives("f1", 50))
    processed = from_unit_range(neg[7][0])
    coefs = jpeg.read_coefficients(jpeg.compress(original, 50))
    assert np.array_equal(processed, StammDither()(coefs, derived_seed(0, 0, 3)))
    assert not np.array_equal(processed, compressed)
    assert len(neg.negatives.memory) == 1


def test_negatives_are_keyed_by_every_parameter_of_the_method(monkeypatch):
    """The disk cache key of the adaptive detector's negatives carries what the evaluation grid's
    cells carry: a changed stage (gan+lattice's histogram smoothing), critic or K_F reference makes
    other negatives; the generator's digest is added for the generator methods."""
    from jpegaf.antiforensics import method_parameters
    from jpegaf.antiforensics.lattice import SMOOTH_STAGE
    from jpegaf.pretrained import shipped_generator

    f2 = Negatives("f2", 50)
    assert f2.identity == f"f2:{method_parameters('f2')}" and "kf_reference=" in f2.identity
    weights = str(shipped_generator(50))
    lattice = Negatives("gan+lattice", 50, weights)
    critic = Negatives("gan+critic", 50, weights)
    assert SMOOTH_STAGE in lattice.identity and "critics q25=" in lattice.identity
    assert SMOOTH_STAGE not in critic.identity and "critics q25=" in critic.identity
    digest = lattice.identity.split(":")[1]
    assert len(digest) == 16 and digest in critic.identity
    import jpegaf.antiforensics.lattice as lattice_module

    method_parameters.cache_clear()
    monkeypatch.setattr(lattice_module, "SMOOTH_STAGE", SMOOTH_STAGE.replace("ac_sigma=1.5", "ac_sigma=2.0"))
    try:
        assert Negatives("gan+lattice", 50, weights).identity != lattice.identity
    finally:
        method_parameters.cache_clear()


def test_adaptive_mode_with_f1_negatives_runs(tmp_path, small_dir):
    config = tiny_config(negatives="f1", epochs=1, crops_per_image=3, cache_dir=str(tmp_path / "cache"))
    result = train_detector(config, small_dir, tmp_path / "run", progress=False)
    assert result.position.global_step == 2  # 6 training images x 3 crops = 2 batches of 8 crops
    ev = result.evaluation
    assert 0.0 <= ev["auc_processed"] <= 1.0 and 0.0 <= ev["det_processed"] <= 1.0
    card = json.loads((tmp_path / "run" / "detector.json").read_text())
    assert card["negatives"] == "f1" and card["name"] == "CNN-64-q50-f1" and "auc_processed" in card["held_out"]
    assert CnnDetector.load(tmp_path / "run" / "detector.safetensors").name == "CNN-64-q50-f1"
    assert any((tmp_path / "cache" / "negatives").rglob("*.png"))


def test_config_round_trip_presets_and_validation():
    c = tiny_config(negatives="f1")
    assert DetectorTrainConfig.from_dict(json.loads(c.to_json())) == c
    p = paper_preset(256, 75)
    assert (p.batch_size, p.lr, p.lr_decay, p.lr_decay_every, p.momentum, p.weight_decay) == (64, 1e-3, 0.5, 3, 0.95, 5e-4)
    assert p.network == DetectorCNNConfig(input_size=256) and p.learning_rate(3) == p.learning_rate(5) == 5e-4
    q = quick_preset(64, 50, seed=3)
    assert q.network.input_size == 64 and q.seed == 3 and q.preset == "quick"
    with pytest.raises(ValueError, match="input_size"):
        DetectorTrainConfig(size=128, quality=50, network=tiny_net(64))
    with pytest.raises(ValueError, match="generator_weights"):
        tiny_config(negatives="gan")
    with pytest.raises(ValueError, match="negatives"):
        tiny_config(negatives="f9")
    with pytest.raises(ValueError, match="even"):
        tiny_config(batch_size=15)


def test_two_process_ddp_leaves_identical_weights(tmp_path, small_dir):
    script = tmp_path / "ddp_run.py"
    script.write_text(textwrap.dedent(f"""
        import os, torch
        from jpegaf.models.detector_cnn import DetectorCNNConfig
        from jpegaf.train.detector import DetectorTrainConfig, train_detector
        torch.set_num_threads(1)
        net = DetectorCNNConfig(input_size=64, conv2_channels=8, conv3_channels=8, conv4_channels=8,
                                conv5_channels=8, fc6_units=16, fc7_units=16)
        config = DetectorTrainConfig(size=64, quality=50, network=net, crops_per_image=4, epochs=1,
                                     batch_size=16, lr=1e-2, eval_crops_per_image=2)
        result = train_detector(config, {str(small_dir)!r}, {str(tmp_path / 'run')!r}, progress=False, max_steps=3)
        torch.save(result.model.state_dict(), {str(tmp_path)!r} + f"/rank{{os.environ['RANK']}}.pt")
    """))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RANK", "WORLD_SIZE", "LOCAL_RANK"))}
    proc = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
                           str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    r0 = torch.load(tmp_path / "rank0.pt", weights_only=True)
    r1 = torch.load(tmp_path / "rank1.pt", weights_only=True)
    params = [k for k in r0 if "running" not in k and "num_batches" not in k]
    assert params and all(torch.equal(r0[k], r1[k]) for k in params)
    assert (tmp_path / "run" / "checkpoint.pt").exists()


def test_gan_negatives_run_the_generator_on_the_decoded_jpeg(tmp_path, gray_images):
    import dataclasses

    from jpegaf.data import from_unit_range, to_unit_range
    from jpegaf.models import Generator, GeneratorConfig
    from jpegaf.weights import export_model

    torch.manual_seed(0)
    gen_config = GeneratorConfig(channels=8, n_blocks=1, tail_channels=(8,), global_skip=True)
    generator = Generator(gen_config).eval()
    path = tmp_path / "generator.safetensors"
    export_model(path, generator, {"generator": dataclasses.asdict(gen_config), "quality": 50})
    original = gray_images[1][:64, :64]
    decoded = jpeg.jpeg_roundtrip(original, 50)
    negatives = Negatives("gan", 50, str(path))
    out = negatives.get("k", original, decoded, seed=0)
    with torch.no_grad():
        expected = from_unit_range(generator(to_unit_range(decoded)[None])[0].clamp(-1, 1))
    assert out.dtype == np.uint8 and np.array_equal(out, expected)
    with pytest.raises(InputError, match="quality 50"):
        Negatives("gan", 75, str(path))
    # With a self-ensemble: the eraser's average, under another cache identity (a generator without
    # the global skip, whose orientations disagree by more than a grey level).
    from jpegaf.antiforensics.gan import ensemble_generate

    gen_config = dataclasses.replace(gen_config, global_skip=False)
    generator = Generator(gen_config).eval()
    export_model(path, generator, {"generator": dataclasses.asdict(gen_config), "quality": 50})
    one, eight = Negatives("gan", 50, str(path)), Negatives("gan", 50, str(path), ensemble=8)
    assert eight.identity == one.identity + "@8"
    mean = np.clip(np.floor(ensemble_generate(generator, decoded, 8) + 0.5), 0, 255)
    got = eight.get("k", original, decoded, seed=0)
    assert np.abs(got.astype(int) - mean).max() <= 1  # fast path vs fp32
    assert np.abs(got.astype(int) - one.get("k", original, decoded, seed=0)).max() > 2


def test_content_variation_reaches_the_training_items_and_the_card(tmp_path, small_dir, monkeypatch):
    """--vary-content: the training originals (and their JPEGs) are the varied crops; the model
    card records it; held-out crops stay unvaried."""
    import jpegaf.train.detector as detector_module

    made = []
    real = detector_module.TrainPairs

    def recording(*args, **kwargs):
        ds = real(*args, **kwargs)
        made.append(ds)
        return ds

    monkeypatch.setattr(detector_module, "TrainPairs", recording)
    train_detector(tiny_config(epochs=1, crops_per_image=3, vary_content=True), small_dir, tmp_path / "run",
                   progress=False)
    varied = [ds for ds in made if ds.vary_content]
    assert len(varied) == 1 and varied[0].augment  # the training pairs
    assert all(not ds.vary_content for ds in made if ds is not varied[0])  # the held-out set
    assert varied[0].spec(0).noise_sigma > 0 or varied[0].spec(0).gamma != 1.0
    card = json.loads((tmp_path / "run" / "detector.json").read_text())
    assert card["train_config"]["vary_content"] is True


def test_fine_tuning_starts_from_the_given_detector(learned, all_dir, tmp_path):
    """init_weights: the network starts as the source detector, the card names the source by
    sha256, and a network of another shape is one line."""
    from jpegaf.models.detector_cnn import DetectorCNN
    from jpegaf.weights import file_sha256

    _, out, result = learned
    source = out / "detector.safetensors"
    started = DetectorCNN(tiny_net())
    td.init_detector_from(started, source)
    for name, tensor in load_weights(source).items():
        assert torch.equal(started.state_dict()[name], tensor), name
    config = tiny_config(crops_per_image=8, epochs=1, batch_size=32, lr=1e-4, eval_crops_per_image=8,
                         init_weights=str(source))
    run = tmp_path / "tuned"
    tuned = train_detector(config, all_dir, run, progress=False)
    card = json.loads((run / "detector.json").read_text())
    assert card["init"] == {"weights": str(source), "sha256": file_sha256(source), "steps": 110,
                            "wall_time_s": json.loads((out / "detector.json").read_text())["wall_time_s"],
                            "train_images": 23}
    # 11 steps at a tenth of the rate keep it near the source (a random start gives AUC ~0.5).
    assert abs(tuned.evaluation["auc_jpeg"] - result.evaluation["auc_jpeg"]) < 0.1
    wider = tiny_config(network=DetectorCNNConfig(input_size=64, conv2_channels=16, conv3_channels=8,
                                                  conv4_channels=8, conv5_channels=8, fc6_units=16,
                                                  fc7_units=16), init_weights=str(source))
    with pytest.raises(td.JpegafError, match="cannot start this detector from these weights"):
        train_detector(wider, all_dir, tmp_path / "wider", progress=False)


def test_keep_best_exports_the_epoch_with_the_best_held_out_auc(all_dir, tmp_path):
    """keep_best: the exported weights, threshold and card are those of the epoch whose held-out
    AUC is highest (the first of equals), and scoring the held-out crops with the export gives
    that epoch's AUC again; a run stopped and resumed exports the same weights."""
    # A rate far too high for SGD here, so that the held-out AUC rises and falls again: the best
    # epoch is then not the last. Where it falls depends on the CPU's arithmetic (lr 0.3: 0.54,
    # 0.59, 0.55, 0.52 on one machine; 0.54, 0.56, 0.56, 0.61 on one without native bf16), so
    # the first of a few rates whose best epoch is not the last is used.
    for lr in (0.3, 0.6, 1.0, 0.15):
        config = tiny_config(crops_per_image=4, epochs=4, batch_size=32, lr=lr, lr_decay_every=100,
                             eval_crops_per_image=4, keep_best=True)
        shutil.rmtree(tmp_path / "run", ignore_errors=True)
        result = train_detector(config, all_dir, tmp_path / "run", progress=False)
        with open(tmp_path / "run" / "evaluation.csv") as f:
            rows = list(csv.DictReader(f))
        aucs = [float(r["auc_jpeg"]) for r in rows]
        best = aucs.index(max(aucs))
        if best < len(aucs) - 1:
            break
    assert best < len(aucs) - 1, aucs
    card = json.loads((tmp_path / "run" / "detector.json").read_text())
    assert card["exported_epoch"] == best and result.evaluation["epoch"] == best
    assert card["threshold"] == pytest.approx(float(rows[best]["threshold"]), rel=1e-12)
    assert card["held_out"]["auc_jpeg"] == pytest.approx(aucs[best], rel=1e-12)
    det = CnnDetector.load(tmp_path / "run" / "detector.safetensors")
    split = json.loads((tmp_path / "run" / "split.json").read_text())
    held = td.held_out_set(config, [os.fspath(p) for p in split["held_out"]], None)
    assert roc_auc(det.score_batch(held.originals), det.score_batch(held.jpegs)) == pytest.approx(aucs[best], abs=1e-9)
    # Killed after the second epoch's first steps and resumed: the same export.
    train_detector(config, all_dir, tmp_path / "again", max_steps=8, progress=False)
    train_detector(config, all_dir, tmp_path / "again", resume=True, progress=False)
    a = load_weights(tmp_path / "run" / "detector.safetensors")
    b = load_weights(tmp_path / "again" / "detector.safetensors")
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_a_widened_detector_is_the_small_one_on_average_features_and_still_separates(gray_images, tmp_path):
    """widen_detector: convolutions copied; on a final map whose 7 x 7 positions all hold one
    feature vector the 256-px network gives the 64-px one's logit; the shipped 64-px critic widened
    to 256 px (where scripts/train_critics.py starts its 256-px critics) already scores each 256-px
    JPEG above every never-compressed 256-px crop."""
    from jpegaf.pretrained import PRETRAINED_DIR

    small = CnnDetector.load(PRETRAINED_DIR / "critic-64-q50.safetensors")
    large = td.widen_detector(small.model, 256).eval()
    assert large.config.input_size == 256 and large.config.final_map_size == 7
    assert torch.equal(large.c2[0].weight, small.model.c2[0].weight)
    v = torch.randn(3, small.model.config.conv5_channels, 1, 1, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        expected = small.model.classifier(v)
        got = large.classifier(v.expand(-1, -1, 7, 7))
    assert torch.allclose(got, expected, atol=1e-5)
    crops = [g[:256, :256] for g in gray_images if min(g.shape) >= 256]
    assert len(crops) >= 4
    jpegs = [jpeg.decompress(jpeg.compress(c, 50)) for c in crops]
    widened = CnnDetector(large)
    originals, compressed = widened.score_batch(crops), widened.score_batch(jpegs)
    assert compressed.min() > originals.max()
    with pytest.raises(ValueError, match="1 x 1"):
        td.widen_detector(large, 512)
    # exported with a card that names its source and claims no threshold of its own
    path = td.export_widened(PRETRAINED_DIR / "critic-64-q50.safetensors", 256, tmp_path / "w" / "d.safetensors")
    loaded = CnnDetector.load(path)
    assert loaded.size == 256 and loaded.threshold is None and loaded.card["widened"]["input_size"] == 256
    assert np.allclose(loaded.score_batch(crops), originals)
