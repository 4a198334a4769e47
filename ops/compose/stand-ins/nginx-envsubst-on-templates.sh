#!/bin/sh
# STAND-IN: the official image's 20-envsubst-on-templates.sh: /etc/nginx/templates/*.template
# rendered into /etc/nginx/conf.d/ with only the variables whose names match NGINX_ENVSUBST_FILTER.
set -e
dir=${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}
out=${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}
suffix=${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}
filter=${NGINX_ENVSUBST_FILTER:-}
[ -d "$dir" ] || exit 0
defined=$(printf '${%s} ' $(awk "END { for (name in ENVIRON) { print ( name ~ /${filter}/ ) ? name : \"\" } }" </dev/null))
for template in "$dir"/*"$suffix"; do
    [ -f "$template" ] || continue
    name=$(basename "$template" "$suffix")
    envsubst "$defined" <"$template" >"$out/$name"
done
