import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { checkProjectTags, DEP_CONSTRAINTS } from './boundaries.cjs';

const ROOT = path.resolve(__dirname, '../..');

interface LintCase {
  /** Path the code pretends to live at, relative to the workspace root; no file is written. */
  filePath: string;
  code: string;
}

interface LintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
}

const MARKER = 'LINT-RESULTS:';

// Jest cannot load eslint.config.mjs (ESLint imports it as an ES module, which Jest's sandbox
// refuses without an experimental flag), so ESLint's Node API runs in a child Node process.
// It builds the Nx project graph first because @nx/enforce-module-boundaries reads the cached
// graph and, without one, skips itself with only a warning.
const CHILD = `
import { readFileSync } from 'node:fs';
import devkit from '@nx/devkit';
import { ESLint } from 'eslint';
await devkit.createProjectGraphAsync({ exitOnError: true });
const eslint = new ESLint({ cwd: process.cwd() });
const results = [];
for (const { filePath, code } of JSON.parse(readFileSync(0, 'utf8'))) {
  const [result] = await eslint.lintText(code, { filePath });
  results.push(result.messages.map(({ ruleId, severity, message }) => ({ ruleId, severity, message })));
}
process.stdout.write('\\n${MARKER}' + JSON.stringify(results) + '\\n');
`;

function lintAll(cases: readonly LintCase[]): LintMessage[][] {
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD], {
    cwd: ROOT,
    input: JSON.stringify(cases),
    encoding: 'utf8',
    timeout: 120_000,
  });
  const line = stdout.split('\n').find((candidate) => candidate.startsWith(MARKER));
  if (line === undefined) throw new Error(`ESLint child printed no results:\n${stdout}`);
  return JSON.parse(line.slice(MARKER.length)) as LintMessage[][];
}

/** Code that imports `specifier` and uses the import, so that only boundary rules can object. */
const importing = (specifier: string): string => `import { thing } from '${specifier}';\n\nexport const used = thing;\n`;

const CASES = {
  otherServicesDomain: { filePath: 'apps/wards/src/x.ts', code: importing('@hms/patients-domain') },
  ownDomainLibAllowed: { filePath: 'apps/patients/src/x.ts', code: importing('@hms/patients-domain') },
  otherServicesContractsAllowed: { filePath: 'apps/wards/src/x.ts', code: importing('@hms/contracts-patients') },
  platformAllowed: { filePath: 'apps/wards/src/x.ts', code: importing('@hms/platform-http') },
  deepImport: { filePath: 'apps/wards/src/x.ts', code: importing('@hms/platform-http/src/x') },
  otherApp: { filePath: 'apps/wards/src/x.ts', code: importing('../../patients/src/main') },
  domainNest: { filePath: 'apps/wards/src/domain/x.ts', code: importing('@nestjs/common') },
  domainTypeorm: { filePath: 'apps/wards/src/domain/x.ts', code: importing('typeorm') },
  domainPg: { filePath: 'apps/wards/src/domain/x.ts', code: importing('pg') },
  domainRelativeOut: { filePath: 'apps/wards/src/domain/x.ts', code: importing('../http/x') },
  domainNestedRelativeOut: { filePath: 'apps/wards/src/interop/domain/x.ts', code: importing('../../domain/bed-state') },
  domainReExportOut: { filePath: 'apps/wards/src/domain/x.ts', code: "export { thing } from '../http/x';\n" },
  domainLibRelativeOut: { filePath: 'libs/patients/domain/src/x.ts', code: importing('../../../platform/http/src/index') },
  domainRelativeInsideAllowed: { filePath: 'apps/wards/src/domain/x.ts', code: importing('./bed-state') },
  domainSubfolderUpAllowed: { filePath: 'apps/wards/src/domain/sub/x.ts', code: importing('../bed-state') },
  domainLibInsideAllowed: { filePath: 'libs/patients/domain/src/x.ts', code: importing('./uhid') },
  nonDomainRelativeAllowed: { filePath: 'apps/wards/src/http/x.ts', code: importing('../domain/bed-state') },
  // Ids and time come from the injected ID_GENERATOR and CLOCK, which tests replace.
  mintedId: { filePath: 'apps/wards/src/masters/x.ts', code: "import { uuidv7 } from '@hms/platform-persistence';\n\nexport const id = uuidv7();\n" },
  systemNow: { filePath: 'apps/wards/src/board/x.ts', code: 'export const at = (): Date => new Date();\n' },
  systemMillis: { filePath: 'apps/wards/src/board/x.ts', code: 'export const at = (): number => Date.now();\n' },
  injectedIdsAllowed: { filePath: 'apps/wards/src/masters/x.ts', code: "import { ID_GENERATOR } from '@hms/platform-time';\n\nexport const token = ID_GENERATOR;\nexport const parsed = (s: string): Date => new Date(s);\n" },
} satisfies Record<string, LintCase>;

type CaseName = keyof typeof CASES;

describe('module boundaries (eslint.config.mjs)', () => {
  let results: Map<CaseName, LintMessage[]>;

  beforeAll(() => {
    const names = Object.keys(CASES) as CaseName[];
    const messages = lintAll(names.map((name) => CASES[name]));
    results = new Map(names.map((name, index) => [name, messages[index] ?? []]));
  }, 180_000);

  const errorsOf = (name: CaseName): (string | null)[] =>
    (results.get(name) ?? []).filter((message) => message.severity === 2).map((message) => message.ruleId);

  it.each<[CaseName, string]>([
    ['otherServicesDomain', '@nx/enforce-module-boundaries'],
    ['deepImport', 'no-restricted-imports'],
    ['otherApp', '@nx/enforce-module-boundaries'],
    ['domainNest', 'no-restricted-imports'],
    ['domainTypeorm', 'no-restricted-imports'],
    ['domainPg', 'no-restricted-imports'],
    ['domainRelativeOut', 'hms/no-relative-import-out-of-domain'],
    ['domainNestedRelativeOut', 'hms/no-relative-import-out-of-domain'],
    ['domainReExportOut', 'hms/no-relative-import-out-of-domain'],
    ['domainLibRelativeOut', 'hms/no-relative-import-out-of-domain'],
    ['mintedId', 'no-restricted-imports'],
    ['systemNow', 'no-restricted-syntax'],
    ['systemMillis', 'no-restricted-syntax'],
  ])('%s is an error from %s', (name, ruleId) => {
    expect(errorsOf(name)).toContain(ruleId);
  });

  // Without these, a config that rejected every import would pass the tests above.
  it.each<CaseName>([
    'ownDomainLibAllowed',
    'otherServicesContractsAllowed',
    'platformAllowed',
    'domainRelativeInsideAllowed',
    'domainSubfolderUpAllowed',
    'domainLibInsideAllowed',
    'nonDomainRelativeAllowed',
    'injectedIdsAllowed',
  ])('%s passes', (name) => {
    expect(results.get(name)).toEqual([]);
  });
});

describe('checkProjectTags', () => {
  it('accepts projects with one ruled scope tag and one ruled type tag', () => {
    expect(checkProjectTags([{ name: 'wards', tags: ['scope:wards', 'type:app'] }])).toEqual([]);
  });

  it('rejects a scope tag no depConstraint names', () => {
    expect(checkProjectTags([{ name: 'billing', tags: ['scope:billing', 'type:app'] }])).toEqual([
      "billing: tag 'scope:billing' has no depConstraint (add one in tools/lint/boundaries.cjs)",
    ]);
  });

  it('rejects a type tag no depConstraint names', () => {
    expect(checkProjectTags([{ name: 'wards-ui', tags: ['scope:wards', 'type:ui'] }])).toEqual([
      "wards-ui: tag 'type:ui' has no depConstraint (add one in tools/lint/boundaries.cjs)",
    ]);
  });

  it('rejects a project without tags', () => {
    expect(checkProjectTags([{ name: 'untagged', tags: [] }])).toEqual([
      "untagged: needs exactly one 'scope:*' tag, has 0",
      "untagged: needs exactly one 'type:*' tag, has 0",
    ]);
  });

  it('rejects a project missing only its type tag', () => {
    expect(checkProjectTags([{ name: 'half', tags: ['scope:wards'] }])).toEqual(["half: needs exactly one 'type:*' tag, has 0"]);
  });

  it('rejects two scope tags: a project belongs to one service', () => {
    expect(checkProjectTags([{ name: 'both', tags: ['scope:wards', 'scope:patients', 'type:app'] }])).toEqual([
      "both: needs exactly one 'scope:*' tag, has 2",
    ]);
  });

  it('rejects a tag outside both families, as no constraint names it', () => {
    expect(checkProjectTags([{ name: 'odd', tags: ['scope:wards', 'type:app', 'team:beds'] }])).toEqual([
      "odd: tag 'team:beds' has no depConstraint (add one in tools/lint/boundaries.cjs)",
    ]);
  });

  it('passes the npm visibility Nx infers from a package.json, which no boundary is about', () => {
    expect(checkProjectTags([{ name: 'tools', tags: ['scope:tools', 'type:tool', 'npm:public'] }])).toEqual([]);
    expect(checkProjectTags([{ name: 'bare', tags: ['npm:private'] }])).toEqual([
      "bare: needs exactly one 'scope:*' tag, has 0",
      "bare: needs exactly one 'type:*' tag, has 0",
    ]);
  });

  it('has a rule for every scope and type the constraints allow as a dependency', () => {
    // A tag allowed as a target but not ruled as a source would be a project nobody can tag.
    const sources = new Set(DEP_CONSTRAINTS.map((constraint) => constraint.sourceTag));
    const targets = DEP_CONSTRAINTS.flatMap((constraint) => constraint.onlyDependOnLibsWithTags).filter((tag) => tag !== '*');
    expect(targets.filter((tag) => !sources.has(tag))).toEqual([]);
  });
});
