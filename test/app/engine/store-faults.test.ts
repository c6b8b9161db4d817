import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { eventsOf, launches } from '../../support/endings.js';

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

    const launched = launches(h);
    await say(h, 'run-once');
    expect(launched).toEqual([{ ok: false, refusal: expect.objectContaining({ kind: 'store' }), record: undefined }]);
    expect(h.executor.runs).toHaveLength(0);

    const stop = await say(h, 'stop database broken', 'U0ONCALL');
    expect(h.bot.context.latch.state().halt).toMatchObject({ by: 'U0ONCALL', reason: 'database broken' });
    expect(eventsOf(h, 'halted')).toMatchObject([{ halt: { by: 'U0ONCALL' } }]);
    // Kept: the reply must warn that the halt lives only in memory and in the sidecar file; no data says so.
    expect(stop.text).toMatch(
      /the database refused the halt .*the halt is kept in memory and .*chaoscat\.db\.halt and written to the database before anything else once it takes writes again/,
    );
    // The in-memory latch holds: nothing starts.
    expect(await h.bot.tick()).toMatchObject({ kind: 'skipped', code: 'halted' });
    // A restart while the database still refuses writes: the sidecar's halt is trusted over the row.
    const file = h.dbFile;
    h = h.restart();
    unwritable(h);
    expect(h.store.getState().halt).toMatchObject({ by: 'U0ONCALL', reason: 'database broken' });
    expect(await h.bot.tick()).toMatchObject({ kind: 'skipped', code: 'halted' });
    // Writes come back: the halt and the stop's audit row are the first things written.
    h.store.handle.pragma('query_only = OFF');
    await h.bot.tick();
    const row = h.store.handle.prepare('SELECT halted, halted_by FROM team_state WHERE team = ?').get('default');
    expect(row).toEqual({ halted: 1, halted_by: 'U0ONCALL' });
    expect(file).toBe(h.dbFile);
  });

  it("writes a stop's halt and audit row first once the database takes writes again", async () => {
    h = harness({ dryRun: false });
    unwritable(h);
    await say(h, 'stop disk full', 'U0ONCALL');
    h.store.handle.pragma('query_only = OFF');
    await h.bot.tick();
    const row = h.store.handle.prepare('SELECT halted, halted_by FROM team_state WHERE team = ?').get('default');
    expect(row).toEqual({ halted: 1, halted_by: 'U0ONCALL' });
    const audit = h.store.handle.prepare("SELECT actor, command FROM audit WHERE command = 'stop'").all();
    expect(audit).toEqual([{ actor: 'U0ONCALL', command: 'stop' }]);
  });
});

describe('a full database', () => {
  it('does not start an attack once the database is full (SQLITE_FULL), and says so', async () => {
    h = harness();
    const db = h.store.handle;
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true })) + 2}`);
    // Fill every page the attacks table may still use.
    const full = () => {
      try {
        for (let i = 0; i < 100_000; i++) {
          // Rows shaped like the one run-once writes, so that one cannot squeeze in after them.
          h.store.insertAttack({
            attack: 'cpu-burn',
            host: 'web-1',
            trigger: { kind: 'user', user: 'admin' },
            dryRun: true,
            createdAt: Date.now(),
            deadlineAt: Date.now(),
            durationMs: 60_000,
          });
        }
      } catch (error) {
        return (error as { cause?: { code?: string } }).cause?.code;
      }
      return 'not full';
    };
    expect(full()).toBe('SQLITE_FULL');
    const launched = launches(h);
    await say(h, 'run-once --force');
    // Forced past the health gate, the attack's own row is what cannot be written: no row, no attack.
    expect(launched).toEqual([{ ok: false, refusal: expect.objectContaining({ kind: 'store' }), record: undefined }]);
    expect(h.executor.runs).toHaveLength(0);
    await say(h, 'stop');
    expect(h.bot.context.latch.state().halt).toMatchObject({ by: 'admin' });
    expect(eventsOf(h, 'halted')).toMatchObject([{ halt: { by: 'admin' } }]);
  });
});

describe('a run over several hosts while the database refuses writes', () => {
  it('keeps every host row in memory, shows them, and writes them all in one go once the database is back', async () => {
    h = harness({}, [{ name: 'cpu-burn', weight: 10, targets: ['web'], blastRadius: { count: 2, allowAll: true } }]);
    const launched = launches(h);
    await say(h, 'run-once cpu-burn --force');
    expect(launched).toMatchObject([{ ok: true, record: { host: 'web-1', hosts: ['web-1', 'web-2'] } }]);
    expect(h.executor.runs).toHaveLength(2);
    const ids = h.store.unfinishedAttacks().map((r) => r.id);
    expect(ids).toHaveLength(2);
    expect(ids.map((id) => h.store.getAttack(id)?.state)).toEqual(['running', 'running']);

    unwritable(h);
    await say(h, 'stop database broken', 'U0ONCALL');
    await h.bot.context.runner.idle();
    // Nothing reached the file: both hosts' rows are as they were...
    expect(ids.map((id) => h.store.getAttack(id)?.state)).toEqual(['running', 'running']);
    // ...but the writes are kept, in order, and retried together.
    expect(h.bot.context.runner.records.unsaved).toBeGreaterThan(0);
    // This process still tells the truth about every host, the run's own row and the other one.
    expect(ids.map((id) => h.bot.context.runner.records.get(id)?.state)).toEqual(['reverted', 'reverted']);

    h.store.handle.pragma('query_only = OFF');
    expect(h.bot.context.runner.records.flush()).toBe(true);
    expect(ids.map((id) => h.store.getAttack(id)?.state)).toEqual(['reverted', 'reverted']);
    expect(h.bot.context.runner.records.unsaved).toBe(0);
  });
});
