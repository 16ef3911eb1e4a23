/**
 * `npm test`: every tier in turn (unit, integration, end-to-end), then one closing line with
 * the totals. Tiers run one after another so that the end-to-end processes do not compete with
 * the integration suites for the machine's cores.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addTier, closingLines, emptyTotals, type JestSummary } from './tally';

const root = path.resolve(__dirname, '..', '..', '..');
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const extra = process.argv.slice(2);
const tiers: { name: string; args: string[] }[] = [
  { name: 'unit', args: ['--selectProjects', 'unit'] },
  { name: 'integration', args: ['--selectProjects', 'integration', '--maxWorkers=2'] },
  { name: 'e2e', args: ['--selectProjects', 'e2e', '--runInBand'] },
];

let totals = emptyTotals();
const started = Date.now();
let ok = true;
for (const tier of tiers) {
  const out = path.join(os.tmpdir(), `hms-jest-${tier.name}-${process.pid}.json`);
  process.stdout.write(`\n=== ${tier.name} tests ===\n`);
  const run = spawnSync(process.execPath, [jest, ...tier.args, '--ci', '--json', `--outputFile=${out}`, ...extra], { cwd: root, stdio: 'inherit' });
  let summary: JestSummary | null = null;
  try {
    summary = JSON.parse(fs.readFileSync(out, 'utf8')) as JestSummary;
    fs.rmSync(out, { force: true });
  } catch {
    summary = null;
  }
  if (!summary) {
    ok = false;
    totals = { ...totals, suitesNotRun: totals.suitesNotRun + 1 };
    process.stdout.write(`${tier.name}: jest produced no results (exit ${run.status})\n`);
    continue;
  }
  totals = addTier(totals, summary);
  if (run.status !== 0 || !summary.success) ok = false;
  process.stdout.write(`${tier.name}: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${summary.numPendingTests} skipped\n`);
}
process.stdout.write(`\n${closingLines(totals, (Date.now() - started) / 1000).join('\n')}\n`);
process.exit(ok && totals.failed === 0 && totals.suitesNotRun === 0 ? 0 : 1);
