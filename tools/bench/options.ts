/** Command-line options of `npm run bench`. */
export interface BenchOptions {
  patients: number;
  concurrency: number;
  registrations: number;
  searches: number;
  events: number;
  beds: number;
  admissions: number;
  items: number;
  ledgerRows: number;
  dispenses: number;
  keep: boolean;
}

export const DEFAULT_OPTIONS: Readonly<BenchOptions> = {
  patients: 100_000,
  concurrency: 50,
  registrations: 2000,
  searches: 500,
  events: 300,
  beds: 1000,
  admissions: 500,
  items: 10_000,
  ledgerRows: 1_000_000,
  dispenses: 1000,
  keep: false,
};

const NUMERIC: Record<string, keyof Omit<BenchOptions, 'keep'>> = {
  '--patients': 'patients',
  '--concurrency': 'concurrency',
  '--registrations': 'registrations',
  '--searches': 'searches',
  '--events': 'events',
  '--beds': 'beds',
  '--admissions': 'admissions',
  '--items': 'items',
  '--ledger-rows': 'ledgerRows',
  '--dispenses': 'dispenses',
};

/** Beds the contention run needs free besides the admissions kept on the bed board. */
export const CONTENTION_BEDS = 50;
/** The pharmacy needs a few items to spread dispenses over, and a few dispenses to contend. */
export const MIN_PHARMACY_ITEMS = 10;
export const MIN_DISPENSES = 10;

export const USAGE = `Usage: npm run bench -- [--patients N] [--concurrency C] [--registrations R] [--searches S] [--events E]
                     [--beds N] [--admissions A] [--items N] [--ledger-rows M] [--dispenses D] [--keep]
  --patients N       patients seeded before measuring (default ${DEFAULT_OPTIONS.patients})
  --concurrency C    concurrent registrations and admissions (default ${DEFAULT_OPTIONS.concurrency})
  --registrations R  registrations per registration run (default ${DEFAULT_OPTIONS.registrations})
  --searches S       exact and fuzzy searches each; bed board, census and pharmacy reads each way, at most 200
                     (default ${DEFAULT_OPTIONS.searches})
  --events E         registrations timed from commit to audit entry (default ${DEFAULT_OPTIONS.events})
  --beds N           beds set up through the wards API, in wards of 40 (default ${DEFAULT_OPTIONS.beds})
  --admissions A     admissions per admission run, at --concurrency; A stay on the bed board (default ${DEFAULT_OPTIONS.admissions});
                     N must be at least A + ${CONTENTION_BEDS} (the contention run's beds)
  --items N          pharmacy items seeded by SQL, 3–5 batches each (default ${DEFAULT_OPTIONS.items}; at least ${MIN_PHARMACY_ITEMS})
  --ledger-rows M    stock ledger rows seeded by SQL, receipts and dispenses in pairs (default ${DEFAULT_OPTIONS.ledgerRows})
  --dispenses D      dispenses per dispensing run, at --concurrency; the contention run is D one-unit dispenses of one
                     item holding D/2 units (default ${DEFAULT_OPTIONS.dispenses}; at least ${MIN_DISPENSES})
  --keep             keep the hms_bench_* database afterwards
DATABASE_URL names the PostgreSQL server (a fresh database is made on it); otherwise 127.0.0.1:5432.`;

export class UsageError extends Error {}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--keep') {
      options.keep = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') throw new UsageError(USAGE);
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const key = NUMERIC[flag];
    if (!key) throw new UsageError(`Unknown option ${arg}\n${USAGE}`);
    const raw = inline ?? argv[++i];
    const value = Number(raw);
    if (raw === undefined || !Number.isInteger(value) || value < 1 || value > 10_000_000) {
      throw new UsageError(`${flag} needs a whole number from 1 to 10000000, not ${raw ?? 'nothing'}`);
    }
    options[key] = value;
  }
  if (options.beds < options.admissions + CONTENTION_BEDS) {
    throw new UsageError(`--beds (${options.beds}) must be at least --admissions + ${CONTENTION_BEDS} (${options.admissions + CONTENTION_BEDS})\n${USAGE}`);
  }
  if (options.items < MIN_PHARMACY_ITEMS) throw new UsageError(`--items must be at least ${MIN_PHARMACY_ITEMS}\n${USAGE}`);
  if (options.dispenses < MIN_DISPENSES) throw new UsageError(`--dispenses must be at least ${MIN_DISPENSES}\n${USAGE}`);
  return options;
}
