#!/bin/bash
# Issue 14 (2026-12-06): the 520-step adaptive analyst of adaptive-gan+lattice-light-d10x8-256-q25-40ep
# (40 epochs, from the shipped CNN-64-q25 widened to 256 px) against F3 alone (Fan et al. 2014, the
# strongest classical baseline) at QF 25. About 60 min on 2 cores (making F3's outputs: ~15 min).
cd "$(dirname "$0")/../../.."
.venv/bin/python scripts/adaptive_auc.py --method f3 --quality 25 --size 256 --epochs 40 \
  --init-widened --no-augment --runs runs/adaptive-f3-long > runs/adaptive-f3-long.log 2>&1
