#!/usr/bin/env node
// The npm registry reachable from the build machines lacks some packages' binaries for other
// platforms (e.g. @swc/core-darwin-arm64), so `npm install` writes a lock file without them and
// `npm ci` then refuses it as out of sync. This adds those optional packages back to
// package-lock.json with their os/cpu, which is all `npm ci` needs to skip them on Linux.
// Run after `npm install` changes the lock file: `node tools/lockfile/keep-foreign-platforms.mjs`.
import { execSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const scratch = mkdtempSync(path.join(tmpdir(), 'hms-lock-'));
cpSync(path.join(root, 'package.json'), path.join(scratch, 'package.json'));
cpSync(path.join(root, 'package-lock.json'), path.join(scratch, 'package-lock.json'));
let output = '';
try {
  execSync('npm ci --ignore-scripts --dry-run', { cwd: scratch, stdio: 'pipe' });
} catch (error) {
  output = String(error.stderr ?? '') + String(error.stdout ?? '');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const missing = [...output.matchAll(/Missing: (\S+)@\S* from lock file/g)].map((m) => m[1]);
if (!missing.length) {
  console.log('package-lock.json is in sync for npm ci');
  process.exit(0);
}
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const packages = lock.packages;
for (const name of missing) {
  const parent = Object.values(packages).find((p) => p.optionalDependencies && name in p.optionalDependencies);
  const platform = /(darwin|linux|win32|android|freebsd|openharmony|sunos|aix)-(arm64|x64|arm|ia32|ppc64|s390x|loong64|riscv64|mips64el)/.exec(name);
  if (!parent || !platform) throw new Error(`cannot place ${name}: not an optional platform binary`);
  packages[`node_modules/${name}`] = {
    version: parent.optionalDependencies[name].replace(/^[\^~=]/, ''),
    cpu: [platform[2]],
    dev: Boolean(parent.dev),
    optional: true,
    os: [platform[1]],
  };
}
const { '': top, ...rest } = packages;
lock.packages = { '': top, ...Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))) };
writeFileSync(path.join(root, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${missing.length} platform packages to package-lock.json`);
