import type { z } from 'zod';
import type { Access } from './access.js';
import type { OrgPermission } from './permissions.js';
import type { ProblemCode } from './problem.js';

/** Every HTTP route lives under this prefix. */
export const API_PREFIX = '/api/v1';
/** Swagger UI; the generated OpenAPI document is at `${DOCS_PATH}/openapi.json`. */
export const DOCS_PATH = '/api/docs';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One endpoint as a feature states it: everything the API, the client and the docs need. */
export interface EndpointSpec {
  method: HttpMethod;
  /** Path below API_PREFIX, with `:param` placeholders. */
  path: string;
  summary: string;
  access: Access;
  /** The `:param` values, as an object schema (strings on the wire). */
  params?: z.ZodType;
  query?: z.ZodType;
  /** Every body schema needs `.meta({ id })`: it becomes an OpenAPI component. */
  body?: z.ZodType;
  /**
   * Success status; 200 unless said (204 when there is no response body). A 302 is a browser
   * navigation answered with a redirect (Location), no body.
   */
  status?: number;
  /** Success body; absent for 202/204. */
  response?: z.ZodType;
  /**
   * The problem codes this endpoint answers with besides the ones every endpoint of its kind may
   * (COMMON_PROBLEMS, from its access rule, input and reauth: endpoint-problems.ts). The OpenAPI
   * document lists both per operation; the API's scenario walks fail on any other.
   */
  problems?: readonly ProblemCode[];
  /**
   * An organisation-scoped endpoint (its path starts `/orgs/:orgId`) states what its caller must
   * be allowed in that organisation (permissions.ts). The API refuses a non-member with 404 and
   * a member whose role lacks it with 403 `forbidden`.
   */
  permission?: OrgPermission;
  /** Served only outside production. */
  devOnly?: boolean;
  /**
   * What a success does to the caller's session: `starts` answers with tokens (and sets the
   * refresh cookie), `renews` answers with new tokens of the same session (and replaces the
   * cookie), `ends` clears it. The client keeps its session in step from this.
   */
  session?: 'starts' | 'renews' | 'ends';
  /**
   * A sensitive change: the session must have proved who it is (signed in, or re-authenticated)
   * within the last REAUTH_WINDOW_MINUTES, else 403 `reauth_required` naming the proofs accepted.
   */
  reauth?: true;
}

/** An endpoint of the contract: its spec, named `feature.name` and tagged by its feature. */
export type Endpoint = EndpointSpec & { id: string; tag: string; tagDescription: string };

/** A feature's endpoints by name, as written in its file. */
export type FeatureSpec = Record<string, EndpointSpec>;

/** Types a feature's endpoint table while keeping its literal keys. */
export const defineEndpoints = <const T extends FeatureSpec>(table: T): T => table;

/** Endpoints grouped by feature: the shape the API binds and the client calls. */
export type Contract<C extends Record<string, FeatureSpec> = Record<string, FeatureSpec>> = {
  [F in keyof C]: {
    [N in keyof C[F]]: C[F][N] & { id: string; tag: string; tagDescription: string };
  };
};

/**
 * Gathers feature tables into a contract: each endpoint gets its id (`notes.list`, the OpenAPI
 * operationId) and its feature as tag, from where it stands, and the feature's description
 * (what the OpenAPI document says of the tag).
 */
export function defineContract<const C extends Record<string, FeatureSpec>>(
  features: C,
  descriptions: { [F in keyof C]: string },
): Contract<C> {
  return Object.fromEntries(
    Object.entries(features).map(([feature, table]) => [
      feature,
      Object.fromEntries(
        Object.entries(table).map(([name, spec]) => [
          name,
          {
            ...spec,
            id: `${feature}.${name}`,
            tag: feature,
            tagDescription: descriptions[feature],
          },
        ]),
      ),
    ]),
  ) as Contract<C>;
}

/** Every endpoint of a contract, in declaration order. */
export const endpointsOf = (contract: Contract): Endpoint[] =>
  Object.values(contract).flatMap((feature) => Object.values(feature));

/** The success status of an endpoint. */
export const successStatus = (e: EndpointSpec): number => e.status ?? (e.response ? 200 : 204);

/** Whether a call carries the access token: every access rule but public and the refresh cookie. */
export const takesAccessToken = (e: EndpointSpec): boolean =>
  e.access !== 'public' && e.access !== 'refresh-cookie';

/** The path prefix of every organisation-scoped endpoint. */
export const ORG_SCOPED_PATH = '/orgs/:orgId';

/** Whether an endpoint acts within one organisation (and must state a permission). */
export const isOrgScoped = (e: EndpointSpec): boolean =>
  e.path === ORG_SCOPED_PATH || e.path.startsWith(`${ORG_SCOPED_PATH}/`);
