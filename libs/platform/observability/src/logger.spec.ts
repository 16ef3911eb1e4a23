import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { runInContext } from './context';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('test', 'info', stream) };
}

describe('logger', () => {
  it('never writes personal data, at any depth', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        name: 'Heena Patel',
        phone: '+919812300001',
        body: { abhaNumber: '91-3772-0586-4665', address: { line: '12 MG Road' }, patient: { dateOfBirth: '1980-05-02', email: 'h@example.org' } },
        headers: { authorization: 'Bearer secret-token' },
        q: 'Heena',
      },
      'registered',
    );
    const out = lines.join('');
    for (const secret of ['Heena', '9812300001', '3772', 'MG Road', '1980-05-02', 'h@example.org', 'secret-token']) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('adds the correlation id of the current request', () => {
    const { lines, logger } = capture();
    runInContext({ correlationId: 'corr-123' }, () => logger.info('inside'));
    logger.info('outside');
    expect(JSON.parse(lines[0]).correlationId).toBe('corr-123');
    expect(JSON.parse(lines[1]).correlationId).toBeUndefined();
  });
});
