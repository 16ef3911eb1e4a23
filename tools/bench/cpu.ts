import fs from 'node:fs';

/** Linux clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on every mainstream build). */
const TICKS_PER_SECOND = 100;

function ticksOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return null;
  }
}

/** PostgreSQL backends serving one database: their process title names it (`postgres: user db …`). */
function backendsOf(database: string): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const e of entries) {
    try {
      const cmd = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8');
      if (cmd.startsWith('postgres: ') && cmd.includes(` ${database} `)) pids.push(Number(e));
    } catch {
      /* gone meanwhile */
    }
  }
  return pids;
}

type Snapshot = Map<string, Map<number, number>>;

/**
 * CPU time used per process group over a phase (Linux /proc; empty elsewhere): each app of the
 * platform, this bench process, and the PostgreSQL backends of the bench database (backends that
 * exit during the phase are missed; pooled connections mostly stay).
 */
export class CpuMeter {
  constructor(
    private readonly apps: () => Map<string, number | undefined>,
    private readonly database: string,
  ) {}

  snapshot(): Snapshot {
    const snap: Snapshot = new Map();
    for (const [name, pid] of this.apps()) {
      const t = pid === undefined ? null : ticksOf(pid);
      if (pid !== undefined && t !== null) snap.set(name, new Map([[pid, t]]));
    }
    const self = ticksOf(process.pid);
    if (self !== null) snap.set('bench', new Map([[process.pid, self]]));
    const pg = new Map<number, number>();
    for (const pid of backendsOf(this.database)) {
      const t = ticksOf(pid);
      if (t !== null) pg.set(pid, t);
    }
    snap.set('postgres', pg);
    return snap;
  }

  /** CPU milliseconds per unit of work (e.g. per request) for each group, since `start`. */
  perUnit(start: Snapshot, units: number): Record<string, number> | null {
    if (process.platform !== 'linux' || units <= 0) return null;
    const end = this.snapshot();
    const out: Record<string, number> = {};
    for (const [group, pids] of end) {
      let ticks = 0;
      for (const [pid, t] of pids) ticks += t - (start.get(group)?.get(pid) ?? 0);
      out[group] = Math.round(((ticks * 1000) / TICKS_PER_SECOND / units) * 100) / 100;
    }
    return out;
  }
}
