#!/usr/bin/env bash
# The bad-input table of issue 11, measured: crafts hostile model files, IDX files, images,
# attribute files and option values into a scratch folder, runs latentlab-cli on each under
# /usr/bin/time -v and `timeout 60`, and prints a markdown table (class of input, command,
# exit code, seconds, peak RSS, first line of stderr, verdict).
#
#   scripts/hostile.sh [BUILD_DIR]      (default: build; needs BUILD_DIR/bin/latentlab-cli)
#
# A row passes when the exit code is non-zero (zero for the rows whose input is fine), the run
# ends within 60 s, its peak RSS stays under 2048 MB, and the error line names the file or
# the option (a pattern per row). Exits 1 if any row fails. KEEP=1 keeps the scratch folder.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="$(cd "${1:-$ROOT/build}" 2>/dev/null && pwd || echo "${1:-$ROOT/build}")"
CLI="$BUILD_DIR/bin/latentlab-cli"
TIME_LIMIT_S=60
RSS_LIMIT_MB=2048

if [ ! -x /usr/bin/time ]; then   # GNU time, Debian's package `time`
  echo "hostile: installing time (for /usr/bin/time -v)" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends time >/dev/null
fi
if [ ! -x "$CLI" ]; then
  echo "hostile: $CLI is missing; building it (scripts/setup.sh)" >&2
  BUILD_DIR="$BUILD_DIR" LATENTLAB_BUILD_TARGETS=latentlab-cli "$ROOT/scripts/setup.sh" || exit 1
fi

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/latentlab-hostile.XXXXXX")"
if [ "${KEEP:-0}" = 1 ]; then
  echo "hostile: inputs and outputs kept in $SCRATCH" >&2
else
  trap 'rm -rf "$SCRATCH"' EXIT
fi
cd "$SCRATCH" || exit 1

# A small good model, the base of the model-file variants and of the option rows.
if ! "$CLI" train --dataset digits --epochs 1 --hidden 32 --latent 4 --out good.latentlab >train.log 2>&1; then
  echo "hostile: cannot train the small good model:" >&2
  cat train.log >&2
  exit 1
fi
python3 "$ROOT/scripts/hostile/make_inputs.py" . good.latentlab || exit 1

failures=0
rows=0
notes=()

# Markdown-safe table cell: no pipes, no newlines, at most $2 (150) characters.
cell() {
  local text="${1//|/\\|}" max="${2:-150}"
  text="${text//$'\n'/ }"
  [ "${#text}" -gt "$max" ] && text="${text:0:$((max - 3))}..."
  printf '%s' "$text"
}

# row CLASS EXPECT PATTERN VERB ARGS...
#   EXPECT: fail (a non-zero exit whose error line matches PATTERN, an extended regex),
#           ok (exit 0), or either (exit 0, or a failure as for fail).
#   CHECK, when set, is a command run after the row; non-zero fails the row, with what it printed.
row() {
  local class="$1" expect="$2" pattern="$3"
  shift 3
  rows=$((rows + 1))
  local n=$rows
  local timing="time.$n" out="stdout.$n" err="stderr.$n"
  /usr/bin/time -v -o "$timing" timeout -k 5 "$TIME_LIMIT_S" "$CLI" "$@" >"$out" 2>"$err" </dev/null
  local rc=$?
  local rss_kb elapsed seconds rss_mb
  rss_kb="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$timing")"
  elapsed="$(awk -F'): ' '/Elapsed \(wall clock\)/ {print $2}' "$timing")"
  seconds="$(awk -v t="$elapsed" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; ++i) s = s * 60 + p[i]; printf "%.2f", s }')"
  rss_mb="$(awk -v k="${rss_kb:-0}" 'BEGIN { printf "%.0f", k / 1024 }')"
  local first message
  first="$(grep -m1 -v '^[[:space:]]*$' "$err")"
  # The program's own error line; libraries (libpng, libjpeg) may print before it.
  message="$(grep -m1 -E '^latentlab-cli[^:]*: error:' "$err" || grep -m1 '^latentlab-cli' "$err")"
  [ -z "$message" ] && message="$first"
  local shown="$first"
  [ -n "$message" ] && [ "$message" != "$first" ] && shown="$first ⏎ $message"

  local why=()
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    why+=("did not end within ${TIME_LIMIT_S} s")
  elif [ "$rc" -gt 128 ]; then
    why+=("killed by signal $((rc - 128))")
  elif grep -q '^Command terminated by signal' "$timing"; then
    why+=("$(grep -m1 '^Command terminated by signal' "$timing")")
  else
    case "$expect" in
      ok)     [ "$rc" -ne 0 ] && why+=("exit $rc, expected 0") ;;
      fail)   [ "$rc" -eq 0 ] && why+=("exit 0, expected an error") ;;
    esac
    if [ "$rc" -ne 0 ] && [ "$expect" != ok ] && ! grep -qE -- "$pattern" <<<"$message"; then
      why+=("the message does not name /$pattern/")
    fi
  fi
  awk -v s="$seconds" -v l="$TIME_LIMIT_S" 'BEGIN { exit !(s >= l) }' && why+=("took ${seconds} s")
  [ "${rss_mb:-0}" -ge "$RSS_LIMIT_MB" ] && why+=("peak RSS ${rss_mb} MB")
  local problem
  if [ -n "${CHECK:-}" ] && ! problem="$(eval "$CHECK")"; then
    why+=("${problem:-check failed: $CHECK}")
  fi

  local verdict="PASS"
  if [ "${#why[@]}" -gt 0 ]; then
    verdict="FAIL"
    failures=$((failures + 1))
    local joined
    joined="$(printf '%s; ' "${why[@]}")"
    notes+=("row $n ($class): ${joined%; }")
  fi
  printf '| %s | %s | `latentlab-cli %s` | %s | %s | %s | %s | %s |\n' "$n" "$(cell "$class")" "$(cell "$*" 220)" \
    "$rc" "$seconds" "$rss_mb" "$(cell "$shown")" "$verdict"
}

GOOD=good.latentlab
TRAIN_SMALL=(--epochs 1 --hidden 8 --latent 2 --out out.latentlab)
GRID=(--tiles 2 --out out.png)

echo "latentlab-cli: $CLI (checkout at $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo 'an unknown commit'))"
echo
echo "| # | class of input | command | exit | seconds | peak RSS MB | first line of stderr | verdict |"
echo "|---|---|---|---|---|---|---|---|"

# ---- model files
row "good model (control)"                     ok   -          info --model $GOOD
row "good model, eval (control)"               ok   -          eval --model $GOOD --limit 100
row "model: not a model (text)"                fail m-not-a-model     info --model m-not-a-model.latentlab
row "model: empty file"                        fail m-empty           info --model m-empty.latentlab
row "model: truncated header"                  fail m-truncated-header info --model m-truncated-header.latentlab
row "model: truncated weights"                 fail m-truncated-weights grid --model m-truncated-weights.latentlab "${GRID[@]}"
row "model: flipped weight byte (CRC mismatch)" fail m-flipped-weight-byte grid --model m-flipped-weight-byte.latentlab "${GRID[@]}"
row "model: header of 60,000 nested '['"        fail m-nested-60000    info --model m-nested-60000.latentlab
row "model: 60,000 nested '[' inside a field"   fail m-nested-in-field info --model m-nested-in-field.latentlab
row "model: \"version\": 1e300"                 fail m-version-1e300   info --model m-version-1e300.latentlab
row "model: type error in a field (latent: \"four\")" fail m-type-error grid --model m-type-error.latentlab "${GRID[@]}"
row "model: 1.5 KB declaring 1024x1024 px, hidden [512]" fail m-declares-1024px grid --model m-declares-1024px.latentlab "${GRID[@]}"
row "model: 1.4 KB declaring 256x256 px, hidden [512] (67M parameters)" fail m-declares-256px grid --model m-declares-256px.latentlab "${GRID[@]}"
row "model: hidden of 2,000,000 ones"           fail m-hidden-2000000  grid --model m-hidden-2000000.latentlab "${GRID[@]}"
row "model: header length field of 1 GiB"       fail m-header-length-1gib info --model m-header-length-1gib.latentlab
row "model: NaN weight, valid CRC"              fail m-nan-weights     grid --model m-nan-weights.latentlab "${GRID[@]}"
row "model: attribute vector of the wrong length" fail m-attribute-wrong-length grid --model m-attribute-wrong-length.latentlab "${GRID[@]}"
row "model: recorded data set synth-faces:1000000, eval without --dataset" fail 'synth-faces:1000000' \
    eval --model m-recorded-synth-faces.latentlab
row "model: recorded data set folder:/, eval without --dataset" fail "folder:/|--dataset" \
    eval --model m-recorded-folder-root.latentlab
cp m-recorded-folder-root.latentlab resume-folder-root.latentlab
row "model: recorded data set folder:/, train --resume without --dataset" fail "folder:/|--dataset" \
    train --resume resume-folder-root.latentlab --epochs 2 --out out.latentlab

# ---- IDX files
row "IDX: good images and labels (control)"    ok   -          train --dataset idx:idx-good-images.idx,idx-good-labels.idx "${TRAIN_SMALL[@]}"
row "IDX: 4.2 MB gzip of one 65536x65536 image" fail idx-bomb  train --dataset idx:idx-bomb-65536x65536.idx.gz "${TRAIN_SMALL[@]}"
row "IDX: 16 bytes declaring 2^28 x 8 x 8"      fail idx-16-bytes train --dataset idx:idx-16-bytes-declares-2p28x8x8.idx "${TRAIN_SMALL[@]}"
row "IDX: element type 0x0D (floats)"           fail 'idx-type-0x0D.*0x0D' train --dataset idx:idx-type-0x0D.idx "${TRAIN_SMALL[@]}"
row "IDX: bit flip inside the gzip data"        fail idx-bit-flip  train --dataset idx:idx-bit-flip-in-gzip.idx.gz "${TRAIN_SMALL[@]}"
row "IDX: garbage after the gzip member"        fail idx-garbage   train --dataset idx:idx-garbage-after-gzip.idx.gz "${TRAIN_SMALL[@]}"
row "IDX: truncated (raw)"                      fail idx-truncated.idx train --dataset idx:idx-truncated.idx "${TRAIN_SMALL[@]}"
row "IDX: truncated (gzip)"                     fail idx-truncated.idx.gz train --dataset idx:idx-truncated.idx.gz "${TRAIN_SMALL[@]}"
row "IDX: 190 labels for 200 images"            fail 'idx-labels-190|idx-good-images' \
    train --dataset idx:idx-good-images.idx,idx-labels-190-for-200.idx "${TRAIN_SMALL[@]}"

# ---- images
row "image: PNG of 999999 x 1 in a folder data set" ok - \
    train --dataset folder:folder-with-999999x1 --image-size 8 "${TRAIN_SMALL[@]}"
row "image: text named .png in a folder data set" fail notes.png \
    train --dataset folder:folder-with-text-png --image-size 8 "${TRAIN_SMALL[@]}"
row "image: good JPEG as an image (control)"   ok   -          interpolate --model $GOOD --from img-good.jpg --to 0 --out out.png
row "image: PNG whose IHDR declares 30000x30000 (valid CRC)" fail img-ihdr-30000x30000 \
    interpolate --model $GOOD --from img-ihdr-30000x30000.png --to 0 --out out.png
row "image: truncated JPEG (decoded with grey, or refused)" either img-truncated \
    interpolate --model $GOOD --from img-truncated.jpg --to 0 --out out.png
row "image: text file named .png"               fail img-text-named interpolate --model $GOOD --from img-text-named.png --to 0 --out out.png

# ---- attribute files
cp $GOOD attr-target.latentlab
ATTR=(--model attr-target.latentlab --dataset folder:folder-good --name smile --column Smiling)
row "attribute file: good (control)"           ok   -          attribute "${ATTR[@]}" --attribute-file attr-good.txt
row "attribute file: duplicate rows"           fail attr-duplicate-rows attribute "${ATTR[@]}" --attribute-file attr-duplicate-rows.txt
row "attribute file: declares 99,999,999,999,999 rows" fail attr-huge-count attribute "${ATTR[@]}" --attribute-file attr-huge-count.txt
row "attribute file: 2000 columns"             fail attr-2000-columns attribute "${ATTR[@]}" --attribute-file attr-2000-columns.txt

# ---- option values
row "option: grid --tiles 5 --gap 1518500215"  fail --gap   grid --model $GOOD --tiles 5 --gap 1518500215 --out out.png
row "option: --frames 2000000000"              fail --frames interpolate --model $GOOD --from 0 --to 1 --frames 2000000000 --out out.gif
row "option: edit --strip 0:1:1000000000"      fail --strip edit --model m-with-attribute.latentlab --image 0 --attributes smile=1 --strip 0:1:1000000000 --out out.png
# At the bounds: accepted, and the memory they cost.
row "option at its bound: grid --tiles 64 --gap 64" ok - grid --model $GOOD --tiles 64 --gap 64 --out out.png
row "option at its bound: interpolate --via --frames 1000" ok - interpolate --model $GOOD --from 0 --to 1 --via 2 --frames 1000 --out out.gif
row "option at its bound: edit --strip 0:1:10000 to a PNG strip" ok - edit --model m-with-attribute.latentlab --image 0 --attributes smile=1 --strip 0:1:10000 --out strip.png
row "option: stats --bins 2000000000"          fail --bins  stats --model $GOOD --bins 2000000000
row "option: train --threads 100000"           fail --threads train --dataset digits --threads 100000 "${TRAIN_SMALL[@]}"
# The message says "hidden layers" (the parameter count it would make), not "--hidden".
row "option: --hidden 65536,65536"             fail hidden train --dataset digits --hidden 65536,65536 --epochs 1 --out out.latentlab
row "option: --hidden 1,,2"                    fail --hidden train --dataset digits --hidden 1,,2 --epochs 1 --out out.latentlab
row "option: strength nan (edit smile=nan)"    fail '--attributes|smile|nan' edit --model m-with-attribute.latentlab --image 0 --attributes smile=nan --out out.png
row "option: attribute --alpha nan"            fail --alpha attribute "${ATTR[@]}" --attribute-file attr-good.txt --alpha nan

# Prints what is wrong with the good model that was at --out, if anything.
kept_intact() {
  local ok=0
  cmp -s "$GOOD" "$1" || { printf 'the good model at --out was replaced'; ok=1; }
  if compgen -G "$1.tmp*" >/dev/null; then
    [ "$ok" -ne 0 ] && printf '; '
    printf 'a temporary was left beside it'
    ok=1
  fi
  return "$ok"
}

# Training that diverges on its only batch: non-zero, and the good model at --out untouched.
ONE_BATCH=(--dataset idx:idx-good-images.idx,idx-good-labels.idx --batch 180 --epochs 1 --hidden 8 --latent 2)
# Bernoulli at 1e6 ends with a finite test loss of about 3e28, Gaussian with a NaN one.
for case in "inf bernoulli" "1e6 bernoulli" "1e6 gaussian"; do
  read -r lr likelihood <<<"$case"
  kept="kept-$lr-$likelihood.latentlab"
  cp $GOOD "$kept"
  CHECK="kept_intact $kept" \
    row "training that diverges: --lr $lr ($likelihood) on a one-batch epoch, a good model at --out" fail "--lr|learning rate|diverg|[Nn]a[Nn]|finite|$kept" \
    train "${ONE_BATCH[@]}" --likelihood "$likelihood" --lr "$lr" --out "$kept"
done

row "data set spec synth-faces:1000000"        fail 'synth-faces:1000000' train --dataset synth-faces:1000000 "${TRAIN_SMALL[@]}"
row "data set spec folder:/ (walks the file system; bounded)" fail "(^|[ '\"])/" train --dataset folder:/ "${TRAIN_SMALL[@]}"

echo
if [ "$failures" -gt 0 ]; then
  echo "FAIL: $failures of $rows rows"
  for note in "${notes[@]}"; do
    echo "- $note"
  done
  exit 1
fi
echo "PASS: all $rows rows (exit codes as expected, each under ${TIME_LIMIT_S} s and ${RSS_LIMIT_MB} MB, messages naming the file or option)"
