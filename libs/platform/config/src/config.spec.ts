import { ConfigError, bool, describeConfig, int, list, loadConfig, oneOf, port, str, url } from './config';

const schema = {
  DATABASE_URL: url({ protocols: ['postgres'] }),
  PORT: port({ default: 3000 }),
  POOL: int({ min: 1, max: 50, default: 5 }),
  MODE: oneOf(['postgres', 'kafka'] as const, { default: 'postgres' }),
  BROKERS: list({ optional: true }),
  FLAG: bool({ default: false }),
  SECRET: str({ secret: true, minLength: 8 }),
};

describe('loadConfig', () => {
  it('reads, converts and defaults values into a typed object', () => {
    const c = loadConfig(schema, { DATABASE_URL: 'postgres://u:pw@h/db', SECRET: 'long-enough', BROKERS: 'a:9092, b:9092', FLAG: 'yes' });
    expect(c).toEqual({ DATABASE_URL: 'postgres://u:pw@h/db', PORT: 3000, POOL: 5, MODE: 'postgres', BROKERS: ['a:9092', 'b:9092'], FLAG: true, SECRET: 'long-enough' });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('names every missing or malformed variable in one error', () => {
    let error: unknown;
    try {
      loadConfig(schema, { DATABASE_URL: 'mysql://x', PORT: '70000', POOL: 'five', MODE: 'rabbit', FLAG: 'maybe', SECRET: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['DATABASE_URL', 'PORT', 'POOL', 'MODE', 'FLAG', 'SECRET']) expect(problems).toContain(name);
    expect(loadConfigMessage({})).toMatch(/DATABASE_URL is required/);
  });

  it('masks secrets and URL passwords when describing the configuration', () => {
    const c = loadConfig(schema, { DATABASE_URL: 'postgres://u:topsecret@h/db', SECRET: 'long-enough' });
    const described = JSON.stringify(describeConfig(schema, c));
    expect(described).not.toContain('topsecret');
    expect(described).not.toContain('long-enough');
  });
});

function loadConfigMessage(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(schema, env);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}
