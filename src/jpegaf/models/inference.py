"""Fast CPU inference for the generator: BatchNorm folded into the convolutions, oneDNN fused
convolutions with pre-packed weights, bfloat16 inside on CPUs with native bf16 dot products.

Two explicit steps, both for eval-mode inference only:

- :func:`fold_batchnorm` -> an equivalent :class:`~jpegaf.models.Generator` copy whose BatchNorm
  layers are folded into the convolution before them (eval-mode BN is an affine map per channel),
  so every BN pass over memory disappears. Same output to float rounding (~1e-6).
- :func:`fast_cpu_generator` -> the fastest path measured to be exact enough: a
  :class:`FusedCpuGenerator` built from the folded generator.

Why these choices: every variant (channels-last, BN folding, oneDNN fusion, bf16 autocast and
weights, ONNX Runtime, torch.compile, TorchScript) was timed in one run against the plain fp32
generator and checked against it (the requirement: PSNR against the never-compressed original
within 0.05 dB of fp32's); the figures, and the command that remeasures them
(benchmarks/bench_generator.py), are in results/inference.md. The bf16 fused path was the
fastest that met the requirement, with the fp32 fused path next.

torch.compile is not used: with ``freezing=True`` it is barely faster than the fused path and not
shape-generic (it recompiles for every new tile shape, several seconds each, and once dynamo
switches to dynamic shapes inductor's leaky-ReLU fusion fails with an assertion in torch 2.13);
without freezing it gave ~1.4x (fp32) and ~2.7x (bf16). It also needs a C++ compiler at run
time. The fused path calls the very oneDNN kernels inductor emits
(``torch.ops.mkldnn._convolution_pointwise``: convolution + bias + LeakyReLU, or convolution +
bias + residual add in place) directly in eager mode, so it works on every input size with no
compilation step. These are private torch ops: :func:`fast_cpu_generator` checks them against the
folded generator when it builds the module and falls back to the folded eager generator if they
are missing or disagree.
"""

from __future__ import annotations

import copy

import torch
from torch import nn

from .generator import Generator

# Weights are pre-packed (reordered once into oneDNN's blocked layout) for this input size: the
# interior tile of tiled_generate's default (512 + 2 x 40 overlap). Any other size still works
# (oneDNN reorders if the kernel it picks wants another layout); the size is only a hint.
PREPACK_HW = (592, 592)

# padding, stride, dilation, groups of every generator convolution (3x3, stride 1, padding 1)
_CONV_ARGS = ([1, 1], [1, 1], [1, 1], 1)


def _fold_conv_bn(conv: nn.Conv2d, bn: nn.BatchNorm2d) -> None:
    """Fold eval-mode ``bn`` into ``conv`` (in place): W' = W * g / sqrt(var + eps) per output
    channel, b' = (b - mean) * g / sqrt(var + eps) + beta; computed in float64."""
    if bn.running_mean is None or bn.running_var is None:
        raise ValueError("a BatchNorm without running statistics cannot be folded")
    w = conv.weight.detach().double()
    b = (conv.bias.detach().double() if conv.bias is not None
         else torch.zeros(w.shape[0], dtype=torch.float64, device=w.device))
    gamma = bn.weight.detach().double() if bn.weight is not None else torch.ones_like(b)
    beta = bn.bias.detach().double() if bn.bias is not None else torch.zeros_like(b)
    scale = gamma / torch.sqrt(bn.running_var.detach().double() + bn.eps)
    new_w = w * scale[:, None, None, None]
    new_b = (b - bn.running_mean.detach().double()) * scale + beta
    with torch.no_grad():
        conv.weight.copy_(new_w.to(conv.weight.dtype))
        if conv.bias is None:
            conv.bias = nn.Parameter(new_b.to(conv.weight.dtype))
        else:
            conv.bias.copy_(new_b.to(conv.bias.dtype))


def fold_batchnorm(generator: Generator) -> Generator:
    """An eval-only copy of ``generator`` with every BatchNorm folded into the convolution before it.

    Eval-mode BatchNorm is y = (x - running_mean) / sqrt(running_var + eps) * weight + bias, an
    affine map per channel, so it merges into the preceding convolution's weights and bias; the BN
    modules become ``nn.Identity``. The copy computes what ``generator.eval()`` computes (equal to
    ~1e-6 in [-1, 1] units in float32), for any :class:`~jpegaf.models.GeneratorConfig`
    (``tail_bn``, ``condition_channels``, ...). ``generator`` itself is not changed; the copy keeps
    its device and memory format, is in eval mode and has ``requires_grad`` off: it is for
    inference only (training it would train a different network, without BN).

    Measured on the trained QF 50 generator, fp32 channels-last at 512x512: 1.66x the plain fp32
    NCHW forward against 1.32x without folding, same run (the 33 BN passes over 64-channel maps
    removed).
    """
    if not isinstance(generator, Generator):
        raise TypeError(f"expected a jpegaf Generator, got {type(generator).__name__}")
    g = copy.deepcopy(generator).eval()
    for block in g.body:
        _fold_conv_bn(block.conv1, block.bn1)
        block.bn1 = nn.Identity()
        _fold_conv_bn(block.conv2, block.bn2)
        block.bn2 = nn.Identity()
    if isinstance(g.trunk_bn, nn.BatchNorm2d):
        _fold_conv_bn(g.trunk_conv, g.trunk_bn)
        g.trunk_bn = nn.Identity()
    g.requires_grad_(False)
    return g


def has_native_bf16() -> bool:
    """True when this CPU has bfloat16 dot-product instructions (AVX512-BF16 or AMX), where oneDNN
    runs bf16 at two to three times its fp32 rate (torch.mm here: 150-175 against 50-75 GFLOP/s).
    Elsewhere bf16 is emulated and was not measured, so :func:`fast_cpu_generator` stays fp32."""
    checks = (getattr(torch.cpu, "_is_avx512_bf16_supported", None),
              getattr(torch.cpu, "_is_amx_tile_supported", None))
    try:
        return any(bool(f()) for f in checks if f is not None)
    except RuntimeError:
        return False


def _mkldnn_ops_available() -> bool:
    if not torch.backends.mkldnn.is_available():
        return False
    try:
        torch.ops.mkldnn._convolution_pointwise.default  # noqa: B018  (raises if not built in)
        torch.ops.mkldnn._convolution_pointwise_.binary  # noqa: B018
        torch.ops.mkldnn._reorder_convolution_weight  # noqa: B018
    except (AttributeError, RuntimeError):
        return False
    return True


class FusedCpuGenerator(nn.Module):
    """The generator as a chain of oneDNN fused convolutions with pre-packed weights (CPU only).

    Built from a BN-folded generator (:func:`fold_batchnorm`). Each convolution runs as one oneDNN
    primitive with its epilogue fused: conv + bias + LeakyReLU, or conv + bias + the residual sum
    (added in place into the residual stream), so no separate activation, BN or addition pass
    touches the 64-channel maps. Weights are reordered once, at construction, into oneDNN's blocked
    layout (for a :data:`PREPACK_HW` input; other sizes work the same). Activations are
    channels-last.

    ``bf16=True``: the 64-channel trunk (the residual blocks, the long-skip convolution and the
    tail convolutions: >99.9% of the FLOPs) runs in bfloat16 with float32 accumulation inside
    oneDNN; the first convolution (the image's 1 channel in), the last one (64 -> image channels)
    and the global skip ``x + r`` stay float32, so the input image is never rounded to bf16 and
    the output's rounding error is only that of the residual r. ``bf16=False``: everything float32.

    Same interface as :class:`~jpegaf.models.Generator`: float32 (N, in + condition channels, H, W)
    in [-1, 1] in, float32 (N, in_channels, H, W) out, any H, W >= 1, any memory format.
    Inference only: no gradients flow. The folded generator is kept as ``self.folded`` (its
    convolutions are what :func:`~jpegaf.antiforensics.gan.receptive_radius` counts, and the
    reference the fused path is checked against).
    """

    def __init__(self, folded: Generator, bf16: bool) -> None:
        super().__init__()
        if not isinstance(folded, Generator):
            raise TypeError(f"expected a jpegaf Generator, got {type(folded).__name__}")
        if any(isinstance(m, nn.BatchNorm2d) for m in folded.modules()):
            raise ValueError("fold the BatchNorm layers first (fold_batchnorm)")
        self.folded = folded.eval().requires_grad_(False)
        self.config = cfg = folded.config
        self.bf16 = bool(bf16)
        self.dtype = torch.bfloat16 if bf16 else torch.float32
        self.slope = float(cfg.leaky_slope)
        # Plain attributes, not parameters/buffers: opaque oneDNN tensors, CPU only, never saved.
        self._head = self._pack(folded.head[0], torch.float32)
        self._blocks = [(self._pack(b.conv1, self.dtype), self._pack(b.conv2, self.dtype)) for b in folded.body]
        self._trunk = self._pack(folded.trunk_conv, self.dtype)
        self._tail = [self._pack(m, self.dtype) for m in folded.tail if isinstance(m, nn.Conv2d)]
        self._out = self._pack(folded.out_conv, torch.float32)

    @staticmethod
    def _pack(conv: nn.Conv2d, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
        if conv.kernel_size != (3, 3) or conv.stride != (1, 1) or conv.padding != (1, 1) or conv.groups != 1:
            raise ValueError("expected 3x3, stride-1, padding-1 convolutions")
        w = conv.weight.detach().to("cpu", dtype).contiguous(memory_format=torch.channels_last)
        b = (conv.bias.detach() if conv.bias is not None
             else torch.zeros(w.shape[0], dtype=w.dtype)).to("cpu", dtype).contiguous()
        w = torch.ops.mkldnn._reorder_convolution_weight(w, *_CONV_ARGS, [1, w.shape[1], *PREPACK_HW])
        return w, b

    def _conv(self, x: torch.Tensor, wb: tuple[torch.Tensor, torch.Tensor], act: bool) -> torch.Tensor:
        if act:
            return torch.ops.mkldnn._convolution_pointwise(x, *wb, *_CONV_ARGS, "leaky_relu", [self.slope], "")
        return torch.ops.mkldnn._convolution_pointwise(x, *wb, *_CONV_ARGS, "none", [], "")

    @staticmethod
    def _conv_add(x: torch.Tensor, other: torch.Tensor, wb: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        """conv(x) + other, in a new tensor."""
        return torch.ops.mkldnn._convolution_pointwise.binary(x, other, *wb, *_CONV_ARGS,
                                                              "add", 1.0, None, [None], None)

    @staticmethod
    def _conv_add_(acc: torch.Tensor, x: torch.Tensor, wb: tuple[torch.Tensor, torch.Tensor]) -> None:
        """acc += conv(x), in place."""
        torch.ops.mkldnn._convolution_pointwise_.binary(acc, x, *wb, *_CONV_ARGS, "add", 1.0, None, [None], None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        cfg = self.config
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"expected a torch.Tensor, got {type(x).__name__}")
        n_in = cfg.input_channels
        if x.ndim != 4 or x.shape[1] != n_in:
            raise ValueError(f"expected shape (N, {n_in}, H, W), got {tuple(x.shape)}")
        if not x.is_floating_point():
            raise TypeError(f"expected a floating-point tensor in [-1, 1], got {x.dtype}")
        if x.device.type != "cpu":
            raise ValueError(f"FusedCpuGenerator runs on the CPU only, got a tensor on {x.device}")
        with torch.no_grad():
            x = x.to(torch.float32).contiguous(memory_format=torch.channels_last)
            h0 = self._conv(x, self._head, act=True).to(self.dtype)
            h = h0
            for i, (c1, c2) in enumerate(self._blocks):
                t = self._conv(h, c1, act=True)
                if i == 0:
                    h = self._conv_add(t, h, c2)   # h0 must survive for the long skip
                else:
                    self._conv_add_(h, t, c2)
            h = self._conv_add(h, h0, self._trunk) if cfg.long_skip else self._conv(h, self._trunk, act=False)
            for wb in self._tail:
                h = self._conv(h, wb, act=cfg.tail_activation)
            r = self._conv(h.to(torch.float32), self._out, act=False)
            if cfg.global_skip:
                return torch.clamp(x[:, :cfg.in_channels] + r, -1.0, 1.0)
            return torch.tanh(r)


def _agrees(fast: nn.Module, reference: Generator, tol: float) -> bool:
    """A smoke check at construction: the fused ops run and compute the reference's function (a
    broken or changed private op would be off by far more than ``tol``)."""
    g = torch.Generator().manual_seed(0)
    cfg = reference.config
    x = torch.rand(1, cfg.input_channels, 13, 11, generator=g) * 2 - 1
    with torch.no_grad():
        out, ref = fast(x), reference(x)
    return out.shape == ref.shape and bool(torch.isfinite(out).all()) and float((out - ref).abs().max()) <= tol


def fast_cpu_generator(generator: Generator, bf16: bool | None = None) -> nn.Module:
    """The fastest exact-enough CPU inference module for ``generator`` (eval semantics).

    Returns a :class:`FusedCpuGenerator` (BN folded, oneDNN fused convolutions with pre-packed
    weights) in bfloat16 when ``bf16`` is True, or None and the CPU has native bf16
    (:func:`has_native_bf16`), float32 otherwise. Where the oneDNN ops are missing (a torch built
    without oneDNN) or fail the construction-time check against the folded generator, it returns
    the BN-folded channels-last :class:`~jpegaf.models.Generator` instead (exact, slower). The
    module takes and returns float32 NCHW in [-1, 1] like ``generator``, any size, with
    ``condition_channels`` and ``noise_channels`` too; ``tiled_generate`` accepts it.

    Why this path: it does BN, activation and residual sums inside the convolution and pre-packs
    the weights, where bf16 autocast and eager bf16 weights make separate passes over memory;
    in bf16 its uint8 outputs differ from fp32's by at most one grey level. Speed-ups, exactness
    and memory at 512x512 and 12 MP: results/inference.md (benchmarks/bench_generator.py).
    """
    if not isinstance(generator, Generator):
        raise TypeError(f"expected a jpegaf Generator, got {type(generator).__name__}")
    folded = fold_batchnorm(generator).cpu()
    if bf16 is None:
        bf16 = has_native_bf16()
    if _mkldnn_ops_available():
        try:
            fast = FusedCpuGenerator(folded, bf16=bf16)
            # bf16 differs from fp32 by ~1e-3 here; a broken op by O(0.1..1)
            if _agrees(fast, folded, tol=0.05 if bf16 else 1e-4):
                return fast
        except RuntimeError:
            pass
    return folded.to(memory_format=torch.channels_last)


__all__ = ["FusedCpuGenerator", "PREPACK_HW", "fast_cpu_generator", "fold_batchnorm", "has_native_bf16"]
