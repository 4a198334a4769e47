export * from './api-keys.js';
export * from './auth.js';
export * from './endpoints.js';
export * from './health.js';
export * from './mail.js';
export * from './openapi.js';
export * from './problem.js';
export * from './users.js';
