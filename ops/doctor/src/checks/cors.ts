import { type CheckResult, type DoctorSetup, type Evidence, finding, pass } from '../model.js';
import { evidenceOf, headerValues, probe, type ProbeResponse } from '../http.js';

const AREA = 'cors';
/** What the web app sends: JSON bodies with a bearer token, so every CORS request is preflighted. */
const NEEDED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const NEEDED_HEADERS = ['content-type', 'authorization'];
/** An origin no deployment allows: an API that allows it allows anyone. */
export const FOREIGN_ORIGIN = 'https://doctor-probe.invalid';

const list = (values: string[]) =>
  values
    .join(',')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);

type Request = { method: string; url: string; headers: Record<string, string> };

async function send(request: Request, timeoutMs: number) {
  const res = await probe(request.url, {
    method: request.method,
    headers: request.headers,
    timeoutMs,
  });
  return { res, evidence: [evidenceOf(request.method, request.url, request.headers, res)] };
}

const preflightOf = (setup: DoctorSetup, origin: string): Request => ({
  method: 'OPTIONS',
  url: `${setup.apiUrl}/auth/login`,
  headers: {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type, authorization',
  },
});

/** The headers every allowed answer needs: one exact ACAO, credentials, Vary: Origin. */
function allowedOriginProblems(
  res: ProbeResponse,
  origin: string,
  name: string,
  evidence: Evidence[],
): CheckResult | undefined {
  const acao = headerValues(res, 'access-control-allow-origin');
  if (acao.length > 1) {
    return finding(
      'cors_duplicate_allow_origin',
      name,
      `${acao.length} Access-Control-Allow-Origin headers: ${acao.join(' | ')}`,
      { evidence },
    );
  }
  if (acao[0] === '*') {
    return finding(
      'cors_wildcard_with_credentials',
      name,
      'Access-Control-Allow-Origin: * — browsers refuse it on credentialed requests',
      { evidence },
    );
  }
  if (acao[0] !== origin) {
    return finding(
      'cors_allow_origin_missing',
      name,
      acao.length
        ? `Access-Control-Allow-Origin is ${acao[0]}, not ${origin}`
        : `status ${res.status} without Access-Control-Allow-Origin`,
      { evidence },
    );
  }
  if (headerValues(res, 'access-control-allow-credentials')[0] !== 'true') {
    return finding('cors_credentials_missing', name, 'no Access-Control-Allow-Credentials: true', {
      evidence,
    });
  }
  if (!list(headerValues(res, 'vary')).includes('origin')) {
    return finding(
      'cors_vary_missing',
      name,
      'the answer depends on Origin but does not say Vary: Origin',
      { evidence },
    );
  }
  return undefined;
}

async function preflightCheck(setup: DoctorSetup, origin: string): Promise<CheckResult> {
  const name = `preflight from ${origin}`;
  const { res, evidence } = await send(preflightOf(setup, origin), setup.timeoutMs);
  const acao = headerValues(res, 'access-control-allow-origin');
  if (res.status === 403 && res.body.includes('origin_not_allowed')) {
    return finding(
      'cors_preflight_refused',
      name,
      `403 origin_not_allowed: ${origin} is not allowed`,
      {
        evidence,
        fix: `Add ${origin} to CORS_ORIGINS (exactly) and restart the API and nginx.`,
      },
    );
  }
  // Browsers need a 2xx preflight with CORS headers: anything else is "not answered".
  if (res.status < 200 || res.status >= 300 || acao.length === 0) {
    return finding(
      'cors_preflight_not_answered',
      name,
      `OPTIONS answered ${res.status} ${acao.length ? '(with CORS headers, but a preflight needs a 2xx)' : 'with no CORS header'}`,
      { evidence },
    );
  }
  const problem = allowedOriginProblems(res, origin, name, evidence);
  if (problem) return problem;
  const methods = list(headerValues(res, 'access-control-allow-methods'));
  const headers = list(headerValues(res, 'access-control-allow-headers'));
  const missing = [
    ...NEEDED_METHODS.filter((m) => !methods.includes(m.toLowerCase())),
    ...NEEDED_HEADERS.filter((h) => !headers.includes(h) && !headers.includes('*')),
  ];
  if (missing.length > 0) {
    return finding('cors_incomplete_preflight', name, `not allowed: ${missing.join(', ')}`, {
      evidence,
    });
  }
  const maxAge = headerValues(res, 'access-control-max-age')[0];
  return pass(
    AREA,
    name,
    `${res.status}, exact origin, credentials, methods and headers allowed${maxAge ? `, cached ${maxAge} s` : ''}`,
    { evidence, ms: res.timings.totalMs },
  );
}

/** The actual requests: a success and an error, both readable by the page. */
async function actualCheck(setup: DoctorSetup, origin: string): Promise<CheckResult> {
  const name = `requests from ${origin}`;
  for (const path of ['/health', '/doctor-probe-not-found']) {
    const { res, evidence } = await send(
      { method: 'GET', url: `${setup.apiUrl}${path}`, headers: { origin } },
      setup.timeoutMs,
    );
    const problem = allowedOriginProblems(res, origin, name, evidence);
    if (problem) return problem;
  }
  return pass(
    AREA,
    name,
    'one exact Access-Control-Allow-Origin with credentials and Vary: Origin, on success and on errors',
  );
}

/** An origin nobody allows must get nothing: an API that echoes it trusts every site. */
async function foreignOriginCheck(setup: DoctorSetup): Promise<CheckResult> {
  const name = 'a foreign origin';
  for (const request of [
    preflightOf(setup, FOREIGN_ORIGIN),
    { method: 'GET', url: `${setup.apiUrl}/health`, headers: { origin: FOREIGN_ORIGIN } },
  ]) {
    const { res, evidence } = await send(request, setup.timeoutMs);
    const acao = headerValues(res, 'access-control-allow-origin');
    if (acao.includes(FOREIGN_ORIGIN)) {
      return finding(
        'cors_reflects_any_origin',
        name,
        `${request.method} with Origin ${FOREIGN_ORIGIN} got Access-Control-Allow-Origin: ${acao.join(' | ')}`,
        { evidence },
      );
    }
  }
  return pass(AREA, name, `${FOREIGN_ORIGIN} gets no CORS header`);
}

export async function corsChecks(setup: DoctorSetup): Promise<CheckResult[]> {
  const perOrigin = setup.origins.flatMap((origin) => [
    preflightCheck(setup, origin),
    actualCheck(setup, origin),
  ]);
  return Promise.all([...perOrigin, foreignOriginCheck(setup)]);
}
