export {
  deriveNginxEnv,
  findNginx,
  nginxForTests,
  renderNginx,
  type RenderedNginx,
  startNginx,
  substitute,
  testNginxConfig,
} from './nginx.js';
export { type LineSink, Service, waitFor200 } from './processes.js';
export {
  type ApiFrom,
  apiProcess,
  type ApiReplica,
  devApiEnv,
  migrate,
  NO_RATE_LIMITS,
  type Stack,
  type StackOptions,
  startPostgres,
  startStack,
  workerProcess,
} from './stack.js';
