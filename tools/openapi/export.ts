import '../runtime/register-paths';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startScratchPlatform } from '../launcher/scratch';
import { COMMITTED_CLIENT_TYPES, COMMITTED_DOCUMENT, generateClientTypes, serialiseDocument } from './document';

/**
 * `npm run openapi`: starts the platform on a scratch database (on the PostgreSQL the tests use),
 * takes the merged OpenAPI document from the gateway and writes it to openapi/hms.json, and the
 * typed client's types made from it to openapi/hms.d.ts. Run it after changing an API; CI fails
 * while the committed files and the code differ.
 */
async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const scratch = await startScratchPlatform({
    label: 'openapi-export',
    root,
    logFolder: 'openapi-export',
    env: { HMS_ADMIN_EMAIL: 'openapi@hms.local', HMS_ADMIN_PASSWORD: 'Openapi-Export-2026!', LOG_LEVEL: 'warn' },
  });
  try {
    const response = await fetch(new URL('/docs/openapi.json', scratch.platform.gatewayUrl));
    if (!response.ok) throw new Error(`the gateway answered ${response.status} for /docs/openapi.json`);
    const target = path.join(root, COMMITTED_DOCUMENT);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, serialiseDocument(await response.json()));
    process.stdout.write(`wrote ${COMMITTED_DOCUMENT}\n`);
    writeFileSync(path.join(root, COMMITTED_CLIENT_TYPES), generateClientTypes(root));
    process.stdout.write(`wrote ${COMMITTED_CLIENT_TYPES}\n`);
  } finally {
    await scratch.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
