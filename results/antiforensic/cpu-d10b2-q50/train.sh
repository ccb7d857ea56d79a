#!/bin/bash
cd /work/main
.venv/bin/jpegaf train gan --preset cpu --quality 50 --data data/corpus --out runs/d10e2-q50 \
  --init-generator src/jpegaf/pretrained/antiforensic-d10-q50.safetensors \
  --init-discriminator src/jpegaf/pretrained/critic-64-q50.safetensors \
  --phase1-epochs 0 --phase2-epochs 1 --g-lr 5e-5 --d-lr 1e-4 --gamma 1e-3 --non-saturating \
  --no-perceptual --seed 1 --cache-dir .cache/crops > runs/d10e2-q50.log 2>&1 && touch runs/d10e2-q50.done
