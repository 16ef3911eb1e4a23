// @ts-check
// The module boundary rules, in one place, so that ESLint (eslint.config.mjs) and the tag check
// (check-tags.cjs) read the same list and can never drift apart.
//
// Why a separate tag check: @nx/enforce-module-boundaries only applies the constraints whose
// sourceTag a project carries. A project with no tags, or with a tag no constraint names (a typo,
// or a new service nobody wrote a rule for), matches nothing and may import anything: the rule
// fails open. checkProjectTags closes that hole, and `npm run lint` runs it before ESLint.
//
// This file is CommonJS (not .mjs) because Jest, which runs our unit tests, cannot load ES
// modules without an experimental flag; eslint.config.mjs imports CommonJS without trouble.

/**
 * @typedef {{ sourceTag: string, onlyDependOnLibsWithTags: string[] }} DepConstraint
 * @typedef {{ name: string, tags: readonly string[] }} ProjectTags
 */

/**
 * Which tags may depend on which. Nx applies every constraint whose sourceTag the importing
 * project carries, and the import must satisfy all of them: a wards app (scope:wards, type:app)
 * may import only a lib that is both allowed by the type:app rule and by the scope:wards rule.
 * So an app can never import another service's domain library (wrong scope), nor another app
 * (type:app is not among the libs an app may use).
 * @type {readonly DepConstraint[]}
 */
const DEP_CONSTRAINTS = Object.freeze([
  // Layers.
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:domain'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'] },
  // Tools start apps as processes; they never import them.
  {
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: ['type:tool', 'type:platform', 'type:contracts', 'type:domain'],
  },
  // Services: their own code, shared code, and anyone's contracts.
  { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared', 'type:contracts'] },
  { sourceTag: 'scope:patients', onlyDependOnLibsWithTags: ['scope:patients', 'scope:shared', 'type:contracts'] },
  { sourceTag: 'scope:audit', onlyDependOnLibsWithTags: ['scope:audit', 'scope:shared', 'type:contracts'] },
  { sourceTag: 'scope:wards', onlyDependOnLibsWithTags: ['scope:wards', 'scope:shared', 'type:contracts'] },
  { sourceTag: 'scope:pharmacy', onlyDependOnLibsWithTags: ['scope:pharmacy', 'scope:shared', 'type:contracts'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', 'type:contracts'] },
  // Tools (launcher, bench, test runner) serve the whole platform: any scope, never an app
  // (the type:tool rule above still applies).
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
]);

/** The prefix of the tags Nx infers from a project's package.json (`private`). */
const NPM_VISIBILITY = 'npm:';

/** The two tag families every project must carry exactly one of. */
const TAG_FAMILIES = Object.freeze(['scope:', 'type:']);

/**
 * Returns one message per problem; an empty list means every project is covered by the rules.
 * A project must carry exactly one scope: tag and one type: tag, and each of its tags must be the
 * sourceTag of some constraint, or the boundary rule would silently let it import anything.
 * @param {readonly ProjectTags[]} projects
 * @param {readonly DepConstraint[]} [constraints]
 * @returns {string[]}
 */
function checkProjectTags(projects, constraints = DEP_CONSTRAINTS) {
  const ruled = new Set(constraints.map((constraint) => constraint.sourceTag));
  /** @type {string[]} */
  const problems = [];
  for (const project of [...projects].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const family of TAG_FAMILIES) {
      const count = project.tags.filter((tag) => tag.startsWith(family)).length;
      if (count !== 1) {
        problems.push(`${project.name}: needs exactly one '${family}*' tag, has ${count}`);
      }
    }
    for (const tag of project.tags) {
      // Nx tags a project that has a package.json with its npm visibility (npm:public,
      // npm:private): a fact about publishing, which no boundary rule is about.
      if (tag.startsWith(NPM_VISIBILITY)) continue;
      if (!ruled.has(tag)) {
        problems.push(`${project.name}: tag '${tag}' has no depConstraint (add one in tools/lint/boundaries.cjs)`);
      }
    }
  }
  return problems;
}

module.exports = { DEP_CONSTRAINTS, TAG_FAMILIES, checkProjectTags };
