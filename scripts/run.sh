#!/usr/bin/env bash
# First command of the README: install what is missing, build in Release, start LatentLab.
# Without a display it runs the headless main job instead: training the default model.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
BIN="$ROOT/build/bin"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$BIN/latentlab" "$@"
fi
echo "run: no display found; training the default model headless (latentlab-cli train)" >&2
exec "$BIN/latentlab-cli" train --out "${LATENTLAB_MODEL:-$ROOT/build/fashion-mnist.latentlab}" "$@"
