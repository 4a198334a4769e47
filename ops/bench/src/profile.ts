/**
 * A summary of a V8 CPU profile (`node --cpu-prof`): self time by package (node_modules/<name>,
 * the API's own code, Node's internals, GC, idle) and the heaviest functions, so a missed target
 * can be explained by where the time goes.
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time in ms, idle excluded. */
  busyMs: number;
  idlePct: number;
  /** Share of busy time by where the code lives (self time), largest first. */
  byPackage: { name: string; pct: number }[];
  /**
   * Share of busy time spent in or under each package (inclusive: a package that calls another
   * counts that time too), largest first: what a layer costs with everything it calls.
   */
  underPackage: { name: string; pct: number }[];
  /** Share of busy time of the heaviest functions (self time). */
  topFunctions: { name: string; pct: number }[];
}

function packageOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return '(garbage collector)';
  if (functionName === '(program)') return '(program: native, outside JS)';
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node (built-ins)';
  if (url.includes('/apps/api/')) return 'api (own code)';
  if (url.includes('/packages/contracts/')) return '@repo/contracts';
  return url;
}

export async function summariseProfile(file: string, top = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  let idle = 0;
  let busy = 0;
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const underPackage = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const pkg = packageOf(frame.url, frame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const where = frame.url
      ? `${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`
      : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(`${name} [${pkg}]`, (byFunction.get(`${name} [${pkg}]`) ?? 0) + us);
    const stack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = nodes.get(at)!.callFrame;
      if (f.url) stack.add(packageOf(f.url, f.functionName));
    }
    for (const p of stack) underPackage.set(p, (underPackage.get(p) ?? 0) + us);
  }
  const ranked = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, pct: Math.round((us / busy) * 1000) / 10 }));
  return {
    busyMs: Math.round(busy / 1000),
    idlePct: Math.round((idle / (idle + busy)) * 1000) / 10,
    byPackage: ranked(byPackage),
    underPackage: ranked(underPackage),
    topFunctions: ranked(byFunction),
  };
}
