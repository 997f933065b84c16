#!/usr/bin/env bash
# The library's own recipe beyond the book (docs/results.md, "Beyond the book"): SimpleConvNet
# (20 epochs) and DeepConvNet (15 epochs) on MNIST with augmentation (random shifts ±2 px,
# rotations ±10°, scaling ±10%) and a cosine learning-rate schedule, for seeds 1–3 each.
# Run after `pnpm build`:
#   bash scripts/beyond-the-book.sh [MODELS] [SEEDS] [THREADS]
# e.g. two runs side by side on two cores, one thread each:
#   bash scripts/beyond-the-book.sh simple-convnet "1 2 3" 1 & bash scripts/beyond-the-book.sh deep-convnet "1 2" 1
set -euo pipefail
cd "$(dirname "$0")/.."
models=${1:-"simple-convnet deep-convnet"}
seeds=${2:-"1 2 3"}
threads=${3:-2}
for model in $models; do
  case $model in
    deep-convnet) epochs=15 ;;
    *) epochs=20 ;;
  esac
  for seed in $seeds; do
    out="runs/beyond/$model-seed$seed"
    mkdir -p "$out"
    start=$(date +%s)
    node apps/trainer/dist/cli.js train --model "$model" --epochs "$epochs" --seed "$seed" \
      --augment --lr-schedule cosine --threads "$threads" -o "$out" 2>&1 | tee "$out/stdout.txt"
    echo "wall $(( $(date +%s) - start )) s" | tee -a "$out/stdout.txt"
  done
done
