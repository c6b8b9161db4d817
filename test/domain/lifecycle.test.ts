import { describe, expect, it } from 'vitest';
import { ADMITTED, type Effect, type Life, type LifeEvent, next, type Phase } from '../../src/domain/lifecycle.js';

const at = (phase: Phase, note: string | null = null, judged = false): Life => ({
  phase,
  abortWhy: note === null ? null : { kind: 'stopped', by: 'U1', note },
  judged,
  verdict: 'none',
});
const stop: LifeEvent = { kind: 'abort', why: { kind: 'stopped', by: 'U1', note: '' } };

type Row = [string, Life, LifeEvent, Phase, Effect['kind'][]];

const table: Row[] = [
  ['a recorded reservation becomes pending', ADMITTED, { kind: 'recorded' }, 'pending', []],
  ['a stop cancels a reservation before anything is written', ADMITTED, stop, 'cancelled', ['finish']],
  ['a refused reservation is cancelled without a row', ADMITTED, { kind: 'refused' }, 'cancelled', ['finish']],
  ['a stop cancels a pending attack before it touches the host', at('pending'), stop, 'cancelled', ['finish']],
  ['a refused pending attack (announcement, pre-flight) fails', at('pending'), { kind: 'refused' }, 'failed', ['finish']],
  ['a pending attack is handed to the executor', at('pending'), { kind: 'start' }, 'starting', []],
  [
    'a stop during the start asks it to run nothing, and is remembered',
    at('starting'),
    stop,
    'starting',
    ['record-aborting', 'cancel-start'],
  ],
  [
    'a start cancelled in time ends cancelled, the host untouched',
    at('starting', 'stopped'),
    { kind: 'start-cancelled' },
    'cancelled',
    ['finish'],
  ],
  ['a second stop during the start changes nothing', at('starting', 'first'), stop, 'starting', []],
  [
    'a started attack runs and is watched',
    at('starting'),
    { kind: 'started', judged: false },
    'running',
    ['record-running', 'watch'],
  ],
  [
    'an attack stopped during its start is reverted the moment it runs',
    at('starting', 'stopped'),
    { kind: 'started', judged: false },
    'aborting',
    ['record-running', 'record-aborting', 'abort-host'],
  ],
  ['a start that failed ends failed', at('starting'), { kind: 'start-failed' }, 'failed', ['finish']],
  ['a running attack is aborted on the host', at('running'), stop, 'aborting', ['unwatch', 'record-aborting', 'abort-host']],
  [
    'a running attack that ends by itself completes',
    at('running'),
    { kind: 'ended', outcome: 'completed' },
    'completed',
    ['unwatch', 'finish'],
  ],
  [
    'a running attack that failed on the host fails',
    at('running'),
    { kind: 'ended', outcome: 'failed' },
    'failed',
    ['unwatch', 'finish'],
  ],
  ['a second abort while aborting changes nothing', at('aborting', 'first'), stop, 'aborting', []],
  [
    'while aborting, the end of the attack waits for the abort',
    at('aborting', 'r'),
    { kind: 'ended', outcome: 'completed' },
    'aborting',
    [],
  ],
  ['a reverted abort ends reverted', at('aborting', 'r'), { kind: 'abort-done', outcome: 'reverted' }, 'reverted', ['finish']],
  ['a failed rollback ends failed', at('aborting', 'r'), { kind: 'abort-done', outcome: 'failed' }, 'failed', ['finish']],
  [
    'an unreachable host ends failed (not confirmed)',
    at('aborting', 'r'),
    { kind: 'abort-done', outcome: 'unreachable' },
    'failed',
    ['finish'],
  ],
  ['a final attack never starts again', at('cancelled', 'r'), { kind: 'started', judged: false }, 'cancelled', []],
  ['a final attack ignores a late end', at('reverted', 'r'), { kind: 'ended', outcome: 'completed' }, 'reverted', []],
  ['a final attack ignores a stop', at('completed'), stop, 'completed', []],
  ['a cancelled reservation is never recorded', at('cancelled', 'r'), { kind: 'recorded' }, 'cancelled', []],
  ['a start is not taken before the row exists', ADMITTED, { kind: 'start' }, 'admitted', []],
  ['started without a start changes nothing', at('pending'), { kind: 'started', judged: false }, 'pending', []],
];

describe('the attack lifecycle', () => {
  it.each(table)('%s', (_name, life, event, phase, effects) => {
    const step = next(life, event);
    expect(step.life.phase).toBe(phase);
    expect(step.effects.map((e) => e.kind)).toEqual(effects);
  });

  it('keeps the first abort reason', () => {
    const first = { kind: 'stopped', by: 'U1', note: '' } as const;
    const step = next(at('starting'), { kind: 'abort', why: first });
    expect(step.life.abortWhy).toEqual(first);
    const again = next(step.life, { kind: 'abort', why: { kind: 'health', failing: 'api: HTTP 500' } });
    // The first wins with its data: the stored ending says what the reason says.
    expect(again.life.abortWhy).toEqual(first);
    expect(next(again.life, { kind: 'started', judged: false }).effects).toContainEqual({ kind: 'abort-host', why: first });
  });

  it('says whether the host was touched when it finishes', () => {
    expect(next(at('pending'), stop).effects).toContainEqual({
      kind: 'finish',
      phase: 'cancelled',
      touchedHost: false,
      verdict: 'none',
    });
    expect(next(at('aborting', 'r'), { kind: 'abort-done', outcome: 'reverted' }).effects).toContainEqual({
      kind: 'finish',
      phase: 'reverted',
      touchedHost: true,
      verdict: 'none',
    });
  });

  it('reaches a final phase from every phase on every path of aborts and answers', () => {
    const events: LifeEvent[] = [
      { kind: 'recorded' },
      { kind: 'start' },
      { kind: 'started', judged: false },
      { kind: 'start-failed' },
      { kind: 'start-cancelled' },
      { kind: 'refused' },
      stop,
      { kind: 'ended', outcome: 'completed' },
      { kind: 'abort-done', outcome: 'unreachable' },
    ];
    // Every sequence of up to 4 events, then a stop and every answer the runner may get, ends final.
    const walk = (life: Life, depth: number): void => {
      if (depth === 0) {
        let l = next(life, stop).life;
        l = next(l, { kind: 'started', judged: false }).life;
        l = next(l, { kind: 'abort-done', outcome: 'failed' }).life;
        expect(['completed', 'failed', 'reverted', 'cancelled']).toContain(l.phase);
        return;
      }
      for (const e of events) walk(next(life, e).life, depth - 1);
    };
    walk(ADMITTED, 4);
  });

  describe('the verdict window', () => {
    const startedJudged = (judged: boolean) => next(at('starting'), { kind: 'started', judged }).life;
    const finishOf = (effects: readonly Effect[]) => effects.find((e) => e.kind === 'finish');

    it('holds the slot of a judged fault that ended until its verdict is known, then concludes once', () => {
      const ended = next(startedJudged(true), { kind: 'ended', outcome: 'completed' });
      expect(ended.life).toMatchObject({ phase: 'completed', verdict: 'awaited' });
      expect(finishOf(ended.effects)).toMatchObject({ verdict: 'await' });
      const known = next(ended.life, { kind: 'verdict-known' });
      expect(known.life.verdict).toBe('known');
      expect(known.effects).toEqual([{ kind: 'conclude' }]);
      // A second answer (an abandon racing the window's close) concludes nothing again.
      expect(next(known.life, { kind: 'verdict-known' }).effects).toEqual([]);
    });

    it('awaits the verdict of a judged fault that was stopped and reverted', () => {
      const aborting = next(startedJudged(true), stop).life;
      const done = next(aborting, { kind: 'abort-done', outcome: 'reverted' });
      expect(done.life).toMatchObject({ phase: 'reverted', verdict: 'awaited' });
    });

    it('gives no verdict when the fault never reached the host, had nothing to judge, or its own run failed', () => {
      expect(next(at('pending'), stop).life.verdict).toBe('none');
      expect(next(at('starting'), { kind: 'start-failed' }).life.verdict).toBe('none');
      expect(next(startedJudged(false), { kind: 'ended', outcome: 'completed' }).life.verdict).toBe('none');
      const failed = next(startedJudged(true), { kind: 'ended', outcome: 'failed', runFailed: true });
      expect(failed.life).toMatchObject({ phase: 'failed', verdict: 'none' });
      expect(finishOf(failed.effects)).toMatchObject({ verdict: 'run-failed' });
      // A failed rollback is no failed run: the fault was there, its verdict is awaited.
      expect(next(startedJudged(true), { kind: 'ended', outcome: 'failed' }).life.verdict).toBe('awaited');
    });

    it('ignores a verdict for an attack that awaits none, or whose fault still runs', () => {
      expect(next(startedJudged(true), { kind: 'verdict-known' }).effects).toEqual([]);
      const none = next(at('pending'), stop).life;
      expect(next(none, { kind: 'verdict-known' })).toEqual({ life: none, effects: [] });
    });
  });
});
