"""VGG-16 features phi for the perceptual loss (paper eq. 5), written here (no torchvision).

Paper: "phi(.) represents the feature map obtained by the 12th convolution (after activation)
within the VGG-16 network, pre-trained on ImageNet", and "we extended every grayscale image to
three channels by simple duplication and then preprocessed it as that in [12]".

The layer list is torchvision's ``vgg16`` (cfg 'D') ``features`` exactly, so that a torchvision
state dict's ``features.N.weight`` / ``features.N.bias`` load without renaming. The 12th
convolution is conv5_2 at ``features[26]``; its ReLU is ``features[27]``; the module keeps
``features[:28]``. ReLUs are not in place (torchvision's are), so hooks see true activations.

Two input conventions, chosen by ``VGGConfig.preprocessing`` because each set of weights expects
its own (feeding one the other's input gives meaningless features):

* ``"caffe"``: the paper's reference [12] (Simonyan & Zisserman; Caffe, and Keras's ``vgg16``):
  pixels 0..255 in BGR order minus the mean pixel (103.939, 116.779, 123.68), no division. The
  weights are the original Caffe VGG-16 in torchvision's layout, e.g. Justin Johnson's conversion
  ``vgg16-00b39a1b.pth``. This is what the paper's beta = 1e-6 was set against.
* ``"torchvision"``: RGB in [0, 1] minus the ImageNet mean, divided by its std, for torchvision's
  own ImageNet file ``vgg16-397923af.pth``. Its inputs are about 255 x 0.226 = 58 times smaller
  than Caffe's, so its conv5_2 features are far smaller too, and the same beta weighs the
  perceptual term roughly 3,000 times less.

Either file is a plain state dict with keys ``features.*`` and ``classifier.*`` (the classifier is
ignored), or a ``.safetensors`` copy made with :func:`convert_vgg_to_safetensors`. Nothing is
downloaded: :func:`find_vgg_weights` says where to put the file.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from ..errors import InputError, JpegafError

#: torchvision's file name for the ImageNet VGG-16 weights (the hash is part of the name).
VGG16_WEIGHTS_FILENAME = "vgg16-397923af.pth"
VGG16_SAFETENSORS_FILENAME = "vgg16-397923af.safetensors"
#: The Caffe VGG-16 (the paper's [12]) converted to torchvision's layout by Justin Johnson
#: (github.com/jcjohnson/pytorch-vgg); it expects Caffe's input convention.
VGG16_CAFFE_WEIGHTS_FILENAME = "vgg16-00b39a1b.pth"
VGG16_CAFFE_SAFETENSORS_FILENAME = "vgg16-00b39a1b.safetensors"

#: torchvision cfg 'D': conv widths, "M" = 2x2 max-pooling.
VGG16_CFG: tuple = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M",
                    512, 512, 512, "M", 512, 512, 512, "M")

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
#: Caffe VGG's mean pixel, in its channel order (B, G, R), on the 0..255 scale.
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
VGG_PREPROCESSING = ("caffe", "torchvision")


@dataclass(frozen=True)
class VGGConfig:
    # Paper: "the 12th convolution (after activation)" = conv5_2 -> features[:28].
    n_convs: int = 12
    # Paper: duplicate gray to three channels, "preprocessed ... as that in [12]": "caffe" is [12]'s
    # convention (and needs the Caffe weights); "torchvision" goes with torchvision's file, with
    # ``mean`` and ``std`` (module doc).
    preprocessing: str = "torchvision"
    mean: tuple[float, float, float] = IMAGENET_MEAN
    std: tuple[float, float, float] = IMAGENET_STD

    def __post_init__(self) -> None:
        n_total = sum(1 for v in VGG16_CFG if v != "M")
        if not (isinstance(self.n_convs, int) and 1 <= self.n_convs <= n_total):
            raise ValueError(f"n_convs must be an int in 1..{n_total}, got {self.n_convs!r}")
        if len(self.mean) != 3 or len(self.std) != 3 or min(self.std) <= 0:
            raise ValueError("mean and std must hold three values, std > 0")
        if self.preprocessing not in VGG_PREPROCESSING:
            raise ValueError(f"preprocessing must be one of {VGG_PREPROCESSING}, got {self.preprocessing!r}")


def _vgg16_layers(n_convs: int) -> list[nn.Module]:
    """torchvision's vgg16 features, cut after the ReLU of the n_convs-th convolution."""
    layers: list[nn.Module] = []
    cin, seen = 3, 0
    for v in VGG16_CFG:
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        layers += [nn.Conv2d(cin, v, kernel_size=3, padding=1), nn.ReLU(inplace=False)]
        cin, seen = v, seen + 1
        if seen == n_convs:
            break
    return layers


class VGGFeatures(nn.Module):
    """phi: a gray image in [-1, 1] -> VGG-16 conv5_2 activations (frozen, always in eval mode).

    Built directly it has random weights (for tests); use :meth:`from_weights` for the real ones.

    Shape:
        - Input: (N, 1, H, W) in [-1, 1] (duplicated to RGB), or (N, 3, H, W) RGB in [-1, 1];
          H, W >= 16.
        - Output: (N, 512, H // 16, W // 16) with the default config.
    """

    def __init__(self, config: VGGConfig | None = None) -> None:
        super().__init__()
        self.config = config = config if config is not None else VGGConfig()
        self.features = nn.Sequential(*_vgg16_layers(config.n_convs))
        self.n_pools = sum(isinstance(m, nn.MaxPool2d) for m in self.features)
        # Fixed tables as non-persistent buffers: state_dict() holds exactly torchvision's keys.
        # Caffe: subtract the mean pixel on the 0..255 scale and divide by nothing.
        caffe = config.preprocessing == "caffe"
        mean, std = (CAFFE_MEAN_BGR, (1.0, 1.0, 1.0)) if caffe else (config.mean, config.std)
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(1, 3, 1, 1),
                             persistent=False)
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(1, 3, 1, 1),
                             persistent=False)
        self.requires_grad_(False)
        self.train(False)

    def train(self, mode: bool = True) -> VGGFeatures:
        # A fixed feature extractor: always eval, whatever a training loop asks of its parent.
        return super().train(False)

    def normalize(self, x: torch.Tensor) -> torch.Tensor:
        """[-1, 1] gray (or RGB) -> the network's input: ImageNet-normalised RGB
        ((x + 1) / 2 - mean) / std for "torchvision"; BGR 127.5 (x + 1) - mean pixel for "caffe"."""
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"expected a torch.Tensor, got {type(x).__name__}")
        if x.ndim != 4 or x.shape[1] not in (1, 3):
            raise ValueError(f"expected shape (N, 1, H, W) or (N, 3, H, W), got {tuple(x.shape)}")
        if not x.is_floating_point():
            raise TypeError(f"expected a floating-point tensor in [-1, 1], got {x.dtype}")
        caffe = self.config.preprocessing == "caffe"
        x = (x + 1.0) * (127.5 if caffe else 0.5)
        if x.shape[1] == 1:
            x = x.expand(-1, 3, -1, -1)
        elif caffe:
            x = x.flip(1)  # RGB -> BGR, the Caffe weights' channel order
        return (x - self.mean.to(x.dtype)) / self.std.to(x.dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.normalize(x)
        min_side = 2 ** self.n_pools
        if min(y.shape[-2:]) < min_side:
            raise ValueError(f"VGG features after {self.n_pools} poolings need H, W >= {min_side}, "
                             f"got {tuple(y.shape[-2:])}")
        return self.features(y)

    @classmethod
    def from_weights(cls, path: str | os.PathLike, config: VGGConfig | None = None) -> VGGFeatures:
        """Load torchvision's ImageNet VGG-16 (``.pth`` state dict, or ``.safetensors``)."""
        model = cls(config)
        path = Path(path)
        state = _load_state_dict(path)
        expected = model.state_dict()
        _validate(path, state, expected)
        with torch.no_grad():
            model.load_state_dict({k: state[k].to(torch.float32) for k in expected}, strict=True)
        return model


def _load_state_dict(path: Path) -> dict[str, torch.Tensor]:
    if not path.is_file():
        raise InputError(path, "no such file (VGG-16 weights)")
    try:
        if path.suffix == ".safetensors":
            from safetensors.torch import load_file
            state = load_file(str(path), device="cpu")
        else:
            # weights_only: never run pickled code from a weights file. mmap (zip format only; the
            # 2017 torchvision file is the legacy format) avoids reading the 500 MB classifier.
            state = torch.load(path, map_location="cpu", weights_only=True,
                               mmap=zipfile.is_zipfile(path))
    except Exception as e:  # torch and safetensors raise many kinds for a bad file
        raise InputError(path, f"cannot be read as a VGG-16 weights file ({type(e).__name__}: {e})") from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise InputError(path, "is not a plain state dict of tensors (expected torchvision's vgg16 file)")
    return state


def _validate(path: Path, state: dict, expected: dict) -> None:
    missing = [k for k in expected if k not in state]
    wrong = [f"{k} {tuple(state[k].shape)} (expected {tuple(v.shape)})"
             for k, v in expected.items() if k in state and state[k].shape != v.shape]
    problems = []
    if missing:
        problems.append("missing keys " + ", ".join(missing))
    if wrong:
        problems.append("wrong shapes " + ", ".join(wrong))
    if problems:
        raise InputError(path, "not torchvision's VGG-16 weights (features.N.weight/bias): "
                               + "; ".join(problems))
    bad = [k for k in expected if not torch.isfinite(state[k]).all()]
    if bad:
        raise InputError(path, "non-finite values in " + ", ".join(bad))


def _hub_candidates(preprocessing: str = "torchvision") -> list[Path]:
    checkpoints = Path(torch.hub.get_dir()) / "checkpoints"
    if preprocessing == "caffe":
        return [checkpoints / VGG16_CAFFE_WEIGHTS_FILENAME, checkpoints / VGG16_CAFFE_SAFETENSORS_FILENAME]
    return [checkpoints / VGG16_WEIGHTS_FILENAME, checkpoints / VGG16_SAFETENSORS_FILENAME]


def find_vgg_weights(path: str | os.PathLike | None = None, preprocessing: str = "torchvision") -> Path:
    """The VGG-16 weights file: ``path`` if given, else torch's hub cache; never downloads.

    Looks in ``<torch.hub.get_dir()>/checkpoints/`` for the file that goes with ``preprocessing``
    (``vgg16-397923af.pth`` for "torchvision", the Caffe conversion ``vgg16-00b39a1b.pth`` for
    "caffe"), then its ``.safetensors`` sibling. Raises :class:`JpegafError` saying where to put
    the file otherwise.
    """
    if preprocessing not in VGG_PREPROCESSING:
        raise ValueError(f"preprocessing must be one of {VGG_PREPROCESSING}, got {preprocessing!r}")
    hub = _hub_candidates(preprocessing)
    which = ("the Caffe VGG-16 converted to torchvision's layout (the paper's reference network, "
             "Caffe input convention)" if preprocessing == "caffe" else "torchvision's ImageNet VGG-16")
    other = "torchvision" if preprocessing == "caffe" else "caffe"
    advice = (f"put {which} weights file at {hub[0]} (or a safetensors copy at {hub[1]}), or pass "
              f"its path; or use the other network with --vgg-preprocessing {other}; or train "
              f"without the perceptual loss with --no-perceptual (beta = 0)")
    if path is not None:
        p = Path(path).expanduser()
        if not p.is_file():
            raise JpegafError(f"{p}: no such VGG-16 weights file; {advice}")
        return p
    for p in hub:
        if p.is_file():
            return p
    raise JpegafError(f"VGG-16 weights not found (nothing is downloaded); {advice}")


def convert_vgg_to_safetensors(src: str | os.PathLike, dst: str | os.PathLike,
                               features_only: bool = True) -> Path:
    """Write a ``.safetensors`` copy of a VGG-16 weights file (validated first).

    ``features_only`` (default) keeps the 26 ``features.*`` tensors (58 MB) and drops the 490 MB
    classifier, which the perceptual loss never uses.
    """
    from safetensors.torch import save

    from ..imageio import atomic_write_bytes

    src, dst = Path(src), Path(dst)
    state = _load_state_dict(src)
    full = VGGFeatures(VGGConfig(n_convs=13)).state_dict()
    _validate(src, state, full)
    keep = {k: v for k, v in state.items() if not features_only or k.startswith("features.")}
    atomic_write_bytes(dst, save({k: v.contiguous() for k, v in keep.items()}))
    return dst
