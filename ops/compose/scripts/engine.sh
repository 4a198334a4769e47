#!/usr/bin/env bash
# Sourced by run.sh: a Docker engine to drive, and the Compose v2 and buildx CLI plugins.
#   - DOCKER_HOST or the default socket answers: that engine is used as it is.
#   - Else, as root with Debian's docker.io installed, a dockerd of our own is started on its own
#     socket, data root and exec root under COMPOSE_TEST_CACHE (images stay there between runs), with
#     no bridge or iptables (what works in a container without privileges to set up networking);
#     engine_stop stops it. Its storage driver is overlay2 where this machine can mount an overlay
#     in the data root (layers shared, not copied), else vfs (every layer a full copy).
#   - `docker compose` missing or v1: Debian's next release's docker-compose and docker-buildx
#     packages, downloaded through a temporary apt source made from this machine's own Debian source
#     (nothing in /etc/apt changes), unpacked as CLI plugins into DOCKER_CONFIG.

engine_pid=''
# The storage driver of an engine started here (overlay2 or vfs).
engine_driver=''

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

engine_start() {
    if engine_answers; then
        echo "engine: using the running engine ($(docker version --format '{{.Server.Version}}'))"
        return
    fi
    command -v dockerd >/dev/null || { echo "engine: no Docker engine answers and dockerd is not installed (Debian: apt-get install docker.io)" >&2; return 1; }
    [ "$(id -u)" = 0 ] || { echo "engine: no Docker engine answers, and starting one needs root" >&2; return 1; }
    local root="$COMPOSE_TEST_CACHE/engine"
    # The exec root holds the engine's sockets: a short path, under the unix socket length limit.
    local exec_root
    exec_root=$(mktemp -d /tmp/compose-engine.XXXXXX)
    mkdir -p "$root/data"
    engine_driver=$(engine_storage_driver "$root")
    export DOCKER_HOST="unix://$exec_root/docker.sock"
    nice -n 10 dockerd --data-root "$root/data" --exec-root "$exec_root/exec" --pidfile "$exec_root/docker.pid" \
        --host "$DOCKER_HOST" --storage-driver "$engine_driver" --iptables=false --ip6tables=false --bridge=none \
        >"$root/dockerd.log" 2>&1 &
    engine_pid=$!
    engine_exec_root=$exec_root
    local i
    for i in $(seq 1 120); do
        engine_answers && { echo "engine: dockerd $(docker version --format '{{.Server.Version}}') ($engine_driver) on $DOCKER_HOST"; return; }
        kill -0 "$engine_pid" 2>/dev/null || break
        sleep 0.5
    done
    echo "engine: dockerd did not answer; its log ($root/dockerd.log):" >&2
    tail -20 "$root/dockerd.log" >&2
    return 1
}

# overlay2 when an overlay mounts on the data root's file system (it does not inside some
# containers, or on a data root that is itself an overlay); the data root keeps one driver's
# layers only, so a root already holding vfs layers stays on vfs until it is removed.
engine_storage_driver() {
    local root=$1 probe
    if [ -d "$root/data/vfs" ] && [ ! -d "$root/data/overlay2" ]; then echo vfs; return; fi
    probe=$(mktemp -d "$root/overlay-probe.XXXXXX")
    mkdir -p "$probe/lower" "$probe/upper" "$probe/work" "$probe/merged"
    if mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" \
        "$probe/merged" 2>/dev/null; then
        umount "$probe/merged"
        echo overlay2
    else
        echo vfs
    fi
    rm -rf "$probe"
}

engine_stop() {
    [ -n "$engine_pid" ] || return 0
    kill "$engine_pid" 2>/dev/null || true
    wait "$engine_pid" 2>/dev/null || true
    rm -rf "$engine_exec_root"
    engine_pid=''
}

compose_v2() { docker compose version --short 2>/dev/null | grep -qE '^v?2\.'; }

# The URI of this machine's Debian archive, as its own apt configuration names it.
debian_archive_uri() {
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
        awk '/^URIs:/ && $2 ~ /\/debian\/?$/ { print $2; exit } /^deb / { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\// && $i ~ /\/debian\/?$/) { print $i; exit } }'
}

plugins_install() {
    compose_v2 && docker buildx version >/dev/null 2>&1 && return
    local uri release tmp
    uri=$(debian_archive_uri)
    [ -n "$uri" ] || { echo "plugins: Compose v2 is missing and no Debian archive is configured in /etc/apt" >&2; return 1; }
    release=trixie
    tmp=$(mktemp -d)
    mkdir -p "$tmp/lists/partial" "$tmp/archives/partial" "$tmp/parts"
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$uri" "$release" >"$tmp/parts/temp.sources"
    local opts=(-o APT::Sandbox::User=root -o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$tmp/parts"
        -o "Dir::State::Lists=$tmp/lists" -o "Dir::Cache=$tmp" -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=")
    echo "plugins: docker-compose and docker-buildx from Debian $release ($uri)"
    apt-get "${opts[@]}" -qq update &&
        (cd "$tmp" && apt-get "${opts[@]}" -qq download docker-compose docker-buildx) || { rm -rf "$tmp"; return 1; }
    local deb
    for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$tmp/root"; done
    mkdir -p "$DOCKER_CONFIG/cli-plugins"
    cp "$tmp"/root/usr/libexec/docker/cli-plugins/docker-* "$DOCKER_CONFIG/cli-plugins/"
    rm -rf "$tmp"
    compose_v2 || { echo "plugins: docker compose is still not v2" >&2; return 1; }
}
