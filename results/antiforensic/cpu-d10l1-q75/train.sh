#!/bin/bash
cd /work/main
.venv/bin/jpegaf train gan --preset cpu --quality 75 --data data/corpus --out runs/d10l1-q75 \
  --init-generator src/jpegaf/pretrained/antiforensic-d10-q75.safetensors \
  --phase1-epochs 1 --phase2-epochs 0 --phase1-lr 5e-5 --phase1-lr-end 1e-6 \
  --no-perceptual --seed 1 --cache-dir .cache/crops > runs/d10l1-q75.log 2>&1 && touch runs/d10l1-q75.done
