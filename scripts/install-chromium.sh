#!/usr/bin/env bash
# Install Debian's chromium for the Playwright tests (Playwright's own browser download does not
# work on our machines). Uses sudo when not root.
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
