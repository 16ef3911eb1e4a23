/**
 * Configuration is read once, at boot, from the environment into a typed object.
 * A missing or malformed variable stops start-up with a sentence that names it.
 */
export interface FieldSpec<T> {
  readonly kind: string;
  readonly description: string;
  readonly secret: boolean;
  readonly optional: boolean;
  readonly defaultValue?: T;
  parse(raw: string, name: string): T;
}

type Options<T> = { default?: T; secret?: boolean; optional?: boolean; description?: string };

function field<T>(kind: string, parse: (raw: string, name: string) => T, options: Options<T> = {}): FieldSpec<T> {
  return {
    kind,
    description: options.description ?? '',
    secret: options.secret ?? false,
    optional: options.optional ?? false,
    defaultValue: options.default,
    parse,
  };
}

export const str = (options?: Options<string> & { pattern?: RegExp; minLength?: number }) =>
  field<string>(
    'string',
    (raw, name) => {
      if (options?.minLength !== undefined && raw.length < options.minLength)
        throw new Error(`${name} must be at least ${options.minLength} characters long`);
      if (options?.pattern && !options.pattern.test(raw)) throw new Error(`${name} must match ${options.pattern}`);
      return raw;
    },
    options,
  );

export const int = (options?: Options<number> & { min?: number; max?: number }) =>
  field<number>(
    'integer',
    (raw, name) => {
      if (!/^-?\d+$/.test(raw.trim())) throw new Error(`${name} must be a whole number, got "${raw}"`);
      const value = Number(raw);
      if (options?.min !== undefined && value < options.min) throw new Error(`${name} must be at least ${options.min}, got ${value}`);
      if (options?.max !== undefined && value > options.max) throw new Error(`${name} must be at most ${options.max}, got ${value}`);
      return value;
    },
    options,
  );

export const port = (options?: Options<number>) => int({ min: 0, max: 65535, ...options });

export const bool = (options?: Options<boolean>) =>
  field<boolean>(
    'boolean',
    (raw, name) => {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw new Error(`${name} must be true or false, got "${raw}"`);
    },
    options,
  );

export const url = (options?: Options<string> & { protocols?: string[] }) =>
  field<string>(
    'url',
    (raw, name) => {
      let parsed: URL;
      try {
        parsed = new URL(raw);
      } catch {
        throw new Error(`${name} must be a URL, got something that is not one`);
      }
      if (options?.protocols && !options.protocols.includes(parsed.protocol.replace(/:$/, '')))
        throw new Error(`${name} must be a ${options.protocols.join(' or ')} URL, got ${parsed.protocol}//…`);
      return raw;
    },
    options,
  );

export const oneOf = <T extends string>(values: readonly T[], options?: Options<T>) =>
  field<T>(
    values.join('|'),
    (raw, name) => {
      if (!(values as readonly string[]).includes(raw)) throw new Error(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
      return raw as T;
    },
    options,
  );

export const list = (options?: Options<string[]>) =>
  field<string[]>(
    'comma-separated list',
    (raw) =>
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    options,
  );

export type Schema = Record<string, FieldSpec<unknown>>;
type ValueOf<F> = F extends FieldSpec<infer T> ? (F['optional'] extends true ? T | undefined : T) : never;
export type ConfigOf<S extends Schema> = { readonly [K in keyof S]: ValueOf<S[K]> };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads `schema` from `env`; throws a ConfigError naming every bad or missing variable. */
export function loadConfig<S extends Schema>(schema: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if (spec.defaultValue !== undefined) out[name] = spec.defaultValue;
      else if (spec.optional) out[name] = undefined;
      else problems.push(`${name} is required${spec.description ? ` (${spec.description})` : ''} but is not set`);
      continue;
    }
    try {
      out[name] = spec.parse(raw, name);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(out) as ConfigOf<S>;
}

/** The config with secret values masked, for a start-up log line. */
export function describeConfig<S extends Schema>(schema: S, config: ConfigOf<S>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) {
    const value = (config as Record<string, unknown>)[name];
    out[name] = spec.secret && value !== undefined ? '***' : spec.kind === 'url' && typeof value === 'string' ? maskUrl(value) : value;
  }
  return out;
}

function maskUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return value;
  }
}
