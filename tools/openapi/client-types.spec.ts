import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMITTED_CLIENT_TYPES, generateClientTypes } from './document';

// The typed client the end-to-end tests call (tests/e2e/api.ts) takes its types from
// openapi/hms.d.ts; they must be what openapi-typescript makes of the committed document.
it(`${COMMITTED_CLIENT_TYPES} is what openapi-typescript makes of the committed document (npm run openapi)`, () => {
  const root = path.resolve(__dirname, '..', '..');
  const committed = readFileSync(path.join(root, COMMITTED_CLIENT_TYPES), 'utf8');
  const generated = generateClientTypes(root);
  if (committed !== generated) {
    const a = generated.split('\n');
    const b = committed.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    throw new Error(`${COMMITTED_CLIENT_TYPES} differs from the document's types from line ${line + 1}: committed ${JSON.stringify(b[line])}, generated ${JSON.stringify(a[line])}. Run \`npm run openapi\` and commit both files.`);
  }
});
