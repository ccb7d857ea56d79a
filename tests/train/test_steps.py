"""The GAN's phase-2 step: the generator is trained against the discriminator that was trained.

D has BatchNorm; in training mode its answer about an image depends on the batch around it. The D
step sees originals + generated images; the G step must ask D in that same composition (issue 14:
asked about generated images alone, a D that tells JPEGs from originals called them real).
"""

import copy

import numpy as np
import pytest
import torch

from jpegaf import jpeg
from jpegaf.losses import discriminator_bce, generator_adversarial_paper
from jpegaf.models import Discriminator, DiscriminatorConfig, Generator, GeneratorConfig
from jpegaf.train.steps import GanNets, LossWeights, gan_step, running_stats_frozen


def _to_tensor(images) -> torch.Tensor:
    return torch.tensor(np.stack(images)[:, None] / 127.5 - 1, dtype=torch.float32)


@pytest.fixture(scope="module")
def batch(gray_images):
    """Eight real 64x64 crops and their QF 50 JPEGs."""
    crops = [img[y:y + 64, x:x + 64] for img in gray_images[:4] for y, x in ((0, 0), (64, 64))]
    return _to_tensor([jpeg.jpeg_roundtrip(c, 50) for c in crops]), _to_tensor(crops)


@pytest.fixture(scope="module")
def trained_d(batch):
    """A small D trained (in mixed batches, as the D step does) to tell the JPEGs from originals."""
    compressed, original = batch
    torch.manual_seed(0)
    d = Discriminator(DiscriminatorConfig(input_size=64, base_channels=8, fc_channels=16))
    opt = torch.optim.Adam(d.parameters(), lr=1e-3)
    for _ in range(60):
        opt.zero_grad()
        real, fake = d(torch.cat([original, compressed]), return_logits=True).chunk(2)
        discriminator_bce(real, fake).backward()
        opt.step()
    return d


def _identity_generator() -> Generator:
    """A generator whose output is its input (global skip, zero residual): G(x') = x'."""
    g = Generator(GeneratorConfig(channels=8, n_blocks=1, tail_channels=(8,), global_skip=True))
    with torch.no_grad():
        last = [m for m in g.modules() if isinstance(m, torch.nn.Conv2d)][-1]
        last.weight.zero_()
        if last.bias is not None:
            last.bias.zero_()
    return g


def _frozen_step(d: Discriminator, compressed, original) -> tuple[dict, Generator]:
    """One gan_step in which neither network moves (learning rates 0), so every value it reports
    can be recomputed afterwards."""
    g = _identity_generator()
    nets = GanNets(g, d, torch.optim.SGD(g.parameters(), lr=0.0), torch.optim.SGD(d.parameters(), lr=0.0))
    return gan_step(nets, compressed, original, LossWeights(1.0, 0.0, 1e-2)), g


def test_every_call_of_d_sees_originals_and_generated_together(batch, trained_d):
    compressed, original = batch
    seen = []
    d = copy.deepcopy(trained_d)
    d.register_forward_hook(lambda module, args, out: seen.append((args[0].shape[0], module.training)))
    _frozen_step(d, compressed, original)
    assert seen == [(2 * len(original), True), (2 * len(original), True)]  # the D step, the G step


def test_the_generator_is_told_what_the_trained_d_says(batch, trained_d):
    """The adversarial term G gets is log(1 - D(G(x'))) with D asked in the mixed batch — where D
    knows the JPEGs are JPEGs — not in a fake-only batch, where the same D calls them real."""
    compressed, original = batch
    d = copy.deepcopy(trained_d)
    stats, g = _frozen_step(d, compressed, original)
    with torch.no_grad(), running_stats_frozen(d):
        mixed = d(torch.cat([original, g(compressed)]), return_logits=True).chunk(2)[1]
        alone = d(g(compressed), return_logits=True)
    assert stats["adversarial"] == pytest.approx(generator_adversarial_paper(mixed).item(), rel=1e-5)
    p_mixed, p_alone = torch.sigmoid(mixed).mean().item(), torch.sigmoid(alone).mean().item()
    assert p_mixed < 0.2, "the trained D sees the JPEGs in the batch it was trained on"
    assert p_alone > 10 * p_mixed, "a fake-only batch makes them look far more real: the bug the step avoids"
    assert stats["d_fake"] == pytest.approx(p_mixed, abs=1e-5)


def test_running_statistics_move_once_per_step(batch, trained_d):
    """The G step normalises with the batch's statistics but leaves D's running averages to the
    D step (momentum 0 while it runs, restored after)."""
    compressed, original = batch
    d = copy.deepcopy(trained_d)
    expected = copy.deepcopy(trained_d)
    expected.train()
    with torch.no_grad():
        expected(torch.cat([original, compressed]))  # what one D-step forward does to the buffers
    _frozen_step(d, compressed, original)
    for (name, got), want in zip(d.named_buffers(), expected.buffers()):
        if "running" in name:
            torch.testing.assert_close(got, want, rtol=0, atol=1e-6)
    assert all(m.momentum == 0.1 for m in d.modules() if isinstance(m, torch.nn.BatchNorm2d))


def test_trace_terms_join_the_generator_loss_and_warm_up_trains_d_only(batch, trained_d):
    """With trace weights, the step reports each surrogate and L_G includes them; with
    train_generator False only D moves."""
    compressed, original = batch
    table = torch.tensor(jpeg.quality_to_table(50), dtype=torch.float32)
    w = LossWeights(1.0, 0.0, 1e-2, lattice=2.0, blocking=0.5, calibration=0.25)
    torch.manual_seed(0)
    g = Generator(GeneratorConfig(channels=8, n_blocks=1, tail_channels=(8,), global_skip=True))
    d = copy.deepcopy(trained_d)
    nets = GanNets(g, d, torch.optim.Adam(g.parameters(), lr=1e-3), torch.optim.Adam(d.parameters(), lr=1e-3))
    g_before, d_before = copy.deepcopy(g.state_dict()), copy.deepcopy(d.state_dict())
    stats = gan_step(nets, compressed, original, w, table=table, train_generator=False)
    assert all(torch.equal(v, g.state_dict()[k]) for k, v in g_before.items() if v.is_floating_point())
    assert any(not torch.equal(v, d.state_dict()[k]) for k, v in d_before.items())
    paper = stats["l1"] + 1e-2 * stats["adversarial"]
    traces = 2.0 * stats["lattice"] + 0.5 * stats["blocking"] + 0.25 * stats["calibration"]
    assert min(stats["lattice"], stats["blocking"], stats["calibration"]) > 0
    assert stats["loss_g"] == pytest.approx(paper + traces, rel=1e-5)
    stats = gan_step(nets, compressed, original, w, table=table)
    assert any(not torch.equal(v, g.state_dict()[k]) for k, v in g_before.items())
    with pytest.raises(ValueError, match="table"):
        gan_step(nets, compressed, original, w)


def test_phase_one_adds_the_traces_it_is_asked_for(batch):
    from jpegaf.train.steps import generator_only_step

    compressed, original = batch
    torch.manual_seed(0)
    g = Generator(GeneratorConfig(channels=8, n_blocks=1, tail_channels=(8,), global_skip=True))
    opt = torch.optim.Adam(g.parameters(), lr=1e-3)
    plain = generator_only_step(g, opt, compressed, original)
    assert set(plain) == {"loss_g", "l1"}
    stats = generator_only_step(g, opt, compressed, original, w=LossWeights(1, 0, 0, calibration=1.0))
    assert stats["loss_g"] == pytest.approx(stats["l1"] + stats["calibration"], rel=1e-5)


def test_a_detector_started_d_says_uncompressed_and_keeps_its_constraint(batch):
    """--init-discriminator: D is the shipped QF 50 detector with its logit negated. It tells the
    JPEGs from their originals at its first step (the paper's D starts from scratch), and its
    constrained layer is projected back after each D step."""
    from jpegaf.detectors.cnn import CnnDetector
    from jpegaf.pretrained import PRETRAINED_DIR
    from jpegaf.train.checkpoint import discriminator_from_detector

    compressed, original = batch
    path = PRETRAINED_DIR / "detector-64-q50.safetensors"
    d, card = discriminator_from_detector(path, crop_size=64)
    assert card["quality"] == 50 and d.training
    detector = CnnDetector.load(path)
    d.eval()
    with torch.no_grad():
        torch.testing.assert_close(d(compressed)[:, 0], 1 - torch.sigmoid(detector.model(compressed)))
    d.train()
    stats, _ = _frozen_step(d, compressed, original)
    assert stats["d_real"] > 0.8 and stats["d_fake"] < 0.2, stats
    g = _identity_generator()
    nets = GanNets(g, d, torch.optim.SGD(g.parameters(), lr=0.0), torch.optim.SGD(d.parameters(), lr=0.5))
    before = d.detector.c1.weight.detach().clone()
    gan_step(nets, compressed, original, LossWeights(1.0, 0.0, 1e-2))
    assert not torch.equal(before, d.detector.c1.weight)
    assert max(d.detector.c1.constraint_error()) < 1e-6


def test_a_detector_of_another_size_is_refused_as_d(tmp_path):
    from jpegaf.errors import JpegafError
    from jpegaf.pretrained import PRETRAINED_DIR
    from jpegaf.train.checkpoint import discriminator_from_detector

    with pytest.raises(JpegafError, match="128-px detector cannot judge the 64-px"):
        discriminator_from_detector(PRETRAINED_DIR / "detector-128-q50.safetensors", crop_size=64)
    with pytest.raises(JpegafError, match="no such detector weights file"):
        discriminator_from_detector(tmp_path / "missing.safetensors", crop_size=64)
