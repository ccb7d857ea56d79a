"""The SRM "KV" (SQUARE 5x5) high-pass filter that the discriminator stacks with its input.

Paper eq. (1): r = x * (1/12) [[-1, 2, -2, 2, -1], [2, -6, 8, -6, 2], [-2, 8, -12, 8, -2],
[2, -6, 8, -6, 2], [-1, 2, -2, 2, -1]], a residual filter from steganalysis (Fridrich & Kodovsky's
spatial rich model). Its rows and columns sum to 0 and it is symmetric (so correlation, which
``conv2d`` computes, equals convolution); it annihilates constants and planar ramps.

Border: the paper does not say. Zero padding would make a spurious edge of the image's own
brightness along every border (the residual there reaches several times the signal). The default
here is ``"reflect"`` (mirror without repeating the edge pixel, numpy's ``"reflect"`` and scipy's
``"mirror"``): a constant image gives exactly 0 everywhere, and a ramp gives a small kink response
within 2 pixels of the border instead of a jump.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

#: The KV kernel, float64 (5, 5), read-only.
KV_KERNEL: np.ndarray = np.array([[-1, 2, -2, 2, -1],
                                  [2, -6, 8, -6, 2],
                                  [-2, 8, -12, 8, -2],
                                  [2, -6, 8, -6, 2],
                                  [-1, 2, -2, 2, -1]], dtype=np.float64) / 12.0
KV_KERNEL.setflags(write=False)

PADDING_MODES = ("reflect", "replicate", "zeros")


def _check(x: torch.Tensor, padding_mode: str) -> None:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"expected a torch.Tensor, got {type(x).__name__}")
    if x.ndim != 4:
        raise ValueError(f"expected shape (N, C, H, W), got {tuple(x.shape)}")
    if not x.is_floating_point():
        raise TypeError(f"expected a floating-point tensor, got {x.dtype}")
    if padding_mode not in PADDING_MODES:
        raise ValueError(f"padding_mode must be one of {PADDING_MODES}, got {padding_mode!r}")
    if padding_mode == "reflect" and min(x.shape[-2:]) < 3:
        raise ValueError(f"reflect padding by 2 needs H, W >= 3, got {tuple(x.shape[-2:])}")


def srm_residual(x: torch.Tensor, padding_mode: str = "reflect",
                 kernel: torch.Tensor | None = None) -> torch.Tensor:
    """KV residual r = x * KV of every channel separately, same size as x (padding 2).

    Shape:
        - Input: (N, C, H, W), float.
        - Output: (N, C, H, W).

    Example:
        >>> srm_residual(torch.full((1, 1, 8, 8), 0.3)).abs().max().item() < 1e-6
        True
    """
    _check(x, padding_mode)
    if kernel is None:
        kernel = torch.tensor(KV_KERNEL, dtype=x.dtype, device=x.device).view(1, 1, 5, 5)
    c = x.shape[1]
    weight = kernel.to(dtype=x.dtype, device=x.device).expand(c, 1, 5, 5)
    if padding_mode == "zeros":
        return F.conv2d(x, weight, padding=2, groups=c)
    return F.conv2d(F.pad(x, (2, 2, 2, 2), mode=padding_mode), weight, groups=c)


class SRMResidual(nn.Module):
    """Module form of :func:`srm_residual`; the kernel is a fixed buffer, never a parameter.

    The buffer is not persistent: it stays out of ``state_dict()`` (checkpoints hold only what was
    learned) but moves with ``.to(device)``.
    """

    def __init__(self, padding_mode: str = "reflect") -> None:
        super().__init__()
        if padding_mode not in PADDING_MODES:
            raise ValueError(f"padding_mode must be one of {PADDING_MODES}, got {padding_mode!r}")
        self.padding_mode = padding_mode
        self.register_buffer("kernel", torch.tensor(KV_KERNEL, dtype=torch.float32).view(1, 1, 5, 5),
                             persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return srm_residual(x, self.padding_mode, self.kernel)

    def extra_repr(self) -> str:
        return f"padding_mode={self.padding_mode!r}"
