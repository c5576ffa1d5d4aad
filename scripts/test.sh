#!/usr/bin/env bash
# Second command of the README: the same set-up, then the whole test suite.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# test_torchscript trains, scripts and runs PyTorch models with Debian's python3-torch;
# the desktop file and the AppStream metainfo are checked with their validators.
LATENTLAB_EXTRA_PACKAGES="python3-torch python3-numpy appstream desktop-file-utils ${LATENTLAB_EXTRA_PACKAGES:-}" \
  "$ROOT/scripts/setup.sh"
cd "$ROOT/build"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure "$@"
