# STAND-IN for axllent/mailpit, built only where no image registry can be reached
# (ops/compose/stand-ins/build.sh); Mailpit itself is a Go program not available from the package
# registries here. A mail catcher on Node with the part of Mailpit the project uses: SMTP on 1025,
# the HTTP API on 8025 (/api/v1/messages, /api/v1/message/{ID}, /readyz) and `/mailpit readyz`.
ARG NODE_IMAGE
FROM ${NODE_IMAGE}
COPY mailpit.mjs /usr/local/lib/mailpit.mjs
COPY --chmod=0755 mailpit.sh /mailpit
USER node
EXPOSE 1025 8025
ENTRYPOINT ["/mailpit"]
