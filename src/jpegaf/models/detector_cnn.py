"""A MISLnet-style CNN JPEG-compression detector with Bayar & Stamm's constrained first layer.

Layout with the default :class:`DetectorCNNConfig` (reference/algorithms.md sec. 5; the layout is
from a third-party Keras "Bayar network (MISLNet)", the 2016/2018 papers' own code was not read)::

    C1  constrained conv 5x5/1, 3 filters, no padding, no bias, no activation
    C2  conv 7x7/2 (96), padding 3     -> BN -> tanh -> max-pool 3x3/2
    C3  conv 5x5/1 (64), padding 2     -> BN -> tanh -> max-pool 3x3/2
    C4  conv 5x5/1 (64), padding 2     -> BN -> tanh -> max-pool 3x3/2
    C5  conv 1x1/1 (128)               -> BN -> tanh -> avg-pool 3x3/2
    FC6 200, tanh;  FC7 200, tanh;  FC8 1 (the logit of "JPEG-compressed")

All poolings use ``ceil_mode=True`` (Caffe's rounding): the final map is 1x1, 3x3, 7x7 and 15x15
for inputs of 64, 128, 256 and 512 (FC6 input 128, 1152, 6272, 28800 features). PyTorch's default
floor rounding would give 2x2/6x6/14x14 and collapse a 64x64 input to nothing. C2..C5 have no
bias: each is followed by batch normalisation, whose shift makes a bias redundant.

The papers end with a softmax over two classes; one logit with a sigmoid is the same model (the
softmax of two logits depends only on their difference) with half the last layer.

The flatten size depends on the input size, so a network is built for one ``input_size`` (one
binary model per image size, as in the paper) and refuses other inputs with a ValueError.

Constrained convolution (Bayar & Stamm): each C1 filter is forced to be a prediction-error
filter: centre weight -1, off-centre weights summing to 1, so the filter's weights sum to 0 and a
constant image gives a zero output. :meth:`ConstrainedConv2d.project_` re-imposes this; the
training loop calls it after every optimizer step, and the layer calls it once at
initialisation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

#: An off-centre sum whose magnitude is below this is not divided by (see ``project_``).
OFFCENTRE_SUM_EPS = 1e-2


class ConstrainedConv2d(nn.Conv2d):
    """Bayar & Stamm's constrained convolution: a bank of learned prediction-error filters.

    After :meth:`project_`, for every output filter k and input channel c,
    ``w[k, c, centre] == -1`` and ``sum(w[k, c, off-centre]) == 1``.

    Per-channel versus joint normalisation: the constraint is applied to each (output filter,
    input channel) slice separately ("per channel"), which is what the reference snippet does
    (sum over the two spatial axes only). With one (gray) input channel, the only case this
    package trains, per-channel and joint normalisation are the same thing. Per channel, every
    channel's slice sums to 0, so a constant image gives a zero output whatever the number of
    channels; a joint version (off-centre weights of all channels summing to 1 with every centre
    at -1) would not have that property.

    Projection (the reference's, done in float64 and written back): set the centre to 0, divide
    the slice by its sum (now the off-centre sum s), set the centre to -1. When ``|s| <
    OFFCENTRE_SUM_EPS`` the division would blow the filter up (or flip it at random around s = 0;
    how the original handled this is not known), so such a slice is instead moved to the nearest
    point of the constraint set: ``(1 - s) / (n - 1)`` is added to each of its n - 1 off-centre
    weights (the Euclidean projection onto "off-centre sum = 1").

    The kernel must be square with an odd side (it needs a centre). Bias is off by default (a bias
    would make a constant image give a non-zero output); it is not constrained when enabled.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 5, *, bias: bool = False):
        if kernel_size < 3 or kernel_size % 2 == 0:
            raise ValueError(f"the constrained kernel needs a centre: an odd size >= 3, got {kernel_size}")
        super().__init__(in_channels, out_channels, kernel_size, stride=1, padding=0, bias=bias)
        self.project_()

    @property
    def centre(self) -> int:
        return self.kernel_size[0] // 2

    @torch.no_grad()
    def project_(self) -> None:
        """Re-impose the constraint in place (call after every optimizer step)."""
        c = self.centre
        w = self.weight.detach().to(torch.float64).clone()
        w[:, :, c, c] = 0.0
        s = w.sum(dim=(2, 3), keepdim=True)
        n_off = w.shape[2] * w.shape[3] - 1
        small = s.abs() < OFFCENTRE_SUM_EPS
        scaled = w / torch.where(small, torch.ones_like(s), s)
        shifted = w + (1.0 - s) / n_off
        w = torch.where(small, shifted, scaled)
        w[:, :, c, c] = -1.0
        self.weight.copy_(w.to(self.weight.dtype))

    def constraint_error(self) -> tuple[float, float]:
        """(max |w_centre + 1|, max |sum of off-centre weights - 1|) over all slices, in float64."""
        c = self.centre
        w = self.weight.detach().to(torch.float64)
        centre = w[:, :, c, c]
        off = w.sum(dim=(2, 3)) - centre
        return float((centre + 1).abs().max()), float((off - 1).abs().max())


@dataclass(frozen=True)
class DetectorCNNConfig:
    """Every width and size of :class:`DetectorCNN`; the defaults are MISLnet's (algorithms.md 5)."""

    input_size: int = 256
    in_channels: int = 1
    # C1, the constrained layer
    constrained_filters: int = 3
    constrained_kernel: int = 5
    constrained_bias: bool = False
    # C2
    conv2_channels: int = 96
    conv2_kernel: int = 7
    conv2_stride: int = 2
    # C3, C4 (same kernel)
    conv3_channels: int = 64
    conv4_channels: int = 64
    conv34_kernel: int = 5
    # C5 (1x1)
    conv5_channels: int = 128
    # FC6, FC7
    fc6_units: int = 200
    fc7_units: int = 200
    # poolings after C2..C5 (max, max, max, average), all with ceil rounding
    pool_kernel: int = 3
    pool_stride: int = 2

    def __post_init__(self) -> None:
        for name in ("input_size", "in_channels", "constrained_filters", "constrained_kernel",
                     "conv2_channels", "conv2_kernel", "conv2_stride", "conv3_channels",
                     "conv4_channels", "conv34_kernel", "conv5_channels", "fc6_units", "fc7_units",
                     "pool_kernel", "pool_stride"):
            v = getattr(self, name)
            if not (isinstance(v, int) and not isinstance(v, bool) and v >= 1):
                raise ValueError(f"{name} must be a positive int, got {v!r}")
        if self.constrained_kernel % 2 == 0 or self.constrained_kernel < 3:
            raise ValueError(f"constrained_kernel must be odd and >= 3, got {self.constrained_kernel}")
        if self.conv2_kernel % 2 == 0 or self.conv34_kernel % 2 == 0:
            raise ValueError("conv2_kernel and conv34_kernel must be odd ('same'-style padding)")
        self.map_sizes()  # raises ValueError when input_size is too small

    def map_sizes(self) -> list[int]:
        """Side of the feature map after C1, C2, pool2, C3, pool3, C4, pool4, C5, pool5."""
        def conv(n: int, k: int, s: int, p: int) -> int:
            return (n + 2 * p - k) // s + 1

        def pool(n: int) -> int:
            k, s = self.pool_kernel, self.pool_stride
            if n < k:
                raise ValueError(f"input_size {self.input_size} is too small for this network: a "
                                 f"{k}x{k} pooling meets a {n}x{n} map")
            out = math.ceil((n - k) / s) + 1
            if (out - 1) * s >= n:  # PyTorch's ceil mode: the last window must start inside
                out -= 1
            return out

        sizes = []
        n = conv(self.input_size, self.constrained_kernel, 1, 0)
        if n < 1:
            raise ValueError(f"input_size {self.input_size} is smaller than the constrained kernel")
        sizes.append(n)
        n = conv(n, self.conv2_kernel, self.conv2_stride, self.conv2_kernel // 2)
        sizes.append(n)
        for _ in range(2):  # pool2, C3 / pool3, C4
            n = pool(n)
            sizes += [n, n]  # the conv keeps the size ('same' padding)
        n = pool(n)
        sizes += [n, n]      # pool4, C5 (1x1)
        sizes.append(pool(n))
        return sizes

    @property
    def final_map_size(self) -> int:
        """Side of the map that is flattened into FC6 (1, 3, 7, 15 for 64, 128, 256, 512)."""
        return self.map_sizes()[-1]

    @property
    def flatten_features(self) -> int:
        """FC6 input features: conv5_channels * final_map_size**2."""
        return self.conv5_channels * self.final_map_size ** 2


def _block(cin: int, cout: int, kernel: int, stride: int, pool: nn.Module) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2, bias=False),
                         nn.BatchNorm2d(cout), nn.Tanh(), pool)


class DetectorCNN(nn.Module):
    """MISLnet-style binary detector: image in [-1, 1] -> logit of "JPEG-compressed" (N,).

    Shape:
        - Input: (N, in_channels, input_size, input_size), float (images scaled by
          ``x = pixel / 127.5 - 1``, as :func:`jpegaf.data.to_unit_range`).
        - Output: (N,) logits; ``sigmoid(logit)`` is the probability of JPEG.
    """

    def __init__(self, config: DetectorCNNConfig | None = None) -> None:
        super().__init__()
        self.config = c = config if config is not None else DetectorCNNConfig()
        k, s = c.pool_kernel, c.pool_stride
        self.c1 = ConstrainedConv2d(c.in_channels, c.constrained_filters, c.constrained_kernel,
                                    bias=c.constrained_bias)
        self.c2 = _block(c.constrained_filters, c.conv2_channels, c.conv2_kernel, c.conv2_stride,
                         nn.MaxPool2d(k, s, ceil_mode=True))
        self.c3 = _block(c.conv2_channels, c.conv3_channels, c.conv34_kernel, 1,
                         nn.MaxPool2d(k, s, ceil_mode=True))
        self.c4 = _block(c.conv3_channels, c.conv4_channels, c.conv34_kernel, 1,
                         nn.MaxPool2d(k, s, ceil_mode=True))
        self.c5 = _block(c.conv4_channels, c.conv5_channels, 1, 1, nn.AvgPool2d(k, s, ceil_mode=True))
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(c.flatten_features, c.fc6_units), nn.Tanh(),
            nn.Linear(c.fc6_units, c.fc7_units), nn.Tanh(),
            nn.Linear(c.fc7_units, 1),
        )

    def project_(self) -> None:
        """Re-impose the constrained layer's constraint (after every optimizer step)."""
        self.c1.project_()

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The map flattened into FC6: (N, conv5_channels, final_map_size, final_map_size)."""
        self._check(x)
        return self.c5(self.c4(self.c3(self.c2(self.c1(x)))))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))[:, 0]

    def _check(self, x: torch.Tensor) -> None:
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"expected a torch.Tensor, got {type(x).__name__}")
        c, s = self.config.in_channels, self.config.input_size
        if x.ndim != 4 or x.shape[1] != c or tuple(x.shape[-2:]) != (s, s):
            raise ValueError(f"this detector was built for input shape (N, {c}, {s}, {s}) "
                             f"(DetectorCNNConfig.input_size={s}), got {tuple(x.shape)}")
        if not x.is_floating_point():
            raise TypeError(f"expected a floating-point tensor in [-1, 1], got {x.dtype}")
