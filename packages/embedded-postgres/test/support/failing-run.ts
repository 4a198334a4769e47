// Started by exit-code.test.ts: loads the module, then ends as a failed test run does.
import '../../src/embedded-postgres.js';

process.exitCode = 1;
