#!/usr/bin/env bash
# Install the Debian 12 packages salespipe needs to build, test, benchmark and run its
# examples. Idempotent: checks each package with dpkg and, only if some are missing, runs
# apt-get update + apt-get install -y on those. Silent when nothing is missing.
#
#   bash cmake/install-deps.sh            # the project's packages
#   bash cmake/install-deps.sh clang      # ... plus extra packages (CI's clang build)
#
# Runs as root (uses sudo when run as another user and sudo exists).
set -euo pipefail

packages=(
  cmake g++ make
  libboost-math-dev libeigen3-dev
  doctest-dev nlohmann-json3-dev libcli11-dev libbenchmark-dev
  libopenmpi-dev openmpi-bin
  "$@"
)

missing=()
for pkg in "${packages[@]}"; do
  # dpkg -s also succeeds for removed packages whose config files remain: check the status.
  if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing+=("$pkg")
  fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "install-deps.sh: missing packages (${missing[*]}); run as root to install them" >&2
    exit 1
  fi
fi

echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update
"${as_root[@]}" apt-get install -y "${missing[@]}"
