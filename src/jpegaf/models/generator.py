"""The anti-forensic generator G of Luo et al. (paper Fig. 1a, Sec. II-A), after SRGAN.

Paper symbols -> code: G -> :class:`Generator`; x' (JPEG image scaled to [-1, 1]) -> ``x``;
G(x') -> the return value of :meth:`Generator.forward`.

Layout with the default :class:`GeneratorConfig` (every convolution 3x3, stride 1, padding 1, so the
output has the input's size)::

    head   conv(1 -> 64), LeakyReLU(0.2)                                  -> h0
    body   16 x [conv(64->64), BN, LeakyReLU(0.2), conv(64->64), BN, + identity]
    tail   conv(64->64), BN, + h0 (long skip)                             -> three convolutions:
           conv(64->64), LeakyReLU(0.2)                                       this one,
           conv(64->1)                                                        this one and the last
    out    tanh(last conv)                      (paper form, default)
           clamp(x + last conv, -1, 1)          (global_skip=True: NOT in the paper)

The paper leaves open how wide the last three convolutions are, where SRGAN's long skip joins and
what sits between the last convolutions; these follow SRGAN (Ledig et al. 2017, Fig. 4): after the
residual blocks a conv + BN whose output is summed with the first conv's output, then the
upsampling convolutions (here, with no upsampling, one plain 64-map conv + activation), then the
final conv to the image's channels. That reading gives 1,260,993 parameters, the "about 1.26 M"
quoted for this generator. Each open choice is a config field.

Weights use PyTorch's default initialisation (the paper, written in TensorFlow, does not say).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class GeneratorConfig:
    # Paper: "a convolutional layer with 3x3 kernels and 64 feature maps, followed by a leaky
    # rectified linear unit (LeakyReLU)"; grayscale images, so one input channel.
    in_channels: int = 1
    channels: int = 64
    # Paper: "Then, we deploy 16 identical residual blocks."
    n_blocks: int = 16
    # Paper (Sec. IV-A): "The leak slope of LeakyReLUs was set to 0.2".
    leaky_slope: float = 0.2
    # Paper: "After 16 residual blocks, another three convolutional layers are deployed." Their
    # widths are not given. Read as SRGAN: conv(channels) + BN [the long-skip conv], then the
    # convolutions listed here (SRGAN's upsampling convs, here without upsampling), then a final
    # conv to in_channels. The default (64,) makes three tail convolutions in all.
    tail_channels: tuple[int, ...] = (64,)
    # SRGAN puts BN after the conv that closes the residual trunk (before the long-skip sum).
    tail_bn: bool = True
    # SRGAN's long skip: the trunk's output (after the conv + BN above) is summed with the first
    # conv's output h0. Not spelled out in the paper's text ("in the SRGAN manner").
    long_skip: bool = True
    # LeakyReLU after each tail_channels conv (SRGAN has PReLU after its upsampling convs).
    tail_activation: bool = True
    # NOT in the paper. Paper: "we place a Hyperbolic Tangent (Tanh) function after the last
    # convolutional layer". With global_skip=True the output is clamp(x + last_conv, -1, 1) and
    # the last conv starts at zero (so G starts as the identity). On CPU it learns far faster
    # (reference/measurements.md: +0.67 dB after 100 L1 steps against -7.4 dB for the paper's
    # form). A departure from the paper: record it with any result it produced.
    global_skip: bool = False
    # NOT in the paper. Extra input channels after the image's: 1 = the quantization-table plane of
    # :func:`jpegaf.data.conditioning.qtable_plane` (one generator for several qualities). The
    # output keeps ``in_channels`` channels; the global skip adds the image channels only.
    condition_channels: int = 0
    # NOT in the paper (issue 14). Planes of standard normal noise after the image and conditioning
    # planes: the generator becomes a sampler, G(x', z), whose output can carry a noise floor that
    # a deterministic restorer averages away. Trained with the energy score
    # (jpegaf.losses.energy_score_blocks); callers append the planes (noise_planes).
    noise_channels: int = 0

    @property
    def input_channels(self) -> int:
        """Channels of the generator's input: image, then conditioning, then noise planes."""
        return self.in_channels + self.condition_channels + self.noise_channels

    def __post_init__(self) -> None:
        for name in ("in_channels", "channels"):
            if not (isinstance(getattr(self, name), int) and getattr(self, name) >= 1):
                raise ValueError(f"{name} must be a positive int, got {getattr(self, name)!r}")
        for name in ("condition_channels", "noise_channels"):
            if not (isinstance(getattr(self, name), int) and getattr(self, name) >= 0):
                raise ValueError(f"{name} must be a non-negative int, got {getattr(self, name)!r}")
        if not (isinstance(self.n_blocks, int) and self.n_blocks >= 0):
            raise ValueError(f"n_blocks must be a non-negative int, got {self.n_blocks!r}")
        if not self.leaky_slope >= 0:
            raise ValueError(f"leaky_slope must be >= 0, got {self.leaky_slope!r}")
        if not isinstance(self.tail_channels, tuple) or not all(
                isinstance(c, int) and c >= 1 for c in self.tail_channels):
            raise ValueError(f"tail_channels must be a tuple of positive ints, got {self.tail_channels!r}")


def _conv3x3(cin: int, cout: int) -> nn.Conv2d:
    # Paper: "the size of feature maps keeps the same in each convolutional layer with the use of
    # 1x1 stride" -> stride 1, padding 1 (zeros, as TensorFlow's 'SAME').
    return nn.Conv2d(cin, cout, kernel_size=3, stride=1, padding=1)


class ResidualBlock(nn.Module):
    """conv, BN, LeakyReLU, conv, BN, plus the block's input (identity skip, no activation after).

    Paper: "two convolutional layers with 3x3 kernels and 64 feature maps, followed by
    Batch-normalization (BN) layers and LeakyReLU ... skip connections on each block's output,
    which are added into the output of the second BN layer of next block."
    """

    def __init__(self, channels: int, leaky_slope: float) -> None:
        super().__init__()
        self.conv1 = _conv3x3(channels, channels)
        self.bn1 = nn.BatchNorm2d(channels)
        self.act = nn.LeakyReLU(leaky_slope)
        self.conv2 = _conv3x3(channels, channels)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return h + self.bn2(self.conv2(self.act(self.bn1(self.conv1(h)))))


class Generator(nn.Module):
    """G: a JPEG-compressed image in [-1, 1] -> an anti-forensically modified image in [-1, 1].

    Shape:
        - Input: (N, in_channels + condition_channels + noise_channels, H, W), float; the image
          channels in [-1, 1], then the conditioning planes (if any), then the noise planes (if
          any, :func:`noise_planes`); any H, W >= 1.
        - Output: (N, in_channels, H, W), values in [-1, 1].

    Example:
        >>> g = Generator(GeneratorConfig(n_blocks=2)).eval()
        >>> g(torch.zeros(1, 1, 37, 53)).shape
        torch.Size([1, 1, 37, 53])
    """

    def __init__(self, config: GeneratorConfig | None = None) -> None:
        super().__init__()
        self.config = config = config if config is not None else GeneratorConfig()
        c = config.channels
        self.head = nn.Sequential(_conv3x3(config.input_channels, c), nn.LeakyReLU(config.leaky_slope))
        self.body = nn.Sequential(*[ResidualBlock(c, config.leaky_slope) for _ in range(config.n_blocks)])
        self.trunk_conv = _conv3x3(c, c)
        self.trunk_bn = nn.BatchNorm2d(c) if config.tail_bn else nn.Identity()
        layers: list[nn.Module] = []
        cin = c
        for width in config.tail_channels:
            layers.append(_conv3x3(cin, width))
            if config.tail_activation:
                layers.append(nn.LeakyReLU(config.leaky_slope))
            cin = width
        self.tail = nn.Sequential(*layers)
        self.out_conv = _conv3x3(cin, config.in_channels)
        if config.global_skip:
            # Zero start: G(x) = x exactly at initialisation; gradients still reach out_conv.
            nn.init.zeros_(self.out_conv.weight)
            nn.init.zeros_(self.out_conv.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"expected a torch.Tensor, got {type(x).__name__}")
        n_in = self.config.input_channels
        if x.ndim != 4 or x.shape[1] != n_in:
            raise ValueError(f"expected shape (N, {n_in}, H, W), got {tuple(x.shape)}")
        if not x.is_floating_point():
            raise TypeError(f"expected a floating-point tensor in [-1, 1], got {x.dtype}")
        h0 = self.head(x)
        h = self.trunk_bn(self.trunk_conv(self.body(h0)))
        if self.config.long_skip:
            h = h + h0
        r = self.out_conv(self.tail(h))
        if self.config.global_skip:
            return torch.clamp(x[:, :self.config.in_channels] + r, -1.0, 1.0)
        return torch.tanh(r)


def noise_planes(n: int, channels: int, h: int, w: int, seed: int | None = None,
                 device: str | torch.device = "cpu") -> torch.Tensor:
    """(n, channels, h, w) float32 standard normal planes: a stochastic generator's z.

    ``seed``: drawn from a generator of its own, so the same seed gives the same planes (and the
    same output) whatever else has used torch's global generator; None: torch's global generator
    (training, where the loop seeds it).
    """
    g = None if seed is None else torch.Generator().manual_seed(seed)
    return torch.randn(n, channels, h, w, generator=g).to(device)


def noise_channels_of(module: nn.Module) -> int:
    """How many noise planes ``module`` takes after its image and conditioning planes: its config's
    ``noise_channels`` (a :class:`Generator` or its fast CPU form), 0 for any other module."""
    return getattr(getattr(module, "config", None), "noise_channels", 0)


def count_parameters(module: nn.Module, trainable_only: bool = False) -> int:
    """Number of scalar parameters (BN running statistics and other buffers are not counted)."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad or not trainable_only)


def flops_per_pixel(config: GeneratorConfig | None = None) -> int:
    """Floating-point operations of G's convolutions per output pixel: 2 x multiply-adds.

    Biases, BN, activations and skip sums (a few hundred operations per pixel) are left out. The
    paper's generator: 2 x (9*1*64 + 34*9*64*64 + 9*64*1) = 2,509,056 (about 2.5 MFLOP/pixel).
    """
    config = config if config is not None else GeneratorConfig()
    c = config.channels
    macs = 9 * config.input_channels * c  # head
    macs += config.n_blocks * 2 * 9 * c * c           # residual blocks
    macs += 9 * c * c                                 # trunk conv (long skip)
    cin = c
    for width in config.tail_channels:
        macs += 9 * cin * width
        cin = width
    macs += 9 * cin * config.in_channels              # out conv
    return 2 * macs
