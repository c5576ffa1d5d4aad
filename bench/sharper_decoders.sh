#!/usr/bin/env bash
# Issue 16's comparison (docs/sharper-decoders.md): on Fashion-MNIST (latent 16) and
# synth-faces (64 x 64 colour, latent 32), the conv VAE with BCE, the conv VAE with SSIM and
# the VAE-GAN, each given the same training time (latentlab-cli train --time-budget), then
# judged by bench_sharpness (domain-classifier FIDs, Laplacian-variance ratios, SSIM, pixel
# errors, the faces' attribute-kept rates) and, on the faces, bench_attribute_edit's smile edit
# at alpha 1, 1.5 and 2 for the VAE and the VAE-GAN. Every model is kept in OUT: a rerun
# measures again without training again. THREADS, OUT, FASHION_SECONDS and FACES_SECONDS
# can be set (defaults: 2 threads, 240 s and 480 s per model: about 45 minutes in all);
# BIN runs binaries already built there instead of building. LONG_SECONDS=960 also trains the
# Fashion-MNIST VAE and VAE-GAN for that long each and judges them (35 minutes more).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${BIN:-}" ]; then
  LATENTLAB_BUILD_TARGETS="latentlab-cli bench_sharpness bench_attribute_edit" "$ROOT/scripts/setup.sh"
  BIN="$ROOT/build/bin"
fi
OUT="${OUT:-$ROOT/build/sharper-decoders}"
THREADS="${THREADS:-2}"
mkdir -p "$OUT"

# train NAME SECONDS ARGS...: trains OUT/NAME.latentlab for SECONDS unless it is there.
train() {
  local name="$1" seconds="$2"; shift 2
  [ -f "$OUT/$name.latentlab" ] && return
  echo "== $name, $seconds s: $*" >&2
  "$BIN/latentlab-cli" train "$@" --time-budget "$seconds" --threads "$THREADS" \
    --out "$OUT/$name.latentlab.part" > "$OUT/$name.log"
  mv "$OUT/$name.latentlab.part" "$OUT/$name.latentlab"
}

s="${FASHION_SECONDS:-240}"
train fashion-vae "$s" --dataset fashion-mnist --arch conv --latent 16
train fashion-ssim "$s" --dataset fashion-mnist --arch conv --latent 16 --recon ssim
train fashion-vaegan "$s" --dataset fashion-mnist --arch vaegan --latent 16
"$BIN/bench_sharpness" --dataset fashion-mnist --threads "$THREADS" --classifier "$OUT/fashion-classifier.pt" \
  --models "$OUT/fashion-vae.latentlab,$OUT/fashion-ssim.latentlab,$OUT/fashion-vaegan.latentlab" \
  --names "VAE (BCE),VAE (SSIM),VAE-GAN" | tee "$OUT/fashion.txt"

# Batch 32 and beta 0.5 are the faces' settings of docs/faces-and-attributes.md (the smile holds).
s="${FACES_SECONDS:-480}"
train faces-vae "$s" --dataset synth-faces --arch conv --latent 32 --batch 32 --beta 0.5
train faces-ssim "$s" --dataset synth-faces --arch conv --latent 32 --batch 32 --beta 0.5 --recon ssim
train faces-vaegan "$s" --dataset synth-faces --arch vaegan --latent 32 --batch 32 --beta 0.5
"$BIN/bench_sharpness" --dataset synth-faces --threads "$THREADS" --classifier "$OUT/faces-classifier.pt" \
  --judge "$OUT/faces-judge.pt" \
  --models "$OUT/faces-vae.latentlab,$OUT/faces-ssim.latentlab,$OUT/faces-vaegan.latentlab" \
  --names "VAE (BCE),VAE (SSIM),VAE-GAN" | tee "$OUT/faces.txt"

echo "== the smile edit (stratified vector, other attributes held), alpha 1, 1.5 and 2"
for kind in vae vaegan; do
  "$BIN/bench_attribute_edit" --model "$OUT/faces-$kind.latentlab" --threads "$THREADS" --judge "$OUT/faces-judge.pt" \
    --targets Smiling --methods stratified,stratified+hold --strengths 100,150,200 > "$OUT/smile-$kind.json"
  /usr/bin/python3 - "$kind" "$OUT/smile-$kind.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))["targets"]["Smiling"]
for method, m in r["methods"].items():
    cells = ", ".join(f"{s['alpha']:g}: {100 * s['target']:.1f}% smile, {100 * s['all_unchanged']:.1f}% keep the rest"
                      for s in m["strengths"])
    print(f"{sys.argv[1]:>7} {method:>16}: {cells}")
PY
done

if [ -n "${LONG_SECONDS:-}" ]; then
  train "fashion-vae-$LONG_SECONDS" "$LONG_SECONDS" --dataset fashion-mnist --arch conv --latent 16
  train "fashion-vaegan-$LONG_SECONDS" "$LONG_SECONDS" --dataset fashion-mnist --arch vaegan --latent 16
  "$BIN/bench_sharpness" --dataset fashion-mnist --threads "$THREADS" --classifier "$OUT/fashion-classifier.pt" \
    --models "$OUT/fashion-vae-$LONG_SECONDS.latentlab,$OUT/fashion-vaegan-$LONG_SECONDS.latentlab" \
    --names "VAE (BCE) $LONG_SECONDS s,VAE-GAN $LONG_SECONDS s" | tee "$OUT/fashion-$LONG_SECONDS.txt"
fi
