#!/usr/bin/env node
// @ts-check
// Boundaries fail closed (style.md item 9). Run by `npm run lint` before ESLint.
//
// @nx/enforce-module-boundaries checks an import only against the depConstraints whose sourceTag
// the importing project carries. A project with no tags, or with a tag no rule names (a typo such
// as 'scope:ward', or a new service added without its rule), matches no constraint and may import
// anything at all: the rule fails open, silently. This script closes that gap. It asks Nx for
// every project (the same project graph ESLint's rule uses, so projects Nx infers without a
// project.json are included too) and fails unless each project has exactly one 'scope:' tag and
// one 'type:' tag, each of them the sourceTag of a depConstraint in tools/lint/boundaries.cjs,
// the list eslint.config.mjs also reads. To add a service: tag its projects and add its
// 'scope:<service>' constraint there.

const { createProjectGraphAsync } = require('@nx/devkit');
const { checkProjectTags } = require('./boundaries.cjs');

async function main() {
  const graph = await createProjectGraphAsync({ exitOnError: true });
  const projects = Object.values(graph.nodes).map((node) => ({ name: node.name, tags: node.data.tags ?? [] }));
  // An empty graph would pass every check vacuously; that is a broken setup, not a clean one.
  if (projects.length === 0) {
    console.error('check-tags: Nx found no projects.');
    return 1;
  }
  const problems = checkProjectTags(projects);
  for (const problem of problems) console.error(`check-tags: ${problem}`);
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
