import { PROBLEM_CONTENT_TYPE, type ProblemDetails, problemDetailsSchema } from '@repo/contracts';

/**
 * The problem details of an error response, or what is wrong with it: not
 * `application/problem+json`, not JSON, or not the contracts' problem shape with a matching status.
 */
export function parseProblem(
  status: number,
  contentType: string | null | undefined,
  body: string,
): { problem: ProblemDetails } | { wrong: string } {
  if (!(contentType ?? '').startsWith(PROBLEM_CONTENT_TYPE))
    return { wrong: `${status} with content-type "${contentType}": ${body.slice(0, 120)}` };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { wrong: `${status} with a body that is not JSON: ${body.slice(0, 120)}` };
  }
  const parsed = problemDetailsSchema.safeParse(json);
  if (!parsed.success) return { wrong: `${status}, not a problem of the contracts: ${body}` };
  if (parsed.data.status !== status)
    return { wrong: `status ${status} with body status ${parsed.data.status}` };
  return { problem: parsed.data };
}
