#!/bin/bash
# Issue 14: the adaptive CNN against the QF 25 erase default, 5x the training budget of
# results/antiforensic/adaptive-gan+lattice-light-d10x8-256-q25 (40 epochs instead of 8), on the same
# outputs: runs/adaptive-light/cache, made by that run, is linked in (without it the outputs are made
# again, about 50 min more). Run from the repository root.
set -e
mkdir -p runs/adaptive-light-long
[ -e runs/adaptive-light-long/cache ] || ln -s ../adaptive-light/cache runs/adaptive-light-long/cache
.venv/bin/python scripts/adaptive_auc.py --method gan+lattice-light --quality 25 --size 256 --epochs 40 \
  --init-widened --no-augment --generator src/jpegaf/pretrained/antiforensic-d10-q25.safetensors --ensemble 8 \
  --runs runs/adaptive-light-long > runs/adaptive-light-long.log 2>&1
