#!/usr/bin/env bash
# Install Debian's wrk, the HTTP load generator of the benchmarks (`make bench`). Uses sudo when not root.
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq wrk >/dev/null
