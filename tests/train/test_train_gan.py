"""GAN training: a step learns, kill-and-resume is exact, DDP keeps ranks identical, exports load."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch

from jpegaf.models import DiscriminatorConfig, Generator, GeneratorConfig
from jpegaf.train import GanTrainConfig, train_gan
from jpegaf.weights import load_generator
from jpegaf.weights import load_weights
from jpegaf.train.loop import epoch_batches
from jpegaf.train.steps import generator_only_step


def tiny_config(**kw) -> GanTrainConfig:
    base = dict(qualities=(50,), crop_size=64, crops_per_image=2, val_size=64, batch_size=4,
                phase1_epochs=1, phase2_epochs=1, perceptual=False, checkpoint_every=1000,
                generator=GeneratorConfig(channels=8, n_blocks=2, tail_channels=(8,), global_skip=True),
                discriminator=DiscriminatorConfig(input_size=64, base_channels=4, fc_channels=8),
                preset="test")
    base.update(kw)
    return GanTrainConfig(**base)


def test_a_generator_step_decreases_l1_on_a_fixed_batch(gray_images):
    torch.manual_seed(0)
    g = Generator(GeneratorConfig(channels=8, n_blocks=2, tail_channels=(8,)))
    opt = torch.optim.Adam(g.parameters(), lr=5e-4)
    from jpegaf import jpeg

    crops = [img[:64, :64] for img in gray_images[:4]]
    original = torch.tensor(np.stack(crops)[:, None] / 127.5 - 1, dtype=torch.float32)
    compressed = torch.tensor(np.stack([jpeg.jpeg_roundtrip(c, 50) for c in crops])[:, None] / 127.5 - 1,
                              dtype=torch.float32)
    first = generator_only_step(g, opt, compressed, original)["l1"]
    for _ in range(20):
        last = generator_only_step(g, opt, compressed, original)["l1"]
    assert last < 0.7 * first


def test_bf16_autocast_step_runs_and_learns(gray_images):
    from jpegaf.models import Discriminator
    from jpegaf.train.steps import GanNets, LossWeights, gan_step

    torch.manual_seed(0)
    g = Generator(GeneratorConfig(channels=8, n_blocks=1, tail_channels=(8,), global_skip=True))
    d = Discriminator(DiscriminatorConfig(input_size=64, base_channels=4, fc_channels=8))
    opt_g, opt_d = torch.optim.Adam(g.parameters(), lr=1e-3), torch.optim.Adam(d.parameters(), lr=1e-4)
    original = torch.tensor(np.stack([img[:64, :64] for img in gray_images[:2]])[:, None] / 127.5 - 1,
                            dtype=torch.float32)
    compressed = (original + 0.05 * torch.randn_like(original)).clamp(-1, 1)
    nets = GanNets(g, d, opt_g, opt_d)
    stats = [gan_step(nets, compressed, original, LossWeights(1, 0, 1e-2), bf16=True) for _ in range(15)]
    assert all(np.isfinite(list(s.values())).all() for s in stats)
    assert stats[-1]["l1"] < stats[0]["l1"]
    assert all(p.dtype == torch.float32 for p in g.parameters())  # autocast keeps fp32 weights


def test_epoch_batches_partition_and_shard():
    full = list(epoch_batches(23, 4, seed=1, epoch=2, rank=0, world=1))
    assert len(full) == 5 and len({i for b in full for i in b}) == 20
    r0 = list(epoch_batches(23, 4, seed=1, epoch=2, rank=0, world=2))
    r1 = list(epoch_batches(23, 4, seed=1, epoch=2, rank=1, world=2))
    assert [a + b for a, b in zip(r0, r1)] == full
    assert list(epoch_batches(23, 4, 1, 2, 0, 1, start=3)) == full[3:]
    assert full != list(epoch_batches(23, 4, seed=1, epoch=3, rank=0, world=1))


def test_kill_and_resume_equals_an_uninterrupted_run(tmp_path, data_dir):
    config = tiny_config()
    whole = train_gan(config, data_dir, tmp_path / "whole", progress=False)
    steps = whole.position.global_step
    assert steps >= 4
    part = train_gan(config, data_dir, tmp_path / "killed", progress=False, max_steps=steps // 2 + 1)
    assert part.position.global_step == steps // 2 + 1
    resumed = train_gan(config, data_dir, tmp_path / "killed", resume=True, progress=False)
    assert resumed.position.global_step == steps
    a = load_weights(tmp_path / "whole" / "generator.safetensors")
    b = load_weights(tmp_path / "killed" / "generator.safetensors")
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    for k, v in whole.discriminator.state_dict().items():
        assert torch.equal(v, resumed.discriminator.state_dict()[k])
    # The validation curve holds one row per epoch in both runs, with equal figures.
    rows_a = (tmp_path / "whole" / "validation.csv").read_text().splitlines()
    rows_b = (tmp_path / "killed" / "validation.csv").read_text().splitlines()
    assert len(rows_a) == len(rows_b) == 1 + config.phase1_epochs + config.phase2_epochs
    assert [r.split(",")[:8] for r in rows_a] == [r.split(",")[:8] for r in rows_b]


def test_export_rebuilds_the_generator_and_records_the_run(tmp_path, data_dir):
    result = train_gan(tiny_config(phase2_epochs=0), data_dir, tmp_path / "run", progress=False)
    g, card = load_generator(tmp_path / "run" / "generator.safetensors")
    x = torch.rand(1, 1, 40, 48) * 2 - 1
    result.generator.eval()
    with torch.no_grad():
        assert torch.allclose(g(x), result.generator(x), atol=1e-5)  # channels-last vs default layout
    assert card["quality"] == 50 and card["perceptual"] is False and card["beta_used"] == 0.0
    assert card["steps"] == result.position.global_step and "turbo210" in card["versions"]["libjpeg"]
    assert card["data"]["held_out_images"] >= 1 and card["validation"]["val_images"] >= 1
    config = json.loads((tmp_path / "run" / "config.json").read_text())
    assert config["perceptual"] is False
    assert GanTrainConfig.from_dict(config) == tiny_config(phase2_epochs=0)


def test_refuses_to_overwrite_a_run_and_needs_vgg_weights(tmp_path, data_dir, monkeypatch):
    from jpegaf.errors import InputError, JpegafError

    train_gan(tiny_config(phase2_epochs=0), data_dir, tmp_path / "run", progress=False, max_steps=1)
    with pytest.raises(InputError, match="--resume"):
        train_gan(tiny_config(), data_dir, tmp_path / "run", progress=False)
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    with pytest.raises(JpegafError, match="no-perceptual"):
        train_gan(tiny_config(perceptual=True), data_dir, tmp_path / "run2", progress=False)
    assert not (tmp_path / "run2").exists()


def test_two_process_ddp_leaves_identical_weights(tmp_path, data_dir):
    script = tmp_path / "ddp_run.py"
    script.write_text(textwrap.dedent(f"""
        import os, torch
        from jpegaf.models import DiscriminatorConfig, GeneratorConfig
        from jpegaf.train import GanTrainConfig, train_gan
        torch.set_num_threads(1)
        config = GanTrainConfig(qualities=(50,), crop_size=64, crops_per_image=2, val_size=64, batch_size=4,
                                phase1_epochs=1, phase2_epochs=1, perceptual=False,
                                generator=GeneratorConfig(channels=8, n_blocks=2, tail_channels=(8,)),
                                discriminator=DiscriminatorConfig(input_size=64, base_channels=4, fc_channels=8))
        result = train_gan(config, {str(data_dir)!r}, {str(tmp_path / 'run')!r}, progress=False, max_steps=4)
        rank = os.environ["RANK"]
        torch.save({{"g": result.generator.state_dict(), "d": result.discriminator.state_dict()}},
                   {str(tmp_path)!r} + f"/rank{{rank}}.pt")
    """))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RANK", "WORLD_SIZE", "LOCAL_RANK"))}
    proc = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
                           str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    r0 = torch.load(tmp_path / "rank0.pt", weights_only=True)
    r1 = torch.load(tmp_path / "rank1.pt", weights_only=True)
    for part in ("g", "d"):
        params = [k for k in r0[part] if "running" not in k and "num_batches" not in k]
        assert params and all(torch.equal(r0[part][k], r1[part][k]) for k in params)
    # Both phases ran (4 steps of 2 per epoch with 6 images... at least one GAN step).
    assert (tmp_path / "run" / "checkpoint.pt").exists()


def test_conditioned_run_started_from_a_plain_generator(tmp_path, data_dir):
    """One generator for QF 25/50/75 (conditioned on the table), started from a QF 50 run's
    export: validated at each quality, and its card says what it covers and where it started."""
    import dataclasses

    from jpegaf.antiforensics.gan import load_trained_generator

    plain = train_gan(tiny_config(phase2_epochs=0), data_dir, tmp_path / "plain", progress=False)
    cond_gen = dataclasses.replace(tiny_config().generator, condition_channels=1)
    config = tiny_config(qualities=(25, 50, 75), generator=cond_gen, phase1_epochs=1, phase2_epochs=0,
                         init_generator=str(tmp_path / "plain" / "generator.safetensors"))
    result = train_gan(config, data_dir, tmp_path / "cond", progress=False)
    val = result.validation
    for q in (25, 50, 75):
        assert np.isfinite(val[f"val_psnr_gain_q{q}"])
    assert val["val_psnr_gain"] == pytest.approx(np.mean([val[f"val_psnr_gain_q{q}"] for q in (25, 50, 75)]))
    header = (tmp_path / "cond" / "validation.csv").read_text().splitlines()[0]
    assert "val_psnr_gain_q25" in header and "val_ssim_out_q75" in header
    trained = load_trained_generator(tmp_path / "cond" / "generator.safetensors")
    assert trained.conditioned and trained.qualities == (25, 50, 75)
    init = trained.card["initialised_from"]
    assert init["steps"] == plain.position.global_step and len(init["sha256"]) == 64
    with pytest.raises(ValueError):
        tiny_config(qualities=(25, 50))  # a conditioned run needs a conditioned generator
    with pytest.raises(ValueError):
        tiny_config(generator=cond_gen)  # and a conditioned generator needs several qualities
    with pytest.raises(ValueError):
        tiny_config(qualities=(50, 50), generator=cond_gen)
    assert GanTrainConfig.from_dict({**tiny_config().to_dict(), "qualities": [], "quality": 75}).qualities == (75,), \
        "a config saved with the former quality field (old checkpoints) loads"


def test_presets_take_one_quality_or_several():
    """One quality: the paper's plain generator; several: one table-conditioned generator, whose
    logs speak of the middle quality."""
    from jpegaf.train.config import cpu_preset, paper_preset

    for preset in (cpu_preset, paper_preset):
        one, several = preset(50), preset([75, 25, 50, 25])
        assert one.qualities == (50,) and not one.conditioned and one.generator.condition_channels == 0
        assert several.qualities == (25, 50, 75) and several.conditioned
        assert several.generator.condition_channels == 1 and several.nominal_quality == 50
    assert cpu_preset([25, 50]).generator.global_skip, "the preset's other generator settings are kept"


def test_paper_preset_is_section_iv_a():
    """Sec. IV-A: 128-px crops, 5 per image, batch 16, 2 + 50 epochs, rates 5e-4 / 5e-6 divided by
    10 after epoch 30, alpha/beta/gamma 1 / 1e-6 / 1e-2, the saturating loss, no augmentation."""
    from jpegaf.train.config import paper_preset

    p = paper_preset(50)
    assert (p.crop_size, p.crops_per_image, p.batch_size) == (128, 5, 16)
    assert (p.phase1_epochs, p.phase2_epochs, p.lr_decay_epoch, p.lr_decay) == (2, 50, 30, 0.1)
    assert (p.phase1_lr, p.g_lr, p.d_lr) == (5e-4, 5e-4, 5e-6)
    assert (p.alpha, p.beta, p.gamma, p.generator_loss) == (1.0, 1e-6, 1e-2, "paper")
    assert p.augment is False and p.preset == "paper"
    # "preprocessed ... as that in [12]": the Caffe VGG-16 and its input convention
    assert p.vgg_preprocessing == "caffe"
    from jpegaf.train.config import cpu_preset
    assert cpu_preset(50).vgg_preprocessing == "torchvision"


def test_perceptual_network_follows_the_configured_preprocessing(tmp_path):
    """The training loop builds the VGG-16 with the run's input convention (caffe for the paper)."""
    from safetensors.torch import save_file

    from jpegaf.models import VGGFeatures
    from jpegaf.train.loop import _load_vgg

    torch.manual_seed(0)
    weights = tmp_path / "vgg.safetensors"
    save_file({k: v.contiguous() for k, v in VGGFeatures().state_dict().items()}, str(weights))
    for preprocessing in ("caffe", "torchvision"):
        vgg = _load_vgg(tiny_config(perceptual=True, vgg_weights=str(weights), vgg_preprocessing=preprocessing))
        assert vgg.config.preprocessing == preprocessing
    assert _load_vgg(tiny_config(perceptual=False)) is None


def test_anti_forensic_run_logs_its_terms_and_warms_d_up_first(tmp_path, data_dir):
    """Trace weights reach the loss (their columns in log.csv, their weights in the card's config);
    during the D warm-up the generator does not move; a conditioned run reads each crop's table
    back from its plane."""
    import csv

    def run(name, warmup, steps):
        config = tiny_config(phase1_epochs=0, phase2_epochs=1, lattice_weight=1.0, blocking_weight=0.1,
                             calibration_weight=0.1, d_warmup_steps=warmup)
        return train_gan(config, data_dir, tmp_path / name, progress=False, max_steps=steps)

    def weights(result):
        return {k: v for k, v in result.generator.state_dict().items() if v.is_floating_point()}

    one, two, trained = run("one", 2, 1), run("run", 2, 2), run("trained", 0, 1)
    assert all(torch.equal(v, weights(two)[k]) for k, v in weights(one).items()), "G moved during D's warm-up"
    assert not all(torch.equal(v, weights(trained)[k]) for k, v in weights(one).items())
    rows = list(csv.DictReader(open(tmp_path / "run" / "log.csv")))
    assert len(rows) == 2 and all(float(r["lattice"]) > 0 and float(r["calibration"]) > 0 for r in rows)
    saved = json.loads((tmp_path / "run" / "config.json").read_text())
    assert (saved["lattice_weight"], saved["d_warmup_steps"]) == (1.0, 2)
    import dataclasses

    cond = tiny_config(qualities=(25, 75), phase1_epochs=1, phase2_epochs=0, lattice_weight=1.0,
                       generator=dataclasses.replace(tiny_config().generator, condition_channels=1))
    train_gan(cond, data_dir, tmp_path / "cond", progress=False, max_steps=1)
    assert float(next(csv.DictReader(open(tmp_path / "cond" / "log.csv")))["lattice"]) > 0


def test_a_run_with_a_detector_as_d_records_it_and_resumes_exactly(tmp_path, data_dir):
    """--init-discriminator: the card names the detector D started from; a killed run rebuilds
    that network and continues to the weights of an uninterrupted one."""
    from jpegaf.pretrained import PRETRAINED_DIR

    detector = str(PRETRAINED_DIR / "detector-64-q50.safetensors")
    config = tiny_config(phase1_epochs=0, phase2_epochs=1, init_discriminator=detector)
    whole = train_gan(config, data_dir, tmp_path / "whole", progress=False)
    assert whole.position.global_step >= 2
    train_gan(config, data_dir, tmp_path / "killed", progress=False, max_steps=1)
    resumed = train_gan(config, data_dir, tmp_path / "killed", resume=True, progress=False)
    for k, v in whole.discriminator.state_dict().items():
        assert torch.equal(v, resumed.discriminator.state_dict()[k]), k
    _, card = load_generator(tmp_path / "whole" / "generator.safetensors")
    assert card["discriminator_initialised_from"]["name"] == "CNN-64-q50"
    assert card["train_config"]["init_discriminator"] == detector
    assert max(whole.discriminator.detector.c1.constraint_error()) < 1e-6


def test_annealed_phase_one_follows_the_cosine_and_resumes_on_it(tmp_path, data_dir):
    """phase1_lr_end: the rate logged at each phase-1 step falls along the half cosine from
    phase1_lr to phase1_lr_end (not the constant phase1_lr); a killed run resumes on the same
    curve and ends with the same weights; the option is refused above phase1_lr."""
    import csv
    import math

    from jpegaf.train.loop import phase1_rate

    config = tiny_config(phase1_epochs=2, phase2_epochs=0, phase1_lr=1e-3, phase1_lr_end=1e-5)
    whole = train_gan(config, data_dir, tmp_path / "whole", progress=False)
    n = whole.position.global_step
    assert n >= 4
    logged = [float(r["lr_g"]) for r in csv.DictReader(open(tmp_path / "whole" / "log.csv"))]
    expected = [1e-5 + 0.5 * (1e-3 - 1e-5) * (1 + math.cos(math.pi * i / n)) for i in range(n)]
    assert logged == pytest.approx(expected, rel=1e-9)
    assert logged[0] == pytest.approx(1e-3) and logged[-1] < 1e-3 / 2
    assert phase1_rate(config, n, n) == pytest.approx(1e-5)
    assert phase1_rate(tiny_config(), 3, 10) == tiny_config().phase1_lr  # not set: constant

    train_gan(config, data_dir, tmp_path / "killed", progress=False, max_steps=n // 2 + 1)
    train_gan(config, data_dir, tmp_path / "killed", resume=True, progress=False)
    a = load_weights(tmp_path / "whole" / "generator.safetensors")
    b = load_weights(tmp_path / "killed" / "generator.safetensors")
    assert all(torch.equal(a[k], b[k]) for k in a)
    with pytest.raises(ValueError, match="phase1_lr_end"):
        tiny_config(phase1_lr=1e-4, phase1_lr_end=1e-3)
