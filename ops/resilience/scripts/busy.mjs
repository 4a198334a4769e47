/**
 * `pnpm busy <command…>`: runs a command while every core of the machine is kept busy by a plain
 * busy loop (one process per core, at normal priority), as on a laptop doing other work. The test
 * suites must pass this way too: `pnpm busy pnpm test --continue` (turbo's --continue runs every
 * package, so that every failure is counted). Prints the command's duration; exits with
 * its code.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const USAGE = `Usage: pnpm busy <command> [args…]
Runs <command> (from the directory pnpm was started in) while one busy loop per core keeps the
machine busy; exits with its code. Example: pnpm busy pnpm test --continue`;

const [command, ...args] = process.argv.slice(2);
if (command === '--help' || command === '-h') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!command) {
  console.error('pnpm busy: name the command to run, e.g. pnpm busy pnpm test (see --help)');
  process.exit(2);
}

const cores = availableParallelism();
const loops = Array.from({ length: cores }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
const stopLoops = () => {
  for (const loop of loops) loop.kill('SIGKILL');
};
console.error(`pnpm busy: ${cores} busy loops running; ${[command, ...args].join(' ')}`);

const started = performance.now();
// INIT_CWD: where `pnpm busy` was typed, not this package's directory.
const child = spawn(command, args, {
  stdio: 'inherit',
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  stopLoops();
  console.error(`pnpm busy: could not run ${command}: ${error.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  stopLoops();
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.error(
    `pnpm busy: ${command} ${signal ? `ended by ${signal}` : `exited with ${code}`} after ${seconds} s, ${cores} cores busy throughout`,
  );
  process.exit(code ?? 1);
});
