import { expectNoFinding } from './support/expect-report.js';
import { replaceOnce } from './support/patch.js';
import { proxyCatalogue } from './support/proxy-catalogue.js';

/** A block `if (<condition>) { … }` of the rendered API server, to remove. */
const ifBlock = (condition: string) =>
  new RegExp(`\\n[ \\t]*if \\(${condition}\\) \\{\\n(?:.*\\n)*?[ \\t]*\\}(?=\\n)`);

// The catalogue, CORS at the proxy: nginx from the project's templates with one misconfiguration
// each, in front of a real API.
proxyCatalogue('catalogue: CORS at the proxy', [
  [
    'wildcard with credentials: nginx sends Access-Control-Allow-Origin: *',
    'cors_wildcard_with_credentials',
    {
      nginx: {
        '40-api.conf': (text) =>
          replaceOnce(
            text,
            'add_header Access-Control-Allow-Origin $cors_allow_origin always;',
            'add_header Access-Control-Allow-Origin * always;',
          ),
      },
    },
  ],
  [
    'duplicate ACAO: the API in CORS_MODE=app behind a proxy that does not hide its headers',
    'cors_duplicate_allow_origin',
    {
      apiEnv: { CORS_MODE: 'app' },
      nginx: {
        '40-api.conf': (text) =>
          replaceOnce(
            text,
            /(\n[ \t]*proxy_hide_header Access-Control-[A-Za-z-]+;)+/,
            '\n    # (the upstream CORS headers are not hidden)',
          ),
      },
    },
  ],
  [
    'OPTIONS not answered by the proxy: preflights reach an API in proxy mode',
    'cors_preflight_not_answered',
    {
      nginx: {
        '40-api.conf': (text) =>
          replaceOnce(
            replaceOnce(text, ifBlock('\\$cors_preflight = refused'), ''),
            ifBlock('\\$cors_preflight = allowed'),
            '',
          ),
      },
    },
  ],
  [
    'an API reflecting any origin: the origin map allows by default',
    'cors_reflects_any_origin',
    {
      nginx: {
        '20-cors.conf': (text) =>
          replaceOnce(
            text,
            /(map \$http_origin \$cors_origin_status \{\s*)default foreign;/,
            '$1default allowed;',
          ),
      },
      // The web origin itself is served correctly: only the foreign one gives it away.
      also: (report) => expectNoFinding(report, 'cors_preflight_refused'),
    },
  ],
]);
