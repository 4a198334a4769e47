/**
 * CPU time per process during a run (utime + stime from /proc/<pid>/stat), to tell where the two
 * cores went: the server, PostgreSQL (the postmaster's children), nginx, and this process (the
 * load generator).
 */
import { readdir, readFile } from 'node:fs/promises';

const TICKS_PER_S = 100; // USER_HZ on Linux

async function stat(pid: number): Promise<{ ppid: number; ticks: number; comm: string } | null> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!text) return null;
  // comm may contain spaces: the fields after it start at the last ')'.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // state=0, ppid=1, ..., utime=11, stime=12 (0-based after comm)
  return { comm, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** Every process under `pid` (itself included), read now. */
async function tree(rootPids: number[]): Promise<Map<number, number>> {
  const all = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = await stat(Number(entry));
    if (s) all.set(Number(entry), s);
  }
  const wanted = new Set(rootPids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, s] of all) {
      if (!wanted.has(pid) && wanted.has(s.ppid)) {
        wanted.add(pid);
        grew = true;
      }
    }
  }
  const ticks = new Map<number, number>();
  for (const pid of wanted) {
    const s = all.get(pid);
    if (s) ticks.set(pid, s.ticks);
  }
  return ticks;
}

export type CpuGroups = Record<string, number[]>;

/** Busy jiffies of the whole machine (all CPUs), from /proc/stat. */
async function machineTicks(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!;
  // cpu user nice system idle iowait irq softirq steal ...
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return user! + nice! + system! + irq! + softirq! + steal!;
}

/** Cores used by each group of process trees while `work` runs (1.0 = one core busy throughout). */
export async function measureCpu<T>(
  groups: CpuGroups,
  work: () => Promise<T>,
): Promise<{ result: T; cores: Record<string, number> }> {
  const before = await Promise.all(Object.values(groups).map((pids) => tree(pids)));
  const machineBefore = await machineTicks();
  const self = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const selfUsage = process.cpuUsage(self);
  const machineAfter = await machineTicks();
  const after = await Promise.all(Object.values(groups).map((pids) => tree(pids)));
  const cores: Record<string, number> = {};
  Object.keys(groups).forEach((name, i) => {
    let ticks = 0;
    for (const [pid, t] of after[i]!) ticks += t - (before[i]!.get(pid) ?? 0);
    cores[name] = round2(ticks / TICKS_PER_S / seconds);
  });
  cores['load generator'] = round2((selfUsage.user + selfUsage.system) / 1e6 / seconds);
  // Everything else on the machine (the kernel's own work included): well above 0.1, another
  // program was running and the figures are lower than the machine can do.
  const accounted = Object.values(cores).reduce((sum, c) => sum + c, 0);
  cores.other = Math.max(
    0,
    round2((machineAfter - machineBefore) / TICKS_PER_S / seconds - accounted),
  );
  return { result, cores };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The postmaster of a cluster whose data directory is `dataDir`. */
export async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const text = await readFile(`${dataDir}/postmaster.pid`, 'utf8').catch(() => '');
  const pid = Number(text.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}
