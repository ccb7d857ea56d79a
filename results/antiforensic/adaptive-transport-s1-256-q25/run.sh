#!/bin/bash
# Issue 14 probe (2026-12-06): the 520-step adaptive CNN of adaptive-gan+lattice-light-d10x8-256-q25-40ep,
# retrained on the QF 25 default's outputs transported onto the originals' subband distributions
# (strength 1; maps fit on the training crops). The outputs come from the earlier run's cache (linking
# it saves the ~2 h of making the 8-pass outputs again); 55 min on 2 cores.
cd "$(dirname "$0")/../../.."
mkdir -p runs/adaptive-transport-s1
ln -sfn ../adaptive-light-long/cache runs/adaptive-transport-s1/cache
.venv/bin/python scripts/adaptive_transport_probe.py --strength 1 --maps runs/adaptive-transport-s1/maps.npz \
  --fixed-detectors -- \
  --method gan+lattice-light --quality 25 --size 256 --epochs 40 --init-widened --no-augment \
  --generator src/jpegaf/pretrained/antiforensic-d10-q25.safetensors --ensemble 8 \
  --runs runs/adaptive-transport-s1 > runs/adaptive-transport-s1.log 2>&1 && touch runs/adaptive-transport-s1.done
