#!/bin/bash
# Issue 14 probe (2026-12-06): the 520-step adaptive CNN, retrained on the QF 25 default's outputs
# sharpened to the originals' mean power spectrum (a gain per radial frequency of the whole crop's DCT,
# fit on the training crops; strength 1). The outputs come from an earlier run's cache (linking it saves
# the ~2 h of making the 8-pass outputs again); about 55 min on 2 cores.
cd "$(dirname "$0")/../../.."
mkdir -p runs/adaptive-transport-spec1
ln -sfn ../adaptive-light-long/cache runs/adaptive-transport-spec1/cache
.venv/bin/python scripts/adaptive_transport_probe.py --transport spectrum --strength 1 \
  --maps runs/adaptive-transport-spec1/maps.npz --fixed-detectors -- \
  --method gan+lattice-light --quality 25 --size 256 --epochs 40 --init-widened --no-augment \
  --generator src/jpegaf/pretrained/antiforensic-d10-q25.safetensors --ensemble 8 \
  --runs runs/adaptive-transport-spec1 > runs/adaptive-transport-spec1.log 2>&1 && touch runs/adaptive-transport-spec1.done
