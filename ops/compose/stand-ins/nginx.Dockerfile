# STAND-IN for the official nginx:<version>-alpine image, built only where no image registry can
# be reached (ops/compose/stand-ins/build.sh): Debian's nginx with the official image's layout and
# entrypoint where the project relies on them: prefix /etc/nginx, an `nginx` user, /var/cache/nginx,
# /docker-entrypoint.d (*.envsh sourced, *.sh run) and templates rendered through envsubst with
# NGINX_ENVSUBST_FILTER; wget for healthchecks, logs to the container's output.
ARG BASE
FROM ${BASE}
# No service starts during the build (it would bind the build host's port 80).
RUN printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \
    && apt-get update \
    && apt-get install -y --no-install-recommends nginx-core gettext-base wget \
    && rm -rf /var/lib/apt/lists/* /usr/sbin/policy-rc.d /etc/nginx/sites-enabled /etc/nginx/conf.d/* \
    && groupadd --system --gid 101 nginx \
    && useradd --system --uid 101 --gid nginx --home-dir /nonexistent --shell /bin/false nginx \
    && mkdir -p /var/cache/nginx /docker-entrypoint.d \
    && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log \
    && chmod 755 /var/log/nginx \
    && printf 'server {\n    listen 80;\n    location / { return 200 "stand-in\\n"; }\n}\n' >/etc/nginx/conf.d/default.conf
COPY --chmod=0755 nginx-entrypoint.sh /docker-entrypoint.sh
COPY --chmod=0755 nginx-envsubst-on-templates.sh /docker-entrypoint.d/20-envsubst-on-templates.sh
ENTRYPOINT ["/docker-entrypoint.sh"]
EXPOSE 80
STOPSIGNAL SIGQUIT
# The official build's prefix is /etc/nginx: relative paths in nginx.conf resolve there.
CMD ["nginx", "-p", "/etc/nginx", "-g", "daemon off;"]
