#!/bin/sh
# STAND-IN: Mailpit's command line, `readyz` (the healthcheck) or the server.
if [ "$1" = readyz ]; then
    exec node -e "fetch('http://127.0.0.1:8025/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
fi
exec node /usr/local/lib/mailpit.mjs
