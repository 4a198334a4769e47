import { type CheckResult, type DoctorSetup, finding, pass } from '../model.js';
import { isLoopback, isSecure, parseUrl, siteOf } from '../sites.js';
import { passkeyChecks } from './passkeys.js';

/** What the configuration alone says, before any request. */
export function configChecks(setup: DoctorSetup): CheckResult[] {
  const results: CheckResult[] = [];
  const config = setup.config;
  const api = parseUrl(setup.apiUrl);
  const apiOk =
    api && (api.protocol === 'http:' || api.protocol === 'https:') && !setup.apiUrl.endsWith('/');
  results.push(
    apiOk
      ? pass('config', 'API URL', setup.apiUrl)
      : finding(
          'config_api_url_invalid',
          'API URL',
          `"${setup.apiUrl}" is not an http(s) URL without a trailing slash`,
        ),
  );
  const ws = parseUrl(setup.wsUrl);
  results.push(
    ws && (ws.protocol === 'ws:' || ws.protocol === 'wss:')
      ? pass('config', 'WebSocket URL', setup.wsUrl)
      : finding(
          'config_ws_url_invalid',
          'WebSocket URL',
          `"${setup.wsUrl}" is not a ws:// or wss:// URL`,
        ),
  );

  const allowed = config?.corsOrigins;
  if (allowed?.includes('*')) {
    results.push(
      finding('config_cors_wildcard', 'CORS_ORIGINS', `CORS_ORIGINS is ${allowed.join(',')}`),
    );
  }
  const sameSite = config?.cookieSameSite ?? 'lax';
  for (const origin of setup.origins) {
    const page = parseUrl(origin);
    if (allowed) {
      results.push(
        allowed.includes(origin)
          ? pass('config', `${origin} in CORS_ORIGINS`, `CORS_ORIGINS: ${allowed.join(', ')}`)
          : finding(
              'config_origin_not_allowed',
              `${origin} in CORS_ORIGINS`,
              `CORS_ORIGINS is ${allowed.join(', ')}`,
              {
                fix: `Add ${origin} to CORS_ORIGINS (comma-separated, exact) and restart the API and nginx.`,
              },
            ),
      );
    }
    if (!page || !api) continue;
    const mixed =
      page.protocol === 'https:' &&
      ((!isSecure(api) && !isLoopback(api)) || (ws !== undefined && !isSecure(ws)));
    results.push(
      mixed
        ? finding(
            'mixed_content',
            `mixed content from ${origin}`,
            `${origin} is https, the API ${setup.apiUrl} (or ${setup.wsUrl}) is not`,
          )
        : pass('config', `mixed content from ${origin}`, 'none: the API is as secure as the page'),
    );
    // Without the configuration (a remote deployment) the login cookie's own flags tell.
    if (!config) continue;
    const crossSite = siteOf(page) !== siteOf(api);
    if (crossSite && sameSite !== 'none') {
      results.push(
        finding(
          'config_cookie_cross_site',
          `cookie for ${origin}`,
          `${siteOf(page)} and ${siteOf(api)} are different sites; the refresh cookie is SameSite=${sameSite}, so the browser will not send it`,
        ),
      );
    } else {
      results.push(
        pass(
          'config',
          `cookie for ${origin}`,
          crossSite
            ? 'cross-site, SameSite=None'
            : `same site (${siteOf(api)}), SameSite=${sameSite}`,
        ),
      );
    }
  }

  if (config && api) {
    const secure = config.cookieSecure ?? (config.nodeEnv === 'production' || sameSite === 'none');
    if (sameSite === 'none' && config.cookieSecure === false) {
      results.push(
        finding(
          'cookie_samesite_none_without_secure',
          'cookie flags',
          'COOKIE_SAMESITE=none with COOKIE_SECURE=false',
        ),
      );
    } else if (secure && api.protocol === 'http:' && !isLoopback(api)) {
      results.push(
        finding(
          'config_cookie_secure_on_http',
          'cookie flags',
          `the refresh cookie is Secure but the API ${setup.apiUrl} is plain http`,
        ),
      );
    } else {
      results.push(
        pass('config', 'cookie flags', `SameSite=${sameSite}${secure ? ', Secure' : ''}, HttpOnly`),
      );
    }
  }
  results.push(...passkeyChecks(setup));
  if (config?.nodeEnv === 'production') {
    const devDefaults = config.devDefaults ?? [];
    results.push(
      devDefaults.length > 0
        ? finding(
            'config_dev_defaults_in_production',
            'production settings',
            `NODE_ENV=production with dev defaults: ${devDefaults.join(', ')}`,
          )
        : pass('config', 'production settings', 'secrets, database, origins and mail are set'),
    );
  }
  return results;
}
