import { API_PREFIX } from '@repo/contracts';
import { z } from 'zod';

/**
 * Public (browser-visible) configuration. Next.js inlines `process.env.NEXT_PUBLIC_*` into the
 * bundle at build time, and only where the name is written out literally (see `env` below), so
 * these values are fixed when `next build` runs: changing them later needs a rebuild.
 */

/** An unset or empty variable takes the default (Docker build args are often passed empty). */
export const unsetIfEmpty = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export const urlWithScheme = (schemes: readonly string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        const url = new URL(value);
        return schemes.includes(url.protocol) && !value.endsWith('/') && !url.search && !url.hash;
      } catch {
        return false;
      }
    },
    {
      error: (issue) =>
        `must be a ${schemes.map((s) => s.replace(':', '')).join(' or ')} URL with no trailing slash, such as ${example} (got ${JSON.stringify(issue.input)})`,
    },
  );

const DEFAULT_API_URL = `http://localhost:4000${API_PREFIX}`;
const DEFAULT_WS_URL = 'ws://localhost:4000/ws';

const publicEnvSchema = z.object({
  /** Base URL of the API, prefix included: requests go to `${NEXT_PUBLIC_API_URL}/health/ready`. */
  NEXT_PUBLIC_API_URL: z.preprocess(
    unsetIfEmpty,
    urlWithScheme(['http:', 'https:'], DEFAULT_API_URL).default(DEFAULT_API_URL),
  ),
  /** WebSocket endpoint of the API. */
  NEXT_PUBLIC_WS_URL: z.preprocess(
    unsetIfEmpty,
    urlWithScheme(['ws:', 'wss:'], DEFAULT_WS_URL).default(DEFAULT_WS_URL),
  ),
});
export type PublicEnv = z.infer<typeof publicEnvSchema>;

export class PublicEnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid public environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PublicEnvError';
  }
}

/** Parses and checks the public variables; throws one PublicEnvError naming every bad variable. */
export function parsePublicEnv(raw: Record<string, string | undefined>): PublicEnv {
  const result = publicEnvSchema.safeParse(raw);
  if (!result.success) {
    throw new PublicEnvError(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  return result.data;
}

export const env: PublicEnv = parsePublicEnv({
  // Written out one by one: Next.js replaces these exact expressions at build time.
  NEXT_PUBLIC_API_URL: process.env.NEXT_PUBLIC_API_URL,
  NEXT_PUBLIC_WS_URL: process.env.NEXT_PUBLIC_WS_URL,
});
