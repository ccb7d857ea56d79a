"""Critic steps: lower a frozen CNN critic's JPEG score by changes of one grey level (not in any
paper; the "frozen CNN critic" of issue 14).

A CNN detector trained on originals vs JPEGs still finds the compression in a restored image.
Here a *critic* of the same kind, trained on other photographs and with another seed than every
detector that judges the result, is run on every ``size`` x ``size`` tile of the plane (tiles at
a stride of half their side, so that a crop taken anywhere is covered), and the pixels where its
logit's gradient is largest move by one grey level against it, step after step, until every
tile scores below ``target`` or ``steps`` steps are done; no pixel moves by more than
``max_shift`` in all. What this does to detectors the critic is not (the shipped CNNs, trained
on the corpus's train part) is measured, not assumed: ``results/antiforensic/``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F

from ..detectors.cnn import CnnDetector

__all__ = ["CRITIC_STEPS", "critic_steps", "critic_steps_text", "critic_target_logit", "tile_logits", "tile_origins"]

# Defaults. STEPS x SHARE: ten steps, each moving the 5% of pixels where the critic's gradient is
# largest by one grey level; MAX_SHIFT bounds the total change of any pixel. TARGET_FRACTION:
# tiles are pushed below half the critic's own 5%-FPR threshold, a margin for detectors that are
# not the critic.
STEPS, SHARE, MAX_SHIFT, TARGET_FRACTION = 10, 0.05, 2, 0.5


def critic_steps_text(fraction: float = TARGET_FRACTION) -> str:
    """The critic steps' settings as text, with their target at ``fraction`` x each critic's
    threshold (part of the evaluation's cache keys)."""
    return (f"critic_steps(steps={STEPS}, share={SHARE}, max_shift={MAX_SHIFT}, "
            f"target={fraction} x threshold)")


#: The defaults as text.
CRITIC_STEPS = critic_steps_text()


def tile_origins(length: int, size: int) -> list[int]:
    """Starts of the tiles along one side: every size // 2, and one flush with the end."""
    if length < size:
        return []
    starts = list(range(0, length - size + 1, size // 2))
    if starts[-1] != length - size:
        starts.append(length - size)
    return starts


def critic_target_logit(critic: CnnDetector, target: float | None = None,
                        fraction: float = TARGET_FRACTION) -> float:
    """The logit every tile is pushed below: of ``target``, by default of ``fraction`` x the
    critic's own threshold (half of it: TARGET_FRACTION)."""
    if target is None:
        if critic.threshold is None:
            raise ValueError(f"{critic.name} has no threshold: give target")
        if not 0.0 < fraction * critic.threshold < 1.0:
            raise ValueError(f"fraction {fraction} x {critic.name}'s threshold {critic.threshold} is no probability")
        target = critic.threshold * fraction
    return float(np.log(target / (1.0 - target)))


def tile_logits(model: torch.nn.Module, t: torch.Tensor, rows: list[int], cols: list[int], size: int) -> torch.Tensor:
    """The critic's logit of every ``size`` x ``size`` tile of the plane ``t`` (H, W), tiles at
    ``rows`` x ``cols`` (:func:`tile_origins`), as one batch: (len(rows) * len(cols),)."""
    tiles = torch.stack([t[r:r + size, c:c + size] for r in rows for c in cols])[:, None]
    return model(tiles).reshape(-1)


def critic_steps(img: np.ndarray, critics: CnnDetector | Sequence[CnnDetector], *, target: float | None = None,
                 fraction: float = TARGET_FRACTION, steps: int = STEPS, share: float = SHARE,
                 max_shift: int = MAX_SHIFT) -> np.ndarray:
    """Critic steps on one plane (module doc).

    img: (H, W) real-valued (rounded and clipped first) -> float64 (H, W), integer-valued in
    [0, 255]. ``critics``: one critic or several (of different input sizes, e.g. 64 and 256 px),
    pushed together: each step follows the sum of their pulls, and ends when every tile of every
    critic is below target. ``target``: the probability every tile is brought below (default:
    ``fraction`` x each critic's own threshold, half of it unless told). Each step moves the
    ``share`` of pixels with the largest gradient magnitude; critics larger than the image are left
    out, and an image smaller than every critic comes back rounded and unchanged.
    """
    x = np.clip(np.floor(np.asarray(img, dtype=np.float64) + 0.5), 0, 255)
    if isinstance(critics, CnnDetector):
        critics = (critics,)
    # (model, tile rows, tile columns, side, target logit) of each critic that fits the plane.
    fitting = []
    for critic in critics:
        rows, cols = tile_origins(x.shape[0], critic.size), tile_origins(x.shape[1], critic.size)
        if rows and cols:
            fitting.append((critic.model, rows, cols, critic.size, critic_target_logit(critic, target, fraction)))
    if not fitting:
        return x
    x0 = x.copy()
    modes = [model.training for model, *_ in fitting]
    for model, *_ in fitting:
        model.eval()
    try:
        for _ in range(steps):
            # unit_range's scale (jpegaf.data.pairs), computed in float64 before the cast as the
            # measured figures were (unit_range's float32 arithmetic moves a few pixels differently).
            t = torch.tensor(x / 127.5 - 1.0, dtype=torch.float32, requires_grad=True)
            pulls, above = [], False
            for model, rows, cols, size, target_logit in fitting:
                logits = tile_logits(model, t, rows, cols, size)
                above |= float(logits.detach().max()) >= target_logit
                # Only tiles still above target push; softplus keeps their pull smooth near it.
                pulls.append(F.softplus(logits - target_logit).sum())
            if not above:
                break
            torch.stack(pulls).sum().backward()
            g = t.grad.numpy().astype(np.float64)
            mag = np.abs(g)
            cut = np.quantile(mag, 1.0 - share)
            move = (mag >= cut) & (mag > 0)
            new = x - np.sign(g) * move
            ok = (new >= 0) & (new <= 255) & (np.abs(new - x0) <= max_shift)
            x = np.where(ok, new, x)
    finally:
        for (model, *_), mode in zip(fitting, modes):
            model.train(mode)
    return x
