import { callerMeta, eventMeta, scopeOf } from './caller-context';

const caller = { userId: 'u-1', name: 'Asha Rao', branchId: '0190a1b2-0000-7000-8000-000000000001', correlationId: 'c-9' };

describe('caller context', () => {
  it('scopes a unit of work to the caller’s branch', () => {
    expect(scopeOf(caller)).toEqual({ branchId: caller.branchId });
  });

  it('builds an event’s metadata from the caller: key, branch, actor and correlation', () => {
    expect(eventMeta(caller, 'patient-7')).toEqual({
      key: 'patient-7',
      branchId: caller.branchId,
      actor: { type: 'user', id: 'u-1', name: 'Asha Rao' },
      correlationId: 'c-9',
    });
  });

  it('gives a request that writes several events the shared part, to key per event', () => {
    const meta = callerMeta(caller);
    expect(meta).toEqual({ branchId: caller.branchId, actor: { type: 'user', id: 'u-1', name: 'Asha Rao' }, correlationId: 'c-9' });
    expect({ ...meta, key: 'batch-1' }).toEqual(eventMeta(caller, 'batch-1'));
  });
});
