#!/usr/bin/env node
// `npm start`: compiles the platform (TypeScript to dist/, incrementally: only what changed),
// showing that it does and how long it takes, then runs the launcher in this process. The
// launcher's "ready in" counts from here, the build included.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const began = Date.now();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const interactive = process.stdout.isTTY;

process.stdout.write('Building the platform (TypeScript to dist/; the first build takes a minute or so, later ones only what changed)…');
const ticker = setInterval(() => {
  const seconds = Math.round((Date.now() - began) / 1000);
  process.stdout.write(interactive ? `\rBuilding the platform… ${seconds} s   ` : '.');
}, interactive ? 1000 : 10_000);

const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (exitCode) => resolve(exitCode ?? 1));
});
clearInterval(ticker);
const built = ((Date.now() - began) / 1000).toFixed(1);
if (code !== 0) {
  process.stdout.write(`\nThe build failed after ${built} s (the errors are above).\n`);
  process.exit(1);
}
process.stdout.write(`${interactive ? '\r' : '\n'}Built in ${built} s.${' '.repeat(20)}\n`);
process.env.HMS_LAUNCH_STARTED_AT = String(began);
await import(pathToFileURL(path.join(root, 'dist', 'tools', 'launcher', 'start.js')).href);
