// @ts-check
// A local ESLint rule: code inside a domain folder may not reach out of that folder with a
// relative import.
//
// Why: domain code must stay free of NestJS, TypeORM, PostgreSQL and so on. no-restricted-imports
// stops `import '@nestjs/common'` in a domain file, but `import '../http/controller'` would pull
// the same framework in through a sibling file. A no-restricted-imports pattern cannot tell
// '../x' that stays inside the domain (from domain/sub/a.ts) from '../x' that leaves it (from
// domain/a.ts), because it sees only the import text; this rule resolves the path instead, so it
// is right at any folder depth.
//
// The domain folder is the innermost folder named `domain` that holds the file:
// apps/wards/src/domain/bed-state.ts -> apps/wards/src/domain,
// apps/wards/src/interop/domain/hl7.ts -> apps/wards/src/interop/domain,
// libs/patients/domain/src/uhid.ts -> libs/patients/domain.
// Package imports ('@hms/...', 'node:...') are not relative and are left to the other rules.
// CommonJS for the same reason as boundaries.cjs: Jest can load it.

const path = require('node:path');

/**
 * @param {string} filename absolute path of the file being linted
 * @returns {string | undefined} the domain folder holding it, if any
 */
function domainRootOf(filename) {
  const folders = path.dirname(filename).split(path.sep);
  const index = folders.lastIndexOf('domain');
  return index < 0 ? undefined : folders.slice(0, index + 1).join(path.sep);
}

/**
 * @param {string} filename absolute path of the importing file
 * @param {string} specifier the import text
 * @returns {boolean} whether the import is relative and lands outside the file's domain folder
 */
function leavesDomain(filename, specifier) {
  const relative = specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
  const root = domainRootOf(filename);
  if (!relative || root === undefined) return false;
  const fromRoot = path.relative(root, path.resolve(path.dirname(filename), specifier));
  return fromRoot === '..' || fromRoot.startsWith(`..${path.sep}`) || path.isAbsolute(fromRoot);
}

/** @type {import('eslint').Rule.RuleModule} */
const noRelativeImportOutOfDomain = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid relative imports that leave the domain folder.' },
    schema: [],
    messages: {
      leaves:
        "'{{specifier}}' leaves the domain folder. Domain code may import only other domain files and " +
        'libraries the boundary rules allow; pass anything else in as plain values or ports.',
    },
  },
  create(context) {
    /** @param {import('estree').Node | null | undefined} source */
    function check(source) {
      if (source?.type !== 'Literal' || typeof source.value !== 'string') return;
      if (leavesDomain(context.filename, source.value)) {
        context.report({ node: source, messageId: 'leaves', data: { specifier: source.value } });
      }
    }
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

/** An ESLint plugin holding the rule, registered as `hms` in eslint.config.mjs. */
const plugin = { rules: { 'no-relative-import-out-of-domain': noRelativeImportOutOfDomain } };

module.exports = { plugin, leavesDomain, domainRootOf };
