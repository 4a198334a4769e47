import { type CheckResult, type DoctorSetup, finding, pass, skip } from '../model.js';
import { evidenceOf, probe, ProbeError, type ProbeResponse } from '../http.js';
import { parseUrl } from '../sites.js';

const AREA = 'reachability';

/** Each step from the name to a ready API, timed; `reachable` tells the later checks to go on. */
export async function reachabilityChecks(
  setup: DoctorSetup,
): Promise<{ results: CheckResult[]; reachable: boolean }> {
  const results: CheckResult[] = [];
  const api = parseUrl(setup.apiUrl);
  if (!api) return { results: [skip(AREA, 'API', 'no usable API URL')], reachable: false };
  const healthUrl = `${setup.apiUrl}/health`;

  let health: ProbeResponse;
  try {
    health = await probe(healthUrl, { timeoutMs: setup.timeoutMs });
  } catch (error) {
    const failure =
      error instanceof ProbeError ? error : new ProbeError('EUNKNOWN', String(error), 'http');
    const evidence = [{ request: `GET ${healthUrl}`, note: `${failure.code}: ${failure.message}` }];
    const where = `${api.hostname}:${api.port || (api.protocol === 'https:' ? 443 : 80)}`;
    results.push(
      failure.step === 'dns'
        ? finding(
            'dns_failed',
            `DNS ${api.hostname}`,
            `${api.hostname} does not resolve (${failure.code})`,
            { evidence },
          )
        : failure.step === 'tls'
          ? finding(
              'tls_invalid',
              `TLS ${api.hostname}`,
              `the certificate is refused: ${failure.message}`,
              { evidence },
            )
          : failure.step === 'timeout'
            ? finding(
                'api_timeout',
                `GET ${api.pathname}/health`,
                `no answer within ${setup.timeoutMs} ms`,
                { evidence },
              )
            : finding(
                'api_unreachable',
                `TCP ${where}`,
                `nothing answers at ${where} (${failure.code})`,
                { evidence },
              ),
    );
    return { results, reachable: false };
  }

  const { dnsMs, tcpMs, tlsMs } = health.timings;
  if (dnsMs !== undefined)
    results.push(pass(AREA, `DNS ${api.hostname}`, 'resolves', { ms: dnsMs }));
  if (tcpMs !== undefined) results.push(pass(AREA, `TCP ${api.host}`, 'connects', { ms: tcpMs }));
  results.push(
    api.protocol === 'https:'
      ? pass(AREA, `TLS ${api.hostname}`, 'certificate valid for the name', { ms: tlsMs })
      : skip(AREA, 'TLS', 'plain http'),
  );

  const evidence = [
    evidenceOf('GET', healthUrl, {}, health, (n) => n === 'server' || n === 'content-type'),
  ];
  if (health.status === 200 && isHealthBody(health.body)) {
    results.push(
      pass(AREA, `GET ${api.pathname}/health`, '200, the API is up', {
        ms: health.timings.totalMs,
        evidence,
      }),
    );
  } else if (health.status === 404 || health.status === 200) {
    const found = await findApiPrefix(api, setup.timeoutMs);
    results.push(
      finding(
        'api_wrong_base_path',
        `GET ${api.pathname}/health`,
        `a server answers ${health.status} at ${healthUrl}, but not the API's /health`,
        {
          evidence,
          ...(found
            ? {
                fix: `Set NEXT_PUBLIC_API_URL to ${found} (the API answers there) and rebuild the web app.`,
              }
            : {}),
        },
      ),
    );
    return { results, reachable: false };
  } else {
    results.push(
      finding(
        'api_unreachable',
        `GET ${api.pathname}/health`,
        `answered ${health.status}${health.status >= 502 ? ': a proxy answers but no API behind it' : ''}`,
        { evidence },
      ),
    );
    return { results, reachable: false };
  }

  const readyUrl = `${setup.apiUrl}/health/ready`;
  try {
    const ready = await probe(readyUrl, { timeoutMs: setup.timeoutMs });
    results.push(
      ready.status === 200
        ? pass(AREA, `GET ${api.pathname}/health/ready`, '200, its database answers', {
            ms: ready.timings.totalMs,
          })
        : finding(
            'api_not_ready',
            `GET ${api.pathname}/health/ready`,
            `answered ${ready.status}: ${ready.body.slice(0, 200)}`,
            {
              evidence: [evidenceOf('GET', readyUrl, {}, ready, () => false)],
            },
          ),
    );
  } catch (error) {
    results.push(
      finding('api_timeout', `GET ${api.pathname}/health/ready`, (error as Error).message),
    );
  }
  return { results, reachable: true };
}

function isHealthBody(body: string): boolean {
  try {
    return (JSON.parse(body) as { status?: unknown }).status === 'ok';
  } catch {
    return false;
  }
}

/** Where the API's /health answers on the same server, if anywhere: the prefix to use. */
async function findApiPrefix(api: URL, timeoutMs: number): Promise<string | undefined> {
  for (const prefix of ['/api/v1', '/v1', '/api', '']) {
    const base = `${api.origin}${prefix}`;
    if (base === `${api.origin}${api.pathname}`) continue;
    const res = await probe(`${base}/health`, { timeoutMs }).catch(() => undefined);
    if (res?.status === 200 && isHealthBody(res.body)) return base;
  }
  return undefined;
}
