import { replaceOnce } from './support/patch.js';
import { proxyCatalogue } from './support/proxy-catalogue.js';

// The catalogue, cookies and WebSockets through the proxy: nginx from the project's templates
// with one misconfiguration each, in front of a real API.
proxyCatalogue('catalogue: cookies and WebSockets at the proxy', [
  [
    'SameSite=None without Secure: the proxy rewrites the cookie (the API refuses that config)',
    'cookie_samesite_none_without_secure',
    {
      nginx: {
        '40-api.conf': (text) =>
          replaceOnce(
            text,
            '    proxy_http_version 1.1;\n',
            '    proxy_http_version 1.1;\n    proxy_cookie_flags ~ nosecure samesite=none;\n',
          ),
      },
    },
  ],
  [
    'WS upgrade headers not forwarded by the proxy',
    'ws_upgrade_not_forwarded',
    {
      nginx: {
        '40-api.conf': (text) =>
          replaceOnce(
            replaceOnce(text, /\n[ \t]*proxy_set_header Upgrade \$http_upgrade;/, ''),
            'proxy_set_header Connection $connection_upgrade;',
            'proxy_set_header Connection "";',
          ),
      },
    },
  ],
  [
    'WS Origin not checked: the proxy neither checks nor forwards Origin on /ws',
    'ws_origin_not_checked',
    {
      nginx: {
        '40-api.conf': (text) =>
          replaceOnce(
            text,
            /(location = \/ws \{)\s*if \(\$cors_origin_status = foreign\) \{\n(?:.*\n)*?[ \t]*\}(?=\n)/,
            // proxy_set_header in a location replaces the server's list: the upgrade headers
            // are repeated, so only the Origin check is missing.
            [
              '$1',
              '        proxy_set_header Host $host;',
              '        proxy_set_header Connection $connection_upgrade;',
              '        proxy_set_header Upgrade $http_upgrade;',
              '        proxy_set_header Origin "";',
            ].join('\n'),
          ),
      },
    },
  ],
  [
    'a proxy read timeout shorter than the heartbeat',
    'ws_idle_closed',
    {
      apiEnv: { WS_HEARTBEAT_MS: '3000' },
      nginxEnv: { NGINX_WS_READ_TIMEOUT: '1s' },
      doctor: { idleMs: 'heartbeat' },
    },
  ],
]);
