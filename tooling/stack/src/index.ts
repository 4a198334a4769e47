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
export { freePort, type LineSink, Service, waitFor200 } from './processes.js';
export {
  type ApiFrom,
  apiProcess,
  type ApiReplica,
  migrate,
  type Stack,
  type StackOptions,
  startPostgres,
  startStack,
} from './stack.js';
