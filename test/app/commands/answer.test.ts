import { afterEach, describe, expect, it } from 'vitest';
import { SqliteAnswerLog } from '../../../src/adapters/sqlite/answer-log.js';
import { sqliteJournal } from '../../../src/adapters/sqlite/journal-query.js';
import { exportJournal } from '../../../src/app/reports/export.js';
import { reportContent } from '../../../src/app/reports/report.js';
import { parseCommand } from '../../../src/domain/command-parser.js';
import { gapBacklog } from '../../../src/domain/gaps.js';
import type { AttackRecord, HealthReport } from '../../../src/domain/model.js';
import { answerLines, gapWeekLine, learnedLine } from '../../../src/words/answers.js';
import { commandAnswerText } from '../../../src/words/command-replies.js';
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
    expect(audited(x, 'answer')).toEqual(['invalid', 'invalid', 'invalid']);
    // The reply tells the user how to fix their input: the parser's message, put in words.
    const parsed = parseCommand('answer #1 paged=maybe');
    expect(parsed).toMatchObject({ kind: 'invalid', command: 'answer' });
    expect(wrong.text).toBe(commandAnswerText(parsed as Extract<typeof parsed, { kind: 'invalid' }>));
  });

  it('shows the answers in history #ID, the export and the daily report', async () => {
    const x = live();
    await attackToVerdict(x);
    await say(x, 'answer #1 paged=no runbook=none note nobody knew where to look', 'U0ONCALL');
    const answers = new SqliteAnswerLog(x.store.handle).answersOf('1');
    expect(answers).toMatchObject([{ by: 'U0ONCALL', paged: 'no', runbook: 'none', note: 'nobody knew where to look' }]);
    const detail = await say(x, 'history #1');
    // history #ID's block ends with the answers kept for the attack.
    expect(detail.block?.endsWith(`\n${answerLines(answers, x.config.timezone).join('\n')}`)).toBe(true);

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
    const record = x.store.getAttack('1') as AttackRecord;
    expect(record).toMatchObject({ dryRun: false, verdict: 'held' });
    expect(report.kind === 'report' && report.lines).toContain(learnedLine([record], new Map([['1', answers]])));
  });

  it('keeps the gaps open in the report until an admin says fixed #ID, and says which were fixed', async () => {
    const x = live();
    await attackToVerdict(x);
    const log = new SqliteAnswerLog(x.store.handle);
    const report = () => {
      const r = reportContent({ store: x.store, clock: x.clock, config: x.config, answers: log }, '2026-11-24');
      return r.kind === 'report' ? r.lines : [];
    };
    /** The week's gaps: attack #1 with what it found and whether it was marked fixed. */
    const backlog = () => gapBacklog([x.store.getAttack('1') as AttackRecord], log.answersFor(['1']), log.fixesFor(['1']));
    // No gap yet: the report has no line for the week's gaps.
    expect(backlog()).toEqual([]);
    const before = report().length;
    await say(x, 'fixed #1');
    expect(audited(x, 'fixed')).toEqual(['invalid']);
    await say(x, 'answer #1 paged=no', 'U0ONCALL');
    expect(backlog()).toMatchObject([{ record: { id: '1' }, gaps: ['not-paged'], fixed: null }]);
    // The gaps line is added: one line more (the learned line was there before).
    expect(report()).toHaveLength(before + 1);
    expect(report().at(-1)).toBe(gapWeekLine(backlog()));
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
    expect(backlog()).toMatchObject([{ record: { id: '1' }, gaps: ['not-paged'], fixed: { by: 'admin' } }]);
    expect(report().at(-1)).toBe(gapWeekLine(backlog()));
  });
});
