/**
 * `@repo/client/diagnosis`: the connection diagnosis with its developer texts — the finding
 * catalogue and the hints, which name environment variables and commands. For tools (the doctor)
 * and development builds; the main entry (`@repo/client`) exports the diagnosis without them.
 */
export * from './developer-hints.js';
export * from './diagnose.js';
export * from './findings.js';
