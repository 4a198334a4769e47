import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls a URL until it answers 200; fails after `timeoutMs` with the last thing seen. */
export async function waitFor200(url: string, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`${what} did not come up at ${url} within ${timeoutMs} ms (last: ${last})`);
}

export type LineSink = (source: string, line: string) => void;

/** Environment variables for a child (plain strings: no global ProcessEnv augmentation). */
export type Env = Record<string, string | undefined>;

export type ServiceOptions = Omit<SpawnOptions, 'env' | 'stdio'> & { env?: Env };

/** A child process whose output is kept (the last 300 lines) and passed to a sink line by line. */
export class Service {
  readonly output: string[] = [];
  private child: ChildProcess | undefined;

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly options: ServiceOptions,
    private readonly sink: LineSink = () => undefined,
  ) {}

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): this {
    const child = spawn(this.command, this.args, {
      ...this.options,
      // Needed where Next's types make NODE_ENV required (the web app's browser tests).
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      env: this.options.env as NodeJS.ProcessEnv | undefined,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream?.on('data', (chunk: Buffer) => {
        const lines = (rest + chunk.toString()).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) this.line(line);
      });
      stream?.on('end', () => rest && this.line(rest));
    }
    child.on('error', (error) => this.line(`could not start ${this.command}: ${error.message}`));
    return this;
  }

  private line(line: string) {
    if (!line.trim()) return;
    this.output.push(line);
    if (this.output.length > 300) this.output.shift();
    this.sink(this.name, line);
  }

  /** Sends a signal without waiting (SIGKILL: a crash, as tests need). */
  kill(signal: NodeJS.Signals = 'SIGTERM') {
    if (this.running) this.child?.kill(signal);
  }

  /** Asks it to stop, waits for the exit, and kills it if that takes longer than `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Resolves when it exits: the exit code, or the signal that ended it. */
  async exited(): Promise<number | string> {
    const child = this.child;
    if (!child) return 'not started';
    if (!this.running) return child.exitCode ?? child.signalCode ?? 'unknown';
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    return code ?? signal ?? 'unknown';
  }
}
