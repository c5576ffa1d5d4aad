#!/usr/bin/env bash
# The cards study (docs/cards-study.md): trains a plain VAE (latent 2) and an rVAE (content 2)
# on each of cards1 to cards4, then draws their latent maps in one figure and prints the
# factor report's figures as a table. About 30 minutes on a 2-core Xeon. The rVAE trains
# with its defaults (hidden 128,128, its decoder trained on 256 random pixels of each card
# per step, angle consistency 100) and batches of 32. EPOCHS, COUNT (training cards per
# set), THREADS and OUT can be set.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LATENTLAB_BUILD_TARGETS="latentlab-cli bench_cards_study" "$ROOT/scripts/setup.sh"
BIN="$ROOT/build/bin"
OUT="${OUT:-$ROOT/build/cards-study}"
EPOCHS="${EPOCHS:-30}"
COUNT="${COUNT:-5000}"
THREADS="${THREADS:-0}"
mkdir -p "$OUT"
for n in 1 2 3 4; do
  data="cards$n:$COUNT"
  for family in vae rvae; do
    model="$OUT/cards$n-$family.latentlab"
    [ -f "$model" ] && continue # a finished model is kept: rerun to continue where it stopped
    settings=(--arch mlp --epochs 15); [ "$family" = rvae ] && settings=(--arch rvae --batch 32 --epochs "$EPOCHS")
    echo "== $data: $family ${settings[*]}" >&2
    "$BIN/latentlab-cli" train --dataset "$data" "${settings[@]}" --latent 2 \
      --threads "$THREADS" --out "$model.part" > "$OUT/cards$n-$family.log"
    mv "$model.part" "$model"
  done
done
"$BIN/bench_cards_study" --dir "$OUT" --out "$OUT/cards-study.png" --threads "$THREADS" | tee "$OUT/cards-study.jsonl"
/usr/bin/python3 - "$OUT/cards-study.jsonl" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print(f"{'data':7} {'model':5} {'5-NN':>6} {'NMI':>5} {'carried':>8} {'best lin':>8} {'rVAE angle: clubs spades hearts diamonds(x2)':>46} {'MIG':>6}")
for r in rows:
    per = r.get("angle_latent_circular_per_suit")
    angle = " ".join(f"{per[s]:6.2f}" for s in ("clubs", "spades", "hearts", "diamonds")) if per else "-"
    print(f"{r['data']:7} {r['model']:5} {100 * r['content_knn5']:5.1f}% {r['content_kmeans_nmi']:5.2f} "
          f"{r['angle_carried_by_content']:8.2f} {r['best_circular_linear']:8.2f} {angle:>46} {r['mig']:6.3f}")
PY
