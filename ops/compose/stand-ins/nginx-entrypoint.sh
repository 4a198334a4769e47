#!/bin/sh
# STAND-IN: the official nginx image's /docker-entrypoint.sh: before nginx starts, the executable
# files of /docker-entrypoint.d run in order, *.envsh sourced (their exports reach the later
# scripts) and *.sh run.
set -e
if [ "$1" = nginx ]; then
    for f in $(find /docker-entrypoint.d/ -follow -type f -print | sort -V); do
        [ -x "$f" ] || continue
        case "$f" in
        *.envsh) . "$f" ;;
        *.sh) "$f" ;;
        esac
    done
fi
exec "$@"
