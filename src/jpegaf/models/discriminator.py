"""The discriminator D of Luo et al. (paper Fig. 1b, Sec. II-B): a CNN JPEG-compression detector.

Paper symbols -> code: D -> :class:`Discriminator`; D(x) (probability that x is uncompressed) ->
``forward(x)``; the logit of D(x) -> ``forward(x, return_logits=True)``; r (eq. 1) -> the SRM KV
residual stacked as a second channel.

Layout with the default :class:`DiscriminatorConfig` (128x128 gray input, the paper's crop)::

    input   [x, residual_scale * (x * KV)]                       2 x 128 x 128
    group 1 2 x [conv 3x3/1 (64), BN, ReLU], maxpool 4x4/4      64 x  32 x  32
    group 2 2 x [conv 3x3/1 (128), BN, ReLU], maxpool 4x4/4    128 x   8 x   8
    group 3 2 x [conv 3x3/1 (256), BN, ReLU], maxpool 4x4/4    256 x   2 x   2
    fc      1024 -> 64, ReLU; 64 -> 1; sigmoid

The fully-connected input size depends on the image size, so D is built for one ``input_size``
and refuses others with a ValueError.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from .srm import PADDING_MODES, SRMResidual


@dataclass(frozen=True)
class DiscriminatorConfig:
    in_channels: int = 1
    # Paper (Sec. IV-A): "we use images with the size of 128x128 to train our networks".
    input_size: int = 128
    # Paper: "We increase the number of convolutional kernels for each group by a factor of 2."
    # The first group's count is only in Fig. 1b, which the text copy lacks. 64 (-> 128 -> 256) is
    # chosen: it matches the generator's 64 maps and gives D about as many parameters as G
    # (1,212,289 vs 1,260,993), in line with "a relatively complex architecture for D, which is
    # competitive against the generator in the game". 32 gives 320,513.
    base_channels: int = 64
    # Paper: "three groups with the same function layers. Each group contains two consecutive
    # convolutional layers with 3x3 kernels and 1x1 strides, and ends with a 4x4 Max-pooling
    # layer using the stride of 4x4; each convolutional layer is followed by a BN layer and a RELU."
    n_groups: int = 3
    convs_per_group: int = 2
    pool: int = 4
    # Paper: "a 64 neurons fully-connected layer with ReLU as the activation, then followed by a
    # one neuron fully-connected layer with Sigmoid function as the activation."
    fc_channels: int = 64
    # Paper: "we stack the input image with the filtering output of a high-pass filter" (eq. 1).
    # Its scaling is not given. Default 1.0: eq. (1) applied literally to D's input x in [-1, 1]
    # (one grey level = 2/255). 0 feeds a zero residual channel (an ablation; the channel stays).
    residual_scale: float = 1.0
    # Border of the 5x5 filter (not in the paper); see jpegaf.models.srm.
    srm_padding: str = "reflect"

    def __post_init__(self) -> None:
        for name in ("in_channels", "input_size", "base_channels", "n_groups", "convs_per_group",
                     "pool", "fc_channels"):
            v = getattr(self, name)
            if not (isinstance(v, int) and v >= 1):
                raise ValueError(f"{name} must be a positive int, got {v!r}")
        if self.srm_padding not in PADDING_MODES:
            raise ValueError(f"srm_padding must be one of {PADDING_MODES}, got {self.srm_padding!r}")
        reduction = self.pool ** self.n_groups
        if self.input_size % reduction:
            raise ValueError(f"input_size must be a multiple of pool**n_groups = {reduction} "
                             f"(so that every max-pooling sees whole windows), got {self.input_size}")

    @property
    def feature_size(self) -> int:
        """Side of the last group's output: input_size / pool**n_groups (2 for 128x128)."""
        return self.input_size // self.pool ** self.n_groups

    @property
    def fc_in_features(self) -> int:
        last = self.base_channels * 2 ** (self.n_groups - 1)
        return last * self.feature_size ** 2


class Discriminator(nn.Module):
    """D: an image in [-1, 1] -> probability (0, 1) that it is uncompressed (paper's sigmoid).

    ``forward(x, return_logits=True)`` returns the logit instead, for a numerically stable
    ``binary_cross_entropy_with_logits``; ``sigmoid(logit)`` is exactly the default output.

    Shape:
        - Input: (N, in_channels, input_size, input_size), float in [-1, 1].
        - Output: (N, 1).
    """

    def __init__(self, config: DiscriminatorConfig | None = None) -> None:
        super().__init__()
        self.config = config = config if config is not None else DiscriminatorConfig()
        self.srm = SRMResidual(config.srm_padding)
        layers: list[nn.Module] = []
        cin = 2 * config.in_channels   # each channel and its KV residual
        for g in range(config.n_groups):
            cout = config.base_channels * 2 ** g
            for _ in range(config.convs_per_group):
                layers += [nn.Conv2d(cin, cout, kernel_size=3, stride=1, padding=1),
                           nn.BatchNorm2d(cout), nn.ReLU()]
                cin = cout
            layers.append(nn.MaxPool2d(kernel_size=config.pool, stride=config.pool))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(config.fc_in_features, config.fc_channels),
            nn.ReLU(),
            nn.Linear(config.fc_channels, 1),
        )

    def stack_residual(self, x: torch.Tensor) -> torch.Tensor:
        """D's input: x and residual_scale * (x * KV) stacked along channels (N, 2C, H, W)."""
        return torch.cat([x, self.config.residual_scale * self.srm(x)], dim=1)

    def forward(self, x: torch.Tensor, return_logits: bool = False) -> torch.Tensor:
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"expected a torch.Tensor, got {type(x).__name__}")
        c, s = self.config.in_channels, self.config.input_size
        if x.ndim != 4 or x.shape[1] != c or tuple(x.shape[-2:]) != (s, s):
            raise ValueError(f"this discriminator was built for input shape (N, {c}, {s}, {s}) "
                             f"(DiscriminatorConfig.input_size={s}), got {tuple(x.shape)}")
        if not x.is_floating_point():
            raise TypeError(f"expected a floating-point tensor in [-1, 1], got {x.dtype}")
        logits = self.classifier(self.features(self.stack_residual(x)))
        return logits if return_logits else torch.sigmoid(logits)


class DetectorDiscriminator(nn.Module):
    """D as a trained JPEG detector (not in the paper; issue 14's warm start): a
    :class:`~jpegaf.models.detector_cnn.DetectorCNN`, whose logit says "JPEG-compressed", with that
    logit negated, so that ``forward`` means what :class:`Discriminator`'s does: the probability
    that the image is uncompressed.

    Why: the paper's D starts from scratch and needs its 250,000 steps before its gradient tells
    G anything; a detector trained on originals vs JPEGs of the file's quality already separates
    them, and the generator's output starts close to the JPEG's side. It is also the network an
    analyst would retrain against the method's outputs (``scripts/adaptive_auc.py``), so G is
    trained against the adaptive detector's own architecture and starting point.

    Its constrained first layer must be projected after every optimizer step
    (:meth:`project_`; ``gan_step`` does it).
    """

    def __init__(self, detector: nn.Module) -> None:
        super().__init__()
        self.detector = detector

    def project_(self) -> None:
        """Re-impose the constrained layer's constraint (after every D step)."""
        self.detector.project_()

    def forward(self, x: torch.Tensor, return_logits: bool = False) -> torch.Tensor:
        logits = -self.detector(x)[:, None]  # "JPEG" logit -> "uncompressed" logit, shape (N, 1)
        return logits if return_logits else torch.sigmoid(logits)
