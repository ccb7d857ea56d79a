"""DRAFT"""

from __future__ import annotations

import copy

import torch
from torch import nn

from .generator import Generator


def _fold_conv_bn(conv: nn.Conv2d, bn: nn.BatchNorm2d) -> None:
    if bn.running_mean is None or bn.running_var is None:
        raise ValueError("BatchNorm without running statistics cannot be folded")
    w = conv.weight.detach().double()
    b = conv.bias.detach().double() if conv.bias is not None else torch.zeros(w.shape[0], dtype=torch.float64)
    scale = bn.weight.detach().double() if bn.weight is not None else torch.ones_like(b)
    shift = bn.bias.detach().double() if bn.bias is not None else torch.zeros_like(b)
    scale = scale / torch.sqrt(bn.running_var.detach().double() + bn.eps)
    new_w = (w * scale[:, None, None, None]).to(conv.weight.dtype)
    new_b = ((b - bn.running_mean.detach().double()) * scale + shift).to(conv.weight.dtype)
    with torch.no_grad():
        conv.weight.copy_(new_w)
        if conv.bias is None:
            conv.bias = nn.Parameter(new_b)
        else:
            conv.bias.copy_(new_b)


def fold_batchnorm(generator: Generator) -> Generator:
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


class Bf16Generator(nn.Module):
    def __init__(self, generator: Generator, fp32_ends: bool = True) -> None:
        super().__init__()
        g = fold_batchnorm(generator)
        self.config = g.config
        self.fp32_ends = fp32_ends
        cl = torch.channels_last
        self.head = g.head.to(memory_format=cl) if fp32_ends else g.head.to(torch.bfloat16, memory_format=cl)
        self.body = g.body.to(torch.bfloat16, memory_format=cl)
        self.trunk_conv = g.trunk_conv.to(torch.bfloat16, memory_format=cl)
        self.tail = g.tail.to(torch.bfloat16, memory_format=cl)
        self.out_conv = g.out_conv.to(memory_format=cl) if fp32_ends else g.out_conv.to(torch.bfloat16, memory_format=cl)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        cfg = self.config
        x = x.float().contiguous(memory_format=torch.channels_last)
        if self.fp32_ends:
            h0 = self.head(x).to(torch.bfloat16)
        else:
            h0 = self.head(x.to(torch.bfloat16))
        h = self.trunk_conv(self.body(h0))
        if cfg.long_skip:
            h = h + h0
        t = self.tail(h)
        r = self.out_conv(t.float()) if self.fp32_ends else self.out_conv(t).float()
        if cfg.global_skip:
            return torch.clamp(x[:, :cfg.in_channels] + r, -1.0, 1.0)
        return torch.tanh(r)
