import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

type ParsedValues<T extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: T; args: string[] }>
>['values'];

/**
 * The options of a command-line program, by node:util's parseArgs, with the two things every
 * program here owes its user: `--help` (or `-h`) prints the usage and exits 0, and a wrong
 * argument is one clear line on stderr and exit code 2, never a stack trace.
 */
export function commandLine<const T extends ParseArgsOptionsConfig>(
  usage: string,
  options: T,
  args: string[] = process.argv.slice(2),
) {
  let values: ParsedValues<T> & { help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    }));
  } catch (error) {
    argumentError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${usage.trim()}\n`);
    process.exit(0);
  }
  return values as ParsedValues<T>;
}

/** A wrong argument: one line on stderr, exit code 2. */
export function argumentError(message: string): never {
  process.stderr.write(`${message} (see --help)\n`);
  process.exit(2);
}

/** The value of a numeric option, or its default; anything but a positive number is an argument error. */
export function positiveNumber(value: string | undefined, fallback: number, name: string): number {
  const n = Number(value ?? fallback);
  if (!Number.isFinite(n) || n <= 0) argumentError(`--${name} must be a positive number`);
  return n;
}
