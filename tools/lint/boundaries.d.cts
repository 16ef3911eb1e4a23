// Types for boundaries.cjs, so TypeScript code (its spec) can import it under strict mode.

export interface DepConstraint {
  sourceTag: string;
  onlyDependOnLibsWithTags: string[];
}

export interface ProjectTags {
  name: string;
  tags: readonly string[];
}

export declare const DEP_CONSTRAINTS: readonly DepConstraint[];
export declare const TAG_FAMILIES: readonly string[];
export declare function checkProjectTags(projects: readonly ProjectTags[], constraints?: readonly DepConstraint[]): string[];
