#!/usr/bin/env bash
# Benchmarks (not part of the test suite): LatentLab side by side with PyTorch.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
# The reference uses Debian's PyTorch (the same LibTorch 1.13.1) with the system Python.
if ! dpkg-query -W -f='${Status}' python3-torch 2>/dev/null | grep -q "install ok installed"; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-torch >/dev/null
fi
/usr/bin/python3 "$ROOT/bench/compare_training.py" --cli "$ROOT/build/bin/latentlab-cli" "$@"
