import { describe, expect, it } from 'vitest';
import type { ConnectorError } from '../../connectors/contract.ts';
import type { Outcome } from './outcome.ts';
import { createPlacedUsers } from './placed-users.ts';

const event = { directoryId: 'x', targetId: null, identity: 'x', action: 'create', status: 'success', steps: [], changes: [], durationMs: 0 } as unknown as Outcome['event'];
const linked = (directoryId: string, targetId: string): Outcome => ({ event, link: { directoryId, targetId, lastHash: null, lastWritten: null, state: 'provisioned' } });
const failedWith = (cls: ConnectorError['class']): Outcome => ({ event, failure: { directoryId: 'f', error: { code: 'x', class: cls, message: 'm', advice: 'a' } } });

describe('placed users: accounts confirmed before they are recorded', () => {
  it('answers every account confirmed once every write has its answer', async () => {
    const placed = createPlacedUsers();
    placed.note([linked('u1', 't1'), linked('u2', 't2'), failedWith('object')]);
    placed.note([linked('u3', 't3')]);
    placed.settle(true);
    expect(await placed.written).toEqual(new Map([['u1', 't1'], ['u2', 't2'], ['u3', 't3']]));
  });

  it('an account confirmed for two users is left out; a user whose link this run dropped has none', async () => {
    const placed = createPlacedUsers();
    placed.note([linked('u1', 't1'), linked('u2', 't1'), linked('u3', 't3'), linked('u4', 't4')]);
    placed.note([{ event, unlink: 'u4' }]);
    placed.settle(true);
    expect(await placed.written).toEqual(new Map([['u3', 't3'], ['u4', null]]));
  });

  it('null (wait for the records) after a configuration error, or when the apply did not finish its writes', async () => {
    const stopped = createPlacedUsers();
    stopped.note([linked('u1', 't1'), failedWith('configuration')]);
    stopped.settle(true);
    expect(await stopped.written).toBeNull();
    const cut = createPlacedUsers();
    cut.note([linked('u1', 't1')]);
    cut.settle(false);
    // Told once: a later settle changes nothing.
    cut.settle(true);
    expect(await cut.written).toBeNull();
  });
});
