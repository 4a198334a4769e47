#!/usr/bin/env bash
# pnpm test:compose: docker-compose.local.yml run for real, as a user runs it, and checked through
# nginx (test/*.test.ts). Stages, each timed:
#   engine     the running Docker engine, or one started here and stopped at the end (engine.sh)
#   plugins    Compose v2 and buildx, when missing (engine.sh)
#   stand-ins  the base images, pulled, or built here where no registry answers (stand-ins/)
#   build      the project's images (compose build, with compose.test.yml: host network, extra CAs)
#   up         up --wait: every service healthy, the migrate job done
#   checks     vitest
#   down       down -v, then nothing of the project may be left
#   prune      an engine started here keeps the images (stand-ins included) for the next run, and
#              on overlay2 the newest COMPOSE_TEST_BUILD_CACHE of the build cache (8GB by default:
#              the next build reuses its unchanged steps, such as the dependency install). On vfs
#              every cached layer is a full copy (tens of GB): the build cache goes.
#              COMPOSE_TEST_KEEP_BUILD_CACHE=1 keeps all of it.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
export COMPOSE_TEST_CACHE="${COMPOSE_TEST_CACHE:-$HOME/.cache/compose-test}"
export DOCKER_CONFIG="${DOCKER_CONFIG:-$HOME/.docker}"
mkdir -p "$COMPOSE_TEST_CACHE"
source "$here/scripts/engine.sh"
source "$here/stand-ins/build.sh"

timings=()
# The base images of this run that are stand-ins, for the last line.
standins=''
stage_start=0
stage() { stage_name=$1; stage_start=$SECONDS; printf '\n\033[1m== compose: %s\033[0m\n' "$1"; }
stage_done() { timings+=("$(printf '%-10s %4ss' "$stage_name" "$((SECONDS - stage_start))")"); }

# The ports a user gets, unless taken here (COMPOSE_TEST_*_PORT).
export NGINX_WEB_PORT="${COMPOSE_TEST_WEB_PORT:-8080}" NGINX_API_PORT="${COMPOSE_TEST_API_PORT:-8081}"
export MAILPIT_UI_PORT="${COMPOSE_TEST_MAIL_PORT:-8025}"
# The web app's origin, and the CORS suite's origins (test/cors.conformance.test.ts).
export CORS_ORIGINS="http://localhost:$NGINX_WEB_PORT,http://localhost:3000,https://app.example.com"
export COMPOSE_WEB_URL="http://localhost:$NGINX_WEB_PORT" COMPOSE_API_URL="http://localhost:$NGINX_API_PORT"
export COMPOSE_MAIL_URL="http://localhost:$MAILPIT_UI_PORT"
export COMPOSE_ARGS="-f $root/docker-compose.local.yml -f $here/compose.test.yml"
extra_ca=$(mktemp)
[ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ] && cat "$NODE_EXTRA_CA_CERTS" >"$extra_ca"
export COMPOSE_TEST_EXTRA_CA=$extra_ca
project=$(docker compose $COMPOSE_ARGS config --format json 2>/dev/null | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).name' 2>/dev/null)

up=0
finish() {
    local rc=$?
    if [ "$up" = 1 ]; then
        stage down
        docker compose $COMPOSE_ARGS down -v --remove-orphans || rc=1
        local left
        left=$( (docker ps -aq --filter "label=com.docker.compose.project=$project"
            docker network ls -q --filter "label=com.docker.compose.project=$project"
            docker volume ls -q --filter "label=com.docker.compose.project=$project") | tr '\n' ' ')
        if [ -n "${left// /}" ]; then
            echo "compose: down -v left containers, networks or volumes behind: $left" >&2
            rc=1
        else
            echo "compose: down -v left nothing of $project"
        fi
        stage_done
    fi
    if [ -n "$engine_pid" ]; then
        stage prune
        docker image prune -f >/dev/null
        if [ "${COMPOSE_TEST_KEEP_BUILD_CACHE:-}" != 1 ]; then
            if [ "$engine_driver" = overlay2 ]; then
                docker builder prune -f --keep-storage "${COMPOSE_TEST_BUILD_CACHE:-8GB}" >/dev/null
            else
                docker builder prune -af >/dev/null
            fi
        fi
        echo "compose: the engine's data root: $(du -sh "$COMPOSE_TEST_CACHE/engine" | cut -f1)"
        stage_done
    fi
    engine_stop
    rm -f "$extra_ca"
    printf '\n\033[1m== compose: timings\033[0m\n'
    printf '%s\n' "${timings[@]}"
    # Where base images were built here, the images users pull were not the ones tested: say so.
    if [ "$rc" != 0 ]; then
        echo "compose: FAILED" >&2
    elif [ -n "$standins" ]; then
        echo "compose: passed, on stand-in base images built here (no registry answered): $standins"
    else
        echo "compose: passed, on the real base images"
    fi
    exit "$rc"
}
trap finish EXIT

stage engine && engine_start && stage_done || exit 1
stage plugins && plugins_install && docker compose version && stage_done || exit 1
[ -n "$project" ] || project=$(docker compose $COMPOSE_ARGS config --format json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).name')
stage stand-ins && standins_ensure "$root" "$root/docker-compose.local.yml" && stage_done || exit 1
standins=$(standins_used | paste -sd ' ')
stage build && nice -n 10 docker compose $COMPOSE_ARGS build && stage_done || exit 1
up=1
stage up
if ! docker compose $COMPOSE_ARGS up --wait --wait-timeout 300; then
    docker compose $COMPOSE_ARGS ps -a
    docker compose $COMPOSE_ARGS logs --tail 50
    exit 1
fi
stage_done
stage checks
(cd "$here" && pnpm exec vitest run) || { docker compose $COMPOSE_ARGS logs --tail 30; exit 1; }
stage_done
