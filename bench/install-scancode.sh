#!/usr/bin/env bash
# Install ScanCode (scancode-toolkit-mini from PyPI) in its OWN virtualenv, so that
# its many pinned dependencies never touch the project's .venv.
#   bench/install-scancode.sh            -> bench/.work/scancode-venv/bin/scancode
# pluggy is pinned below 1.7: newer pluggy breaks scancode's plugin manager.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${SCANCODE_VENV:-$here/.work/scancode-venv}
py=${PYTHON:-python3.11}
command -v "$py" >/dev/null || py=python3
if [[ ! -x "$venv/bin/python" ]]; then
  "$py" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
# The version is pinned so that the bench compares against the same ScanCode every time.
"$venv/bin/python" -m pip install --quiet "scancode-toolkit-mini==${SCANCODE_VERSION:-32.5.0}" 'pluggy<1.7'
# First run builds ScanCode's licence index (cached inside the venv); do it here, not in the timed bench.
"$venv/bin/scancode" --version
