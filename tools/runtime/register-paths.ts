/**
 * Resolves the workspace's `@hms/*` import aliases to compiled files under dist/ at run time.
 * Loaded with `node -r ./dist/tools/runtime/register-paths.js dist/apps/<app>/src/main.js`.
 */
import Module from 'node:module';
import path from 'node:path';
import fs from 'node:fs';

const distRoot = path.resolve(__dirname, '..', '..');
const tsconfig = JSON.parse(fs.readFileSync(path.join(distRoot, '..', 'tsconfig.base.json'), 'utf8')) as {
  compilerOptions: { paths: Record<string, string[]> };
};
const aliases = new Map<string, string>();
for (const [alias, [target]] of Object.entries(tsconfig.compilerOptions.paths)) {
  aliases.set(alias, path.join(distRoot, target.replace(/\.ts$/, '.js')));
}

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve };
const original = moduleWithResolve._resolveFilename;
moduleWithResolve._resolveFilename = function (request: string, ...rest: unknown[]) {
  const target = aliases.get(request);
  return original.call(this, target ?? request, ...rest);
};
