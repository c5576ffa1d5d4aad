#!/usr/bin/env bash
# Installs what LatentLab needs on Debian 12 (skips what is already there) and
# builds it in Release. Called by run.sh, test.sh, sanitize.sh, fuzz.sh and
# bench/run.sh; its arguments go to CMake's configure step after the defaults
# (so a later -DCMAKE_BUILD_TYPE wins), BUILD_DIR picks the build folder.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  help2man file                             # man pages from --help; CPack's .deb finds its ELF files with file
  libtorch-dev libopenblas0-openmp          # OpenBLAS: ~15x faster than the reference BLAS
  libopencv-dev nlohmann-json3-dev libgif-dev zlib1g-dev
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libgl-dev libxkbcommon-dev qt6-qpa-plugins
  dataset-fashion-mnist opencv-doc opencv-data
  xvfb xauth
)

# shellcheck disable=SC2206
PACKAGES+=(${LATENTLAB_EXTRA_PACKAGES:-})   # e.g. fuzz.sh's clang
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/latentlab-ccache}"
export CCACHE_BASEDIR="$ROOT"   # paths relative to the checkout: clones share the cache
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "$@" >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" ${LATENTLAB_BUILD_TARGETS:+--target $LATENTLAB_BUILD_TARGETS}
