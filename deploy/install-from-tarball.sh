#!/bin/sh
# Installs a Vigil package tarball (from `npm pack`) into PREFIX: the one install step shared by the
# container image (deploy/Dockerfile) and the package test (test/package), so what CI checks is what
# the image runs. Usage: deploy/install-from-tarball.sh TARBALL PREFIX
set -eu
tarball=$1
prefix=$2
[ -f "$tarball" ] || { echo "install-from-tarball: no tarball at $tarball" >&2; exit 2; }
mkdir -p "$prefix"
# --omit=dev: the tarball carries the built dist/, so no compiler is needed; the chdb engine comes
# as a prebuilt binary inside its own npm package.
npm install --global --prefix "$prefix" --omit=dev --no-audit --no-fund --loglevel=error "$tarball"
"$prefix/bin/vigil" --version
