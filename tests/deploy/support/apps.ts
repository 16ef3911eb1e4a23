import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * APP_NAMES of tools/launcher/platform.ts under `root`, sorted: the apps the platform starts and
 * provisions, which the manifests must deploy. Read from the source, since importing the launcher
 * would load the platform libraries, which this suite's jest config does not resolve.
 */
export function launcherAppNames(root: string): string[] {
  const file = path.join(root, 'tools', 'launcher', 'platform.ts');
  const list = /export const APP_NAMES = \[([^\]]*)\] as const/.exec(fs.readFileSync(file, 'utf8'))?.[1];
  if (list === undefined) throw new Error(`${file}: "export const APP_NAMES = [...] as const" is not in it any more`);
  const names = [...list.matchAll(/'([^']+)'/g)].map((m) => m[1]);
  if (!names.length) throw new Error(`${file}: APP_NAMES names no app`);
  return names.sort();
}
