import { describe, expect, it } from 'vitest';
import { within } from '../../src/ports/timers.js';
import { FixedClock, ManualTimers, settle } from '../support/fakes.js';

describe('within: a bounded wait on the injected timers', () => {
  it('answers with the work when it settles first, and cancels its timer', async () => {
    const timers = new ManualTimers(new FixedClock(0));
    const answer = within(timers, 1_000, Promise.resolve('done'), 'late');
    await settle();
    expect(await answer).toBe('done');
    expect(timers.pending).toBe(0);
  });

  it('answers with `late` once the time passed first', async () => {
    const timers = new ManualTimers(new FixedClock(0));
    let seen: string | undefined;
    void within(timers, 1_000, new Promise<string>(() => {}), 'late').then((v) => {
      seen = v;
    });
    await timers.advance(999);
    expect(seen).toBeUndefined();
    await timers.advance(1);
    expect(seen).toBe('late');
    expect(timers.pending).toBe(0);
  });
});
