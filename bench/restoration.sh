#!/usr/bin/env bash
# The restoration figures (docs/restoration.md): denoising autoencoders and VAEs on the
# digits and Fashion-MNIST for three noises at two strengths each, against OpenCV's best
# classical filter; a colourising autoencoder on synth-faces; debiased training on
# synth-faces-rare (hats on 5% of the faces). Every model is kept in OUT: a rerun measures
# again without training again. About 90 minutes on a 2-core EPYC. THREADS and OUT can be set.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LATENTLAB_BUILD_TARGETS="latentlab-cli bench_restoration" "$ROOT/scripts/setup.sh"
BIN="$ROOT/build/bin"
OUT="${OUT:-$ROOT/build/restoration}"
THREADS="${THREADS:-0}"
mkdir -p "$OUT"
RESULTS="$OUT/restoration.jsonl"
: > "$RESULTS"

# train NAME ARGS...: trains OUT/NAME.latentlab unless it is there.
train() {
  local name="$1"; shift
  [ -f "$OUT/$name.latentlab" ] && return
  echo "== $name: $*" >&2
  "$BIN/latentlab-cli" train "$@" --threads "$THREADS" --out "$OUT/$name.latentlab.part" > "$OUT/$name.log"
  mv "$OUT/$name.latentlab.part" "$OUT/$name.latentlab"
}

# The same network for both: an MLP 784-512-64 (digits 400-512-64); the VAE's beta of 0.25
# lets its 64 dimensions carry detail (at beta 1 it restores 2 to 3 dB worse).
for data in digits fashion-mnist; do
  epochs=60; [ "$data" = fashion-mnist ] && epochs=10
  for noise in mask:0.25 mask:0.5 gaussian:0.1 gaussian:0.3 salt-pepper:0.1 salt-pepper:0.3; do
    for kind in ae vae; do
      name="$data-${noise/:/}-$kind"
      settings=(--beta 0.25); [ "$kind" = ae ] && settings=(--autoencoder)
      train "$name" --dataset "$data" --latent 64 --hidden 512 --epochs "$epochs" --corrupt "$noise" "${settings[@]}"
      "$BIN/bench_restoration" --denoise "$OUT/$name.latentlab" --threads "$THREADS" \
        --strip "$OUT/$name.png" >> "$RESULTS"
    done
  done
done

# Where the 512-wide MLP misses (weak noise): bigger networks, and the VAE at a smaller beta.
# NAME DATA NOISE BETA ARGS...: a VAE at BETA and an AE of the same network.
bigger() {
  local name="$1" data="$2" noise="$3" beta="$4"; shift 4
  for kind in ae vae; do
    settings=(--beta "$beta"); [ "$kind" = ae ] && settings=(--autoencoder)
    train "$name-$kind" --dataset "$data" --corrupt "$noise" "$@" "${settings[@]}"
    "$BIN/bench_restoration" --denoise "$OUT/$name-$kind.latentlab" --threads "$THREADS" \
      --strip "$OUT/$name-$kind.png" >> "$RESULTS"
  done
}
bigger digits-gaussian0.1-mlp1024 digits gaussian:0.1 0.02 --latent 256 --hidden 1024 --epochs 100
bigger digits-salt-pepper0.1-mlp1024 digits salt-pepper:0.1 0.1 --latent 256 --hidden 1024 --epochs 100
bigger fashion-mnist-salt-pepper0.1-mlp1024 fashion-mnist salt-pepper:0.1 0.02 --latent 256 --hidden 1024 --epochs 20
bigger fashion-mnist-gaussian0.1-conv fashion-mnist gaussian:0.1 0.01 --arch conv --latent 256 --epochs 20

train faces-grey-ae --dataset synth-faces:5000 --autoencoder --latent 256 --hidden 512 --epochs 30 --corrupt grey
"$BIN/bench_restoration" --colourise "$OUT/faces-grey-ae.latentlab" --threads "$THREADS" \
  --strip "$OUT/faces-grey-ae.png" >> "$RESULTS"

train rare-plain --dataset synth-faces-rare:10000 --latent 20 --hidden 512 --epochs 20
train rare-debiased --dataset synth-faces-rare:10000 --latent 20 --hidden 512 --epochs 20 --debias 0.001
"$BIN/bench_restoration" --debias "$OUT/rare-plain.latentlab,$OUT/rare-debiased.latentlab" \
  --threads "$THREADS" >> "$RESULTS"

/usr/bin/python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print(f"{'data':14} {'noise':16} {'model':5} {'noisy':>6} {'median':>7} {'gauss':>6} {'NLM':>6} {'best':>6} {'ours':>6} {'gain':>6}")
for r in rows:
    if r["mode"] == "denoise":
        c = r["classical"]
        print(f"{r['data']:14} {r['corruption']:16} {'VAE' if r['variational'] else 'AE':5} {r['psnr_noisy']:6.2f} "
              f"{c['median_blur']['psnr']:7.2f} {c['gaussian_blur']['psnr']:6.2f} {c['nl_means']['psnr']:6.2f} "
              f"{r['psnr_best_classical']:6.2f} {r['psnr_latentlab']:6.2f} {r['gain_over_classical_db']:+6.2f}")
    elif r["mode"] == "colourise":
        print(f"colourise {r['data']}: grey {r['psnr_grey']:.2f} dB (dE {r['delta_e_grey']:.1f}), colourised "
              f"{r['psnr_colourised']:.2f} dB (dE {r['delta_e_colourised']:.1f}), gain {r['gain_db']:+.2f} dB")
    else:
        models = sorted((k for k in r if k.endswith(".latentlab")), key=lambda k: k != r["model"])  # plain first
        for m in models:
            v = r[m]
            print(f"debias {m.rsplit('/', 1)[-1]}: rare MSE {v['mse_rare']:.5f}, rest {v['mse_rest']:.5f}, "
                  f"rare among the lowest 5%: {v['rare_among_lowest_5pct']} of {v['lowest_5pct']}")
        a, b = (r[m] for m in models)
        print(f"debiasing: rare {100 * (b['mse_rare'] / a['mse_rare'] - 1):+.1f}%, rest {100 * (b['mse_rest'] / a['mse_rest'] - 1):+.1f}%")
PY
