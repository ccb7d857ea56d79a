#!/bin/bash
# Issue 14 (2026-12-06): the same 520-step adaptive analyst against gan+f3, the issue's hybrid (the QF 25
# default's generator antiforensic-d10-q25, single pass, then F3's histogram smoothing, constrained TV round
# and de-calibration). About 75 min on 2 cores (making the outputs: ~30 min).
cd "$(dirname "$0")/../../.."
.venv/bin/python scripts/adaptive_auc.py --method gan+f3 --quality 25 --size 256 --epochs 40 \
  --init-widened --no-augment --generator src/jpegaf/pretrained/antiforensic-d10-q25.safetensors \
  --runs runs/adaptive-gf3-long > runs/adaptive-gf3-long.log 2>&1
