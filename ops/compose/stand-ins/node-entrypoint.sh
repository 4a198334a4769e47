#!/bin/sh
# STAND-IN: the official node image's entrypoint: a first argument that is an option or not a
# command runs under node; anything else runs as it is.
set -e
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1" || true)" ] || { [ -f "$1" ] && ! [ -x "$1" ]; }; then
    set -- node "$@"
fi
exec "$@"
