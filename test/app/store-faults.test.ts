import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, say } from '../support/bot-harness.js';

let h: Harness;
afterEach(() => h?.close());

/** Every further write fails (SQLITE_READONLY), as when the database file became unwritable. */
function unwritable(h: Harness): void {
  h.store.handle.pragma('query_only = ON');
}

describe('store faults', () => {
  it('does not start an attack it cannot record, says so, and still answers stop', async () => {
    h = harness();
    unwritable(h);
    const outcome = await h.bot.tick();
    expect(outcome).toMatchObject({ kind: 'skipped', code: 'store-error' });
    expect(h.executor.runs).toHaveLength(0);

    const reply = await say(h, 'run-once');
    expect(reply.text).toMatch(/did not start|cannot record/);
    expect(h.executor.runs).toHaveLength(0);

    const stop = await say(h, 'stop database broken', 'U0ONCALL');
    expect(stop.text).toMatch(/Halted by <@U0ONCALL>/);
    expect(stop.text).toMatch(/the halt could not be saved .*it holds until this bot restarts/);
    // The in-memory latch holds: nothing starts.
    expect(await h.bot.tick()).toMatchObject({ kind: 'skipped', code: 'halted' });
  });
});
