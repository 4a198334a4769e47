// The features' test scenarios and the world that plays them, for the suites that run outside
// this package against a running API (the fuzzer of ops/resilience), and the SMTP sink.
export {
  type Caller,
  featureScenarios,
  refusalRecords,
  type ScenarioRequest,
  type Scenarios,
  successes,
} from './support/scenarios.js';
export { World } from './support/world.js';
export { changedTables, type Snapshot, snapshotter } from './support/snapshot.js';
export { header, type SmtpSink, startSmtpSink } from './support/smtp-sink.js';
