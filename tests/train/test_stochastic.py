"""A stochastic generator G(x', z) (issue 14): its energy-score objective, its noise planes in
training and inference, and a run with it that resumes exactly."""

import csv
import dataclasses

import numpy as np
import pytest
import torch

from jpegaf import jpeg
from jpegaf.antiforensics.gan import load_trained_generator, tiled_generate
from jpegaf.losses import energy_score_blocks
from jpegaf.models import DiscriminatorConfig, Generator, GeneratorConfig, noise_channels_of, noise_planes
from jpegaf.models.inference import FusedCpuGenerator, fast_cpu_generator
from jpegaf.train import GanTrainConfig, train_gan
from jpegaf.train.checkpoint import init_generator_from
from jpegaf.train.steps import Noise, generator_only_step
from jpegaf.weights import export_model, load_weights

STOCHASTIC = GeneratorConfig(channels=8, n_blocks=2, tail_channels=(8,), global_skip=True, noise_channels=2)


def tiny_config(**kw) -> GanTrainConfig:
    """A few-second run on six sample images: one phase-1 epoch, one adversarial epoch."""
    return GanTrainConfig(**{**dict(
        qualities=(50,), crop_size=64, crops_per_image=2, val_size=64, batch_size=4, phase1_epochs=1,
        phase2_epochs=1, perceptual=False, checkpoint_every=1000, preset="test",
        generator=GeneratorConfig(channels=8, n_blocks=2, tail_channels=(8,), global_skip=True),
        discriminator=DiscriminatorConfig(input_size=64, base_channels=4, fc_channels=8)), **kw})


def test_energy_score_of_one_repeated_sample_is_the_blocks_rms_error():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(2, 1, 16, 24, generator=g)
    s = torch.rand(2, 1, 16, 24, generator=g)
    blocks = (s - x).reshape(2, 1, 2, 8, 3, 8).permute(0, 1, 2, 4, 3, 5).reshape(2, 1, 6, 64)
    rms = blocks.pow(2).mean(-1).sqrt().mean()
    assert float(energy_score_blocks(s, s, x, eps=0.0)) == pytest.approx(float(rms), rel=1e-6)
    with pytest.raises(ValueError, match="multiples of 8"):
        energy_score_blocks(s[..., :12], s[..., :12], x[..., :12])
    with pytest.raises(ValueError, match="one shape"):
        energy_score_blocks(s, s[:1], x)


def test_energy_score_is_lowest_for_samples_drawn_as_the_originals_are():
    """Originals x = m + e, e ~ N(0, 1) per pixel around a known m: samples m + sigma z score best
    in expectation at sigma = 1, where L1 (or the score of one repeated sample) prefers sigma = 0.
    A wrong sign on the spread term would prefer sigma = 0 here too."""
    g = torch.Generator().manual_seed(1)
    m = torch.rand(64, 1, 16, 16, generator=g)
    x = m + torch.randn(m.shape, generator=g)
    z1, z2 = torch.randn(m.shape, generator=g), torch.randn(m.shape, generator=g)
    scores = {sigma: float(energy_score_blocks(m + sigma * z1, m + sigma * z2, x)) for sigma in (0.0, 0.5, 1.0, 2.0)}
    assert min(scores, key=scores.get) == 1.0
    assert scores[0.0] > scores[0.5] > scores[1.0] < scores[2.0]
    l1 = {sigma: float((m + sigma * z1 - x).abs().mean()) for sigma in (0.0, 1.0)}
    assert l1[0.0] < l1[1.0]


def test_config_ties_noise_to_the_energy_score():
    with pytest.raises(ValueError, match="energy score"):
        tiny_config(content_loss="energy")
    with pytest.raises(ValueError, match="energy score"):
        tiny_config(generator=STOCHASTIC)
    with pytest.raises(ValueError, match="content_loss"):
        tiny_config(content_loss="l2")
    with pytest.raises(ValueError, match="noise_channels"):
        GeneratorConfig(noise_channels=-1)
    config = tiny_config(generator=STOCHASTIC, content_loss="energy")
    assert GanTrainConfig.from_dict(config.to_dict()) == config
    assert STOCHASTIC.input_channels == 3


def test_started_from_a_deterministic_generator_it_computes_the_source_whatever_the_noise(tmp_path):
    torch.manual_seed(0)
    source = Generator(GeneratorConfig(channels=8, n_blocks=2, tail_channels=(8,), global_skip=True))
    torch.nn.init.normal_(source.out_conv.weight, std=0.1)  # not the identity: the test must see the network
    export_model(tmp_path / "g.safetensors", source, {"generator": dataclasses.asdict(source.config)})
    g = Generator(STOCHASTIC)
    init_generator_from(g, tmp_path / "g.safetensors")
    assert float(g.head[0].weight[:, 1:].detach().abs().max()) == 0.0
    x = torch.rand(1, 1, 24, 24) * 2 - 1
    source.eval(), g.eval()
    with torch.no_grad():
        ref = source(x)
        for seed in (0, 1):
            assert torch.allclose(g(torch.cat([x, noise_planes(1, 2, 24, 24, seed)], 1)), ref, atol=1e-6)
    with pytest.raises(ValueError, match=r"\(N, 3, H, W\)"):
        g(x)


def test_a_step_with_noise_moves_the_noise_weights_and_logs_the_score(gray_images):
    torch.manual_seed(0)
    g = Generator(STOCHASTIC)
    torch.nn.init.normal_(g.out_conv.weight, std=0.05)  # as trained: the global skip starts it at zero
    torch.nn.init.zeros_(g.head[0].weight[:, 1:].data)  # as started from a deterministic generator
    opt = torch.optim.Adam(g.parameters(), lr=1e-3)
    crops = [img[:64, :64] for img in gray_images[:4]]
    original = torch.tensor(np.stack(crops)[:, None] / 127.5 - 1, dtype=torch.float32)
    compressed = torch.tensor(np.stack([jpeg.jpeg_roundtrip(c, 25) for c in crops])[:, None] / 127.5 - 1,
                              dtype=torch.float32)
    row = generator_only_step(g, opt, compressed, original, noise=Noise(2, seed=3))
    assert set(row) >= {"loss_g", "l1", "energy"} and row["loss_g"] == row["energy"]
    assert float(g.head[0].weight[:, 1:].detach().abs().max()) > 0  # the noise reaches the gradient
    # The same noise seed draws the same planes: a step is a function of (weights, batch, seed).
    a = noise_planes(8, 2, 64, 64, 3)
    assert torch.equal(a, noise_planes(8, 2, 64, 64, 3)) and not torch.equal(a, noise_planes(8, 2, 64, 64, 4))


def _trained_like(seed: int = 0) -> Generator:
    torch.manual_seed(seed)
    g = Generator(STOCHASTIC)
    torch.nn.init.normal_(g.out_conv.weight, std=0.05)
    return g.eval()


def test_inference_draws_the_noise_once_per_image_from_the_seed(gray_images):
    g = _trained_like()
    img = gray_images[0][:80, :72]
    whole = tiled_generate(g, img, tile=512, rounded=False, seed=5)
    assert np.array_equal(whole, tiled_generate(g, img, tile=512, rounded=False, seed=5))
    other = tiled_generate(g, img, tile=512, rounded=False, seed=6)
    assert np.abs(whole - other).mean() > 0.05  # the noise matters ...
    tiled = tiled_generate(g, img, tile=24, rounded=False, seed=5)
    assert np.abs(tiled - whole).max() < 1e-3  # ... and tiles see the whole image's planes
    assert noise_channels_of(g) == 2 and noise_channels_of(torch.nn.Identity()) == 0


def test_the_fast_cpu_form_takes_the_noise_planes():
    g = _trained_like()
    fast = fast_cpu_generator(g, bf16=False)
    assert noise_channels_of(fast) == 2
    x = torch.cat([torch.rand(1, 1, 16, 16) * 2 - 1, noise_planes(1, 2, 16, 16, 0)], 1)
    with torch.no_grad():
        assert float((fast(x) - g(x)).abs().max()) < 1e-4
    if isinstance(fast, FusedCpuGenerator):
        with pytest.raises(ValueError, match=r"\(N, 3, H, W\)"):
            fast(x[:, :1])


def test_a_stochastic_run_resumes_exactly_and_exports_a_sampler(tmp_path, data_dir):
    config = tiny_config(generator=STOCHASTIC, content_loss="energy")  # phase 1, then phase 2
    whole = train_gan(config, data_dir, tmp_path / "whole", progress=False)
    steps = whole.position.global_step
    train_gan(config, data_dir, tmp_path / "killed", progress=False, max_steps=steps // 2 + 1)
    train_gan(config, data_dir, tmp_path / "killed", resume=True, progress=False)
    a = load_weights(tmp_path / "whole" / "generator.safetensors")
    b = load_weights(tmp_path / "killed" / "generator.safetensors")
    assert all(torch.equal(a[k], b[k]) for k in a)
    rows = list(csv.DictReader(open(tmp_path / "whole" / "log.csv")))
    assert len(rows) == steps and all(float(r["energy"]) > 0 for r in rows)
    assert {r["phase"] for r in rows} == {"1", "2"}
    trained = load_trained_generator(tmp_path / "whole" / "generator.safetensors")
    assert trained.card["train_config"]["content_loss"] == "energy"
    img = np.asarray(jpeg.jpeg_roundtrip(np.full((64, 64), 120, np.uint8), 50))
    outs = [trained.apply(img, jpeg.quality_to_table(50), rounded=False, seed=s) for s in (0, 0, 1)]
    assert np.array_equal(outs[0], outs[1]) and not np.array_equal(outs[0], outs[2])


def test_the_eraser_gives_each_file_its_own_noise_and_each_seed_its_own(gray_images, tmp_path):
    from jpegaf.antiforensics.gan import GanEraser, file_noise_seed

    g = _trained_like()
    export_model(tmp_path / "g.safetensors", g, {"generator": dataclasses.asdict(g.config), "quality": 50})
    eraser = GanEraser({50: tmp_path / "g.safetensors"}, project=False)
    a, b = (jpeg.read_coefficients(jpeg.compress(img[:64, :64], 50)) for img in gray_images[:2])
    assert file_noise_seed(0, a) != file_noise_seed(0, b) and file_noise_seed(0, a) != file_noise_seed(1, a)
    assert file_noise_seed(0, a) == file_noise_seed(0, jpeg.read_coefficients(jpeg.compress(gray_images[0][:64, :64], 50)))
    out = [eraser.restore_luma(a, rounded=False, seed=s)[0] for s in (0, 0, 1)]
    assert np.array_equal(out[0], out[1]) and not np.array_equal(out[0], out[2])


def test_the_cards_noise_scale_scales_the_spread(gray_images, tmp_path):
    g = _trained_like()
    img = np.asarray(jpeg.jpeg_roundtrip(gray_images[1][:64, :64], 50))
    spread = {}
    for scale in (None, 0.5, 0.0):
        card = {"generator": dataclasses.asdict(g.config), "quality": 50}
        if scale is not None:
            card["noise_scale"] = scale
        export_model(tmp_path / f"g{scale}.safetensors", g, card)
        trained = load_trained_generator(tmp_path / f"g{scale}.safetensors", fast=False)
        assert trained.noise_scale == (1.0 if scale is None else scale)
        a, b = (trained.apply(img, jpeg.quality_to_table(50), rounded=False, seed=s) for s in (0, 1))
        spread[scale] = float(np.std(a - b))
    assert spread[0.0] == 0.0 and 0.3 * spread[None] < spread[0.5] < 0.7 * spread[None]


def test_a_cards_noise_scale_is_part_of_the_generators_cache_identity(tmp_path):
    from jpegaf.weights import file_sha256, generator_digest

    g = _trained_like()
    card = {"generator": dataclasses.asdict(g.config), "quality": 50}
    export_model(tmp_path / "a.safetensors", g, card)
    export_model(tmp_path / "b.safetensors", g, {**card, "noise_scale": 0.5})
    assert generator_digest(tmp_path / "a.safetensors") == file_sha256(tmp_path / "a.safetensors")  # keys kept
    assert generator_digest(tmp_path / "b.safetensors") != generator_digest(tmp_path / "a.safetensors")
    assert generator_digest(tmp_path / "b.safetensors").startswith(file_sha256(tmp_path / "a.safetensors"))


def test_the_per_coefficient_score_sets_each_subbands_spread():
    """Originals whose residual lives in one subband: samples that spread there score better than
    none, and samples with the same spread in another subband worse than none; one repeated
    sample scores the block DCT's mean absolute error."""
    from jpegaf.jpeg.dct import DCT_MATRIX, block_dct
    from jpegaf.losses import energy_score_coefficients

    basis = torch.tensor(np.outer(DCT_MATRIX[1], DCT_MATRIX[2]), dtype=torch.float32)      # subband (1, 2)
    other = torch.tensor(np.outer(DCT_MATRIX[6], DCT_MATRIX[7]), dtype=torch.float32)      # subband (6, 7)
    g = torch.Generator().manual_seed(2)
    n = 512

    def field(pattern):  # one random amplitude per 8x8 block, times the subband's basis image
        amp = torch.randn(n, 1, 2, 1, 2, 1, generator=g)
        return (amp * pattern[:, None, :]).reshape(n, 1, 16, 16) / 10

    x = field(basis)
    right = energy_score_coefficients(field(basis), field(basis), x)
    wrong = energy_score_coefficients(field(other), field(other), x)
    none = energy_score_coefficients(torch.zeros_like(x), torch.zeros_like(x), x)
    assert float(right) < float(none) < float(wrong)
    same = torch.rand(2, 1, 16, 16, generator=g)
    expected = np.mean([np.abs(block_dct(same[i, 0].double().numpy() * 255 + 128)).mean() / 255 for i in range(2)])
    assert float(energy_score_coefficients(same, same, torch.zeros_like(same))) == pytest.approx(expected, rel=1e-4)


def test_a_blended_card_mixes_its_anchors_estimate_with_one_sample(gray_images, tmp_path):
    from jpegaf.errors import InputError
    from jpegaf.weights import file_sha256, generator_digest

    torch.manual_seed(4)
    anchor = Generator(GeneratorConfig(channels=8, n_blocks=2, tail_channels=(8,), global_skip=True))
    torch.nn.init.normal_(anchor.out_conv.weight, std=0.05)
    (tmp_path / "a").mkdir()
    export_model(tmp_path / "a" / "anchor.safetensors", anchor.eval(),
                 {"generator": dataclasses.asdict(anchor.config), "quality": 50})
    g = _trained_like()
    card = {"generator": dataclasses.asdict(g.config), "quality": 50}
    export_model(tmp_path / "plain.safetensors", g, card)
    blend = {"weight": 0.3, "anchor": "a/anchor.safetensors", "anchor_sha256": file_sha256(tmp_path / "a" / "anchor.safetensors")}
    export_model(tmp_path / "blended.safetensors", g, {**card, "blend": blend})

    img = np.asarray(jpeg.jpeg_roundtrip(gray_images[2][:64, :64], 50))
    table = jpeg.quality_to_table(50)
    plain = load_trained_generator(tmp_path / "plain.safetensors", fast=False)
    blended = load_trained_generator(tmp_path / "blended.safetensors", fast=False)
    assert plain.anchor is None and plain.blend == 1.0 and blended.blend == 0.3
    for ensemble in (1, 4):
        mean = blended.anchor.apply(img, table, rounded=False, ensemble=ensemble)
        sample = plain.apply(img, table, rounded=False, seed=7)  # one sample, whatever the ensemble
        out = blended.apply(img, table, rounded=False, ensemble=ensemble, seed=7)
        np.testing.assert_allclose(out, 0.7 * mean + 0.3 * sample, atol=1e-6)
    assert blended.apply(img, table).dtype == np.uint8
    assert generator_digest(tmp_path / "blended.safetensors") != generator_digest(tmp_path / "plain.safetensors")

    torch.nn.init.normal_(anchor.out_conv.weight, std=0.05)  # another anchor under the recorded name
    export_model(tmp_path / "a" / "anchor.safetensors", anchor, {"generator": dataclasses.asdict(anchor.config),
                                                                 "quality": 50})
    with pytest.raises(InputError, match="SHA-256 differs"):
        load_trained_generator(tmp_path / "blended.safetensors")
    (tmp_path / "a" / "anchor.safetensors").unlink()
    with pytest.raises(InputError, match="anchor .* is missing"):
        load_trained_generator(tmp_path / "blended.safetensors")
