#!/bin/bash
# Issue 14: the adaptive CNN against the QF 25 default, 5x the training budget of
# results/antiforensic/adaptive-gan+lattice-light-d10x8-256-q25 (40 epochs instead of 8), the same outputs (cache shared).
cd /work/main
.venv/bin/python scripts/adaptive_auc.py --method gan+lattice-light --quality 25 --size 256 --epochs 40 \
  --init-widened --no-augment --generator src/jpegaf/pretrained/antiforensic-d10-q25.safetensors --ensemble 8 \
  --runs runs/adaptive-light-long > runs/adaptive-light-long.log 2>&1 && touch runs/adaptive-light-long.done
