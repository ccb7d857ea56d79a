#!/bin/bash
# Issue 14: the adaptive CNN (the 520-step protocol of ../adaptive-gan+lattice-light-d10x8-256-q25-40ep/)
# against gan+lattice-light with the per-coefficient stochastic QF 25 generator blended 0.35 with
# antiforensic-d10-q25 (one pass each). Run from the repository root; resumable: run it again.
set -e
if [ ! -e runs/stochdct-q25/generator.safetensors ]; then  # 24 min on 2 cores
  .venv/bin/jpegaf train gan --preset cpu --quality 25 --data data/corpus --out runs/stochdct-q25 \
    --init-generator src/jpegaf/pretrained/antiforensic-d10-q25.safetensors --noise-channels 2 --content-loss energy_dct \
    --batch-size 8 --crops-per-image 8 --phase1-epochs 1 --phase2-epochs 0 \
    --phase1-lr 1e-4 --phase1-lr-end 1e-6 --no-perceptual --seed 1 --cache-dir .cache/crops
fi
[ -e runs/stochdct-q25-b035/generator.safetensors ] || .venv/bin/python scripts/noise_scale_front.py \
  --generator runs/stochdct-q25/generator.safetensors --export 1 runs/stochdct-q25-b035 --blend 0.35 \
  --anchor src/jpegaf/pretrained/antiforensic-d10-q25.safetensors
.venv/bin/python scripts/adaptive_auc.py --method gan+lattice-light --quality 25 --size 256 --epochs 40 \
  --init-widened --no-augment --generator runs/stochdct-q25-b035/generator.safetensors --ensemble 1 \
  --runs runs/adaptive-stoch >> runs/adaptive-stoch.log 2>&1
