import { afterEach, describe, expect, it } from 'vitest';
import { SqliteAnswerLog } from '../../../src/adapters/sqlite/answer-log.js';
import { sqliteJournal } from '../../../src/adapters/sqlite/journal-query.js';
import { exportJournal } from '../../../src/app/reports/export.js';
import { reportContent } from '../../../src/app/reports/report.js';
import type { HealthReport } from '../../../src/domain/model.js';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { audited } from '../../support/endings.js';
import { ScriptedHealth, settle } from '../../support/fakes.js';

let h: Harness;
afterEach(() => h?.close());

const PASS: Omit<HealthReport, 'checkedAt'> = {
  healthy: true,
  results: [{ name: 'svc', kind: 'command', healthy: true, reason: 'ok', durationMs: 1 }],
};
const RUNBOOK = 'https://wiki.example.com/runbooks/cpu';

/** A live bot that keeps answers; its one attack names a runbook. */
function live(overrides: Record<string, unknown> = {}): Harness {
  h = harness(
    { dryRun: false, verdict: { probeInterval: '5s', recoveryWindow: '10s', haltOnNotRecovered: false }, ...overrides },
    [{ name: 'cpu-burn', weight: 10, targets: ['web'], duration: '20s', runbook: RUNBOOK }],
    {
      answers: true,
      steadyState: (clock) => {
        const probe = new ScriptedHealth(PASS, clock);
        return { probesFor: () => probe };
      },
    },
  );
  return h;
}

/** One attack run to its end and its verdict. */
async function attackToVerdict(x: Harness): Promise<string> {
  await x.bot.tick();
  await x.timers.advance(20_000);
  x.executor.runs.at(-1)?.finish();
  await settle();
  await x.timers.advance(10_000);
  await settle();
  return String(x.executor.runs.length);
}

describe('what the people on call learned (issue 25)', () => {
  it('asks after a live verdict, in the thread, linking the runbook', async () => {
    const x = live();
    await attackToVerdict(x);
    const kinds = x.chat.events.map((e) => e.kind);
    expect(kinds.indexOf('questions')).toBeGreaterThan(kinds.indexOf('verdict'));
    const asked = x.chat.events.find((e) => e.kind === 'questions');
    expect(asked).toMatchObject({ kind: 'questions', record: { id: '1' }, runbook: RUNBOOK });
    // The announcement links the runbook too.
    const started = x.chat.events.find((e) => e.kind === 'attack-started');
    expect(started).toMatchObject({ kind: 'attack-started', record: { id: '1' }, attack: { runbook: RUNBOOK } });
  });

  it('a dry run is not asked, and an answer about it is refused', async () => {
    const x = live({ dryRun: true });
    await attackToVerdict(x);
    expect(x.chat.events.map((e) => e.kind)).not.toContain('questions');
    const reply = await say(x, 'answer #1 paged=no', 'U0ONCALL');
    expect(reply).toMatchObject({ ephemeral: true });
    // Refused as invalid because it was a dry run: it had ended, so nothing else stood in the way.
    expect(x.store.getAttack('1')).toMatchObject({ dryRun: true, state: 'completed' });
    expect(audited(x, 'answer')).toEqual(['invalid']);
    expect(new SqliteAnswerLog(x.store.handle).answersOf('1')).toEqual([]);
  });

  it("keeps each person's latest answer, field by field, and says so to them alone", async () => {
    const x = live();
    await attackToVerdict(x);
    const first = await say(x, 'answer #1 paged=no runbook=yes', 'U0ONCALL');
    expect(first).toMatchObject({ ephemeral: true });
    expect(audited(x, 'answer')).toEqual(['ok']);
    expect(new SqliteAnswerLog(x.store.handle).answersOf('1')).toMatchObject([
      { by: 'U0ONCALL', paged: 'no', runbook: 'yes', note: null },
    ]);
    x.clock.advance(60_000);
    const second = await say(x, 'answer #1 runbook=partly note the CPU alert waits 10 minutes', 'U0ONCALL');
    expect(second).toMatchObject({ ephemeral: true });
    // The fields given replace that person's, the others stay (paged=no).
    expect(new SqliteAnswerLog(x.store.handle).answersOf('1')).toMatchObject([
      { by: 'U0ONCALL', paged: 'no', runbook: 'partly', note: 'the CPU alert waits 10 minutes' },
    ]);
    await say(x, 'answer #1 paged=not-mine', 'U0OTHER');
    const answers = new SqliteAnswerLog(x.store.handle).answersOf('1');
    expect(answers.map(({ by, paged, runbook, note }) => ({ by, paged, runbook, note }))).toEqual([
      { by: 'U0ONCALL', paged: 'no', runbook: 'partly', note: 'the CPU alert waits 10 minutes' },
      { by: 'U0OTHER', paged: 'not-mine', runbook: null, note: null },
    ]);
  });

  it('refuses what is not an answer: an unknown attack, one still running, a wrong choice', async () => {
    const x = live();
    await say(x, 'answer #9 paged=no');
    expect(audited(x, 'answer')).toEqual(['invalid']);
    await x.bot.tick();
    // Refused while it runs: the answer is not kept.
    expect(x.store.getAttack('1')?.state).toBe('running');
    await say(x, 'answer #1 paged=no');
    expect(audited(x, 'answer')).toEqual(['invalid', 'invalid']);
    expect(new SqliteAnswerLog(x.store.handle).answersOf('1')).toEqual([]);
    const wrong = await say(x, 'answer #1 paged=maybe');
    expect(wrong).toMatchObject({ ephemeral: true });
    // Kept: the reply tells the user how to fix their input; only its words carry that.
    expect(wrong.text).toContain('paged=maybe: say paged=yes, paged=no or paged=not-mine');
  });

  it('shows the answers in history #ID, the export and the daily report', async () => {
    const x = live();
    await attackToVerdict(x);
    await say(x, 'answer #1 paged=no runbook=none note nobody knew where to look', 'U0ONCALL');
    const detail = await say(x, 'history #1');
    // Kept: history #ID's block is the behaviour under test (the answers shown there); its words are the view.
    expect(detail.block).toContain('What we learned (1 answer):');
    expect(detail.block).toMatch(
      /<@U0ONCALL> at 2026-11-24 \d\d:\d\d: NOT paged; there is NO runbook; note: nobody knew where to look/,
    );

    let text = '';
    const out = new (await import('node:stream')).Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    });
    await exportJournal(sqliteJournal(x.store), { since: 0, out });
    const entry = JSON.parse(text.trim().split('\n')[0] ?? '{}');
    expect(entry.answers).toEqual([
      expect.objectContaining({ attackId: '1', by: 'U0ONCALL', paged: 'no', runbook: 'none', note: 'nobody knew where to look' }),
    ]);

    const report = reportContent(
      { store: x.store, clock: x.clock, config: x.config, answers: new SqliteAnswerLog(x.store.handle) },
      '2026-11-24',
    );
    expect(report.kind === 'report' && report.lines).toContain(
      '*What we learned:* 1 of 1 live attack answered; not paged: #1 cpu-burn on web-1; runbook gaps: #1 cpu-burn on web-1',
    );
  });

  it('keeps the gaps open in the report until an admin says fixed #ID, and says which were fixed', async () => {
    const x = live();
    await attackToVerdict(x);
    const report = () => {
      const r = reportContent(
        { store: x.store, clock: x.clock, config: x.config, answers: new SqliteAnswerLog(x.store.handle) },
        '2026-11-24',
      );
      return r.kind === 'report' ? (r.lines.find((l) => l.startsWith('*Gaps, last 7 days:*')) ?? null) : null;
    };
    expect(report()).toBeNull();
    await say(x, 'fixed #1');
    expect(audited(x, 'fixed')).toEqual(['invalid']);
    await say(x, 'answer #1 paged=no', 'U0ONCALL');
    expect(report()).toBe(
      '*Gaps, last 7 days:* 1 attack found gaps; 1 still open: #1 cpu-burn on web-1 (not paged) — an admin says `fixed #ID note` once one is dealt with',
    );
    await say(x, 'fixed #1 done', 'U0ONCALL');
    expect(audited(x, 'fixed')).toEqual(['invalid', 'refused']);
    expect(new SqliteAnswerLog(x.store.handle).fixesFor(['1']).size).toBe(0);
    const done = await say(x, 'fixed #1 the CPU alert now pages the web rota');
    expect(done.ephemeral).toBeUndefined();
    expect(audited(x, 'fixed')).toEqual(['invalid', 'refused', 'ok']);
    expect(new SqliteAnswerLog(x.store.handle).fixesFor(['1']).get('1')).toMatchObject({
      by: 'admin',
      note: 'the CPU alert now pages the web rota',
    });
    expect(report()).toBe('*Gaps, last 7 days:* 1 attack found gaps, all marked fixed');
  });
});
