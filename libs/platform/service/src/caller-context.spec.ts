import { eventMeta, scopeOf } from './caller-context';

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
});
