"""One training iteration of the paper's GAN, with the whole objective written here.

Code (paper): ``generator`` (G), ``discriminator`` (D), ``jpeg`` (x', the decoded JPEG),
``original`` (x, never compressed), ``vgg`` (phi, VGG-16 up to conv5_2 after ReLU).

    L_G = alpha * L1(x, G(x')) + beta * MSE(phi(x), phi(G(x'))) + gamma * log(1 - D(G(x')))   (3)-(6)
    L_D = E_x[-log D(x)] + E_x'[-log(1 - D(G(x')))]                                            (7)

A stochastic generator G(x', z) (not in the paper, issue 14) is run twice on each JPEG with fresh
noise, as one batch; its content term is the energy score of the two samples, over blocks
(:func:`jpegaf.losses.energy_score_blocks`) or per block-DCT coefficient
(:func:`jpegaf.losses.energy_score_coefficients`), in L1's place, and everything else sees the first.

Phase 1 trains G alone with alpha = 1, beta = gamma = 0. Phase 2 alternates: one D step on 16
generated images and their 16 originals, then one G step (the paper: "we train the generator for
one iteration after each training iteration of the discriminator").

D has BatchNorm, so what it says about an image depends on the batch around it. The G step
therefore asks D about the generated images in the batch D was trained on (originals +
generated, in training mode), and takes the generated half: G is trained against the function
that D learned. Asked about a generated-only batch, D normalises with the fakes' own statistics
and answers something else: measured on 64x64 JPEGs after 150 D steps, D(JPEG) was 0.05 in a
mixed batch and 0.52 in a fake-only one, so G was told it already looked real (issue 14).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from ..losses import (discriminator_bce, energy_score_blocks, energy_score_coefficients,
                      generator_adversarial_non_saturating,
                      generator_adversarial_paper, l1, perceptual_mse)
from ..losses.traces import blocking_trace, calibration_trace, lattice_trace
from ..models import DetectorDiscriminator, noise_planes


@dataclass(frozen=True)
class LossWeights:
    """The objective's weights (eq. 3), the generator's adversarial form, and the weights of the
    trace surrogates (not in the paper; 0: off)."""

    alpha: float
    beta: float
    gamma: float
    non_saturating: bool = False
    lattice: float = 0.0
    blocking: float = 0.0
    calibration: float = 0.0
    harmonics: int = 3

    @property
    def traces(self) -> bool:
        return max(self.lattice, self.blocking, self.calibration) > 0


def trace_terms(generated: Tensor, original: Tensor, table: Tensor | None, w: LossWeights) -> dict[str, Tensor]:
    """The trace surrogates that ``w`` turns on (jpegaf.losses.traces), unweighted, by name.
    ``table``: the file's luma steps, (8, 8) or per image (N, 8, 8), for the lattice term."""
    terms = {}
    if w.lattice > 0:
        if table is None:
            raise ValueError("the lattice term needs the quantization table")
        terms["lattice"] = lattice_trace(generated, original, table, w.harmonics)
    if w.blocking > 0:
        terms["blocking"] = blocking_trace(generated, original)
    if w.calibration > 0:
        terms["calibration"] = calibration_trace(generated, original)
    return terms


def _weighted(terms: dict[str, Tensor], w: LossWeights) -> Tensor:
    weights = {"lattice": w.lattice, "blocking": w.blocking, "calibration": w.calibration}
    return sum(weights[k] * v for k, v in terms.items())  # terms is not empty: a tensor


@dataclass
class GanNets:
    """The GAN's networks and optimizers, which travel together through every step.

    ``generator_ddp`` / ``discriminator_ddp`` are what a step calls to get synchronised gradients:
    the DistributedDataParallel wrappers with several processes, the networks themselves with
    one. ``vgg`` is phi (None when beta = 0).
    """

    generator: nn.Module
    discriminator: nn.Module
    opt_g: torch.optim.Optimizer
    opt_d: torch.optim.Optimizer
    vgg: nn.Module | None = None
    generator_ddp: nn.Module | None = None
    discriminator_ddp: nn.Module | None = None

    def __post_init__(self) -> None:
        self.generator_ddp = self.generator_ddp or self.generator
        self.discriminator_ddp = self.discriminator_ddp or self.discriminator


def _autocast(enabled: bool, device: torch.device):
    if not enabled:
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16)


@contextlib.contextmanager
def running_stats_frozen(module: nn.Module):
    """BatchNorm layers normalise with the batch's statistics but leave their running averages
    as they are (momentum 0): the D step has already added this iteration's batch to them."""
    layers = [m for m in module.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    saved = [m.momentum for m in layers]
    for m in layers:
        m.momentum = 0.0
    try:
        yield
    finally:
        for m, momentum in zip(layers, saved):
            m.momentum = momentum


def set_requires_grad(module: nn.Module, flag: bool) -> None:
    """Freeze D while G steps, so G's backward pass does not fill D's gradients."""
    for p in module.parameters():
        p.requires_grad_(flag)


@dataclass(frozen=True)
class Noise:
    """A stochastic generator's noise for one step: ``channels`` planes per sample, drawn from
    ``seed`` (the loop derives it from the run's seed, the step and the rank, so a resumed run
    draws what the uninterrupted one did). ``per_coefficient``: the energy score per block-DCT
    coefficient instead of over blocks (the config's ``content_loss``)."""

    channels: int
    seed: int
    per_coefficient: bool = False


def generate(generator: nn.Module, jpeg: Tensor, original: Tensor,
             noise: Noise | None) -> tuple[Tensor, Tensor]:
    """G's output for the batch and the content term: L1 (eq. 4) for a deterministic generator;
    for a stochastic one, two samples with fresh noise in one batch, the first returned and the
    energy score of both as the content term. Call under the step's autocast."""
    if noise is None:
        generated = generator(jpeg)
        return generated, l1(generated.float(), original)
    n, _, h, w = jpeg.shape
    z = noise_planes(2 * n, noise.channels, h, w, noise.seed, device=jpeg.device).to(jpeg.dtype)
    both = generator(torch.cat([torch.cat([jpeg, jpeg]), z], dim=1))
    first, second = both.float().chunk(2)
    score = energy_score_coefficients if noise.per_coefficient else energy_score_blocks
    return both[:n], score(first, second, original)


def generator_only_step(generator: nn.Module, opt_g: torch.optim.Optimizer, jpeg: Tensor,
                        original: Tensor, bf16: bool = False, w: LossWeights | None = None,
                        table: Tensor | None = None, noise: Noise | None = None) -> dict[str, float]:
    """Phase 1: L_G = L1 only (alpha = 1, beta = gamma = 0), or a stochastic generator's energy
    score (``noise``), plus the trace surrogates that ``w`` turns on (not in the paper)."""
    opt_g.zero_grad(set_to_none=True)
    with _autocast(bf16, jpeg.device):
        generated, content = generate(generator, jpeg, original, noise)
    terms = trace_terms(generated.float(), original, table, w) if w is not None and w.traces else {}
    loss = content + _weighted(terms, w) if terms else content
    loss.backward()
    opt_g.step()
    return {"loss_g": loss.item(), **_content_fields(generated, original, content, noise),
            **{k: v.item() for k, v in terms.items()}}


def _content_fields(generated: Tensor, original: Tensor, content: Tensor, noise: Noise | None) -> dict[str, float]:
    """The logged content figures: L1 (of the first sample), and the energy score when it is the term."""
    if noise is None:
        return {"l1": content.item()}
    with torch.no_grad():
        return {"l1": l1(generated.float(), original).item(), "energy": content.item()}


def gan_step(nets: GanNets, jpeg: Tensor, original: Tensor, w: LossWeights, bf16: bool = False,
             table: Tensor | None = None, train_generator: bool = True,
             noise: Noise | None = None) -> dict[str, float]:
    """Phase 2: one discriminator step, then one generator step on the same generated batch.

    The D step calls ``nets.discriminator_ddp`` (its gradients are synchronised); the G step calls
    the discriminator itself, because D is frozen then and has no gradients to synchronise.
    ``table``: the file's luma steps for the lattice surrogate. ``train_generator`` False: the D
    step only (D's warm-up; G's losses are still computed and reported). ``noise``: a stochastic
    generator's (module doc; D and the other terms see its first sample).
    """
    generator, discriminator, discriminator_unwrapped = nets.generator_ddp, nets.discriminator_ddp, nets.discriminator
    opt_g, opt_d, vgg = nets.opt_g, nets.opt_d, nets.vgg
    with contextlib.ExitStack() as frozen:
        if not train_generator:  # G does not change at all: no graph, running averages kept
            generator = nets.generator  # (no DDP wrapper: it would wait for a backward pass)
            frozen.enter_context(torch.no_grad())
            frozen.enter_context(running_stats_frozen(generator))
        with _autocast(bf16, jpeg.device):
            generated, content = generate(generator, jpeg, original, noise)

    # --- D step, eq. (7): originals are "uncompressed" (1), generated images are fakes (0). ---
    set_requires_grad(discriminator_unwrapped, True)
    opt_d.zero_grad(set_to_none=True)
    with _autocast(bf16, jpeg.device):
        logits = discriminator(torch.cat([original, generated.detach()]), return_logits=True).float()
    logits_real, logits_fake = logits.chunk(2)
    loss_d = discriminator_bce(logits_real, logits_fake)
    loss_d.backward()
    opt_d.step()
    if isinstance(discriminator_unwrapped, DetectorDiscriminator):
        discriminator_unwrapped.project_()  # a detector's constrained layer (--init-discriminator)

    # --- G step, eqs. (3)-(6), against the freshly updated D, asked in the D step's batch
    # composition (module doc): the generated half of D(originals + generated). ---
    set_requires_grad(discriminator_unwrapped, False)
    opt_g.zero_grad(set_to_none=True)
    with _autocast(bf16, jpeg.device), running_stats_frozen(discriminator_unwrapped):
        logits_fake_g = discriminator_unwrapped(torch.cat([original, generated]), return_logits=True).float().chunk(2)[1]
        if vgg is not None and w.beta > 0:
            perceptual = perceptual_mse(vgg(generated).float(), vgg(original).float())
        else:
            perceptual = torch.zeros((), device=jpeg.device)
    adversarial = (generator_adversarial_non_saturating(logits_fake_g) if w.non_saturating
                   else generator_adversarial_paper(logits_fake_g))
    terms = trace_terms(generated.float(), original, table, w) if w.traces else {}
    loss_g = w.alpha * content + w.beta * perceptual + w.gamma * adversarial
    if terms:
        loss_g = loss_g + _weighted(terms, w)
    if train_generator:
        loss_g.backward()
        opt_g.step()
    set_requires_grad(discriminator_unwrapped, True)

    with torch.no_grad():
        d_real = torch.sigmoid(logits_real).mean().item()
        d_fake = torch.sigmoid(logits_fake).mean().item()
    return {"loss_g": loss_g.item(), **_content_fields(generated, original, content, noise), "perceptual": perceptual.item(),
            "adversarial": adversarial.item(), "loss_d": loss_d.item(), "d_real": d_real,
            "d_fake": d_fake, **{k: v.item() for k, v in terms.items()}}
