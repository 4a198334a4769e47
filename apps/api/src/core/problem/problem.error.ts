import { type FieldError, type ProblemCode, PROBLEMS, type ReauthProof } from '@repo/contracts';

/**
 * Throw this from services for an expected failure: the problem filter turns it into an
 * RFC 9457 response with the code's status and title.
 */
export class ProblemError extends Error {
  readonly status: number;

  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly options: {
      errors?: FieldError[];
      headers?: Record<string, string>;
      proofs?: ReauthProof[];
    } = {},
  ) {
    super(detail ?? PROBLEMS[code].title);
    this.name = 'ProblemError';
    this.status = PROBLEMS[code].status;
  }
}
