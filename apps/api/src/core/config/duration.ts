const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** '15m' → 900. The env schema has already checked the format. */
export function durationSeconds(value: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value);
  if (!match) throw new Error(`Not a duration: ${value}`);
  return Math.floor((Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]) / 1000);
}
