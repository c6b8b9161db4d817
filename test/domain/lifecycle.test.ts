import { describe, expect, it } from 'vitest';
import type { AbortWhy } from '../../src/domain/ending.js';
import {
  ADMITTED,
  type Effect,
  type LegLife,
  type Life,
  type LifeEvent,
  legFinal,
  next,
  type Phase,
} from '../../src/domain/lifecycle.js';

const stopped = (note: string): AbortWhy => ({ kind: 'stopped', by: 'U1', note });
const stop: LifeEvent = { kind: 'abort', why: stopped('') };

/** A life in `phase`, with one host per leg phase given (one waiting host by default). */
const at = (phase: Phase, note: string | null = null, legs: LegLife['phase'][] = ['waiting'], judged = false): Life => ({
  phase,
  abortWhy: note === null ? null : stopped(note),
  steady: judged,
  judged,
  verdict: 'none',
  legs: legs.map((p) =>
    p === 'ended'
      ? { phase: p, outcome: 'completed', runFailed: false }
      : p === 'start-failed'
        ? { phase: p, failure: 'x' }
        : { phase: p },
  ) as LegLife[],
});

/** Events applied in order. */
const run = (life: Life, ...events: LifeEvent[]) =>
  events.reduce<{ life: Life; effects: Effect[] }>(
    (acc, e) => {
      const step = next(acc.life, e);
      return { life: step.life, effects: [...acc.effects, ...step.effects] };
    },
    { life, effects: [] },
  );

const started = (leg = 0): LifeEvent => ({ kind: 'leg-started', leg });
const ended = (outcome: 'completed' | 'failed' | 'reverted', leg = 0, runFailed = false): LifeEvent => ({
  kind: 'leg-ended',
  leg,
  outcome,
  runFailed,
});
const reverted = (outcome: 'reverted' | 'failed' | 'unreachable', leg = 0): LifeEvent => ({ kind: 'leg-reverted', leg, outcome });

type Row = [string, Life, LifeEvent, Phase, Effect['kind'][]];

const table: Row[] = [
  ['a recorded reservation becomes pending', ADMITTED, { kind: 'recorded', hosts: 1 }, 'pending', []],
  ['a stop cancels a reservation before anything is written', ADMITTED, stop, 'cancelled', ['finish']],
  ['a refused reservation is cancelled without a row', ADMITTED, { kind: 'refused' }, 'cancelled', ['finish']],
  ['a stop cancels a pending attack before it touches the host', at('pending'), stop, 'cancelled', ['finish']],
  ['a refused pending attack (announcement, pre-flight) fails', at('pending'), { kind: 'refused' }, 'failed', ['finish']],
  ['a pending attack is handed to the executor', at('pending'), { kind: 'start', judged: false }, 'starting', []],
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
    { kind: 'leg-start-cancelled', leg: 0 },
    'cancelled',
    ['finish'],
  ],
  ['a second stop during the start changes nothing', at('starting', 'first'), stop, 'starting', []],
  ['a started attack runs and is watched', at('starting'), started(), 'running', ['record-running', 'watch']],
  [
    'an attack stopped during its start is reverted the moment it runs',
    at('starting', 'stopped'),
    started(),
    'aborting',
    ['revert-leg', 'record-running', 'record-aborting'],
  ],
  [
    'a start that failed ends failed',
    at('starting'),
    { kind: 'leg-start-failed', leg: 0, failure: 'boom' },
    'failed',
    ['finish'],
  ],
  ['a start that crashed ends failed', at('starting'), { kind: 'start-failed' }, 'failed', ['finish']],
  [
    'a running attack is aborted on the host',
    at('running', null, ['running']),
    stop,
    'aborting',
    ['unwatch', 'record-aborting', 'revert-leg'],
  ],
  [
    'a running attack that ends by itself completes',
    at('running', null, ['running']),
    ended('completed'),
    'completed',
    ['unwatch', 'finish'],
  ],
  [
    'a running attack that failed on the host fails',
    at('running', null, ['running']),
    ended('failed'),
    'failed',
    ['unwatch', 'finish'],
  ],
  ['a second abort while aborting changes nothing', at('aborting', 'first', ['reverting']), stop, 'aborting', []],
  [
    'while reverting, the end of the attack waits for the revert',
    at('aborting', 'r', ['reverting']),
    ended('completed'),
    'aborting',
    [],
  ],
  ['a reverted abort ends reverted', at('aborting', 'r', ['reverting']), reverted('reverted'), 'reverted', ['finish']],
  ['a failed rollback ends failed', at('aborting', 'r', ['reverting']), reverted('failed'), 'failed', ['finish']],
  [
    'an unreachable host ends failed (not confirmed)',
    at('aborting', 'r', ['reverting']),
    reverted('unreachable'),
    'failed',
    ['finish'],
  ],
  ['a final attack never starts again', at('cancelled', 'r'), started(), 'cancelled', []],
  ['a final attack ignores a late end', at('reverted', 'r', ['reverted']), ended('completed'), 'reverted', []],
  ['a final attack ignores a stop', at('completed', null, ['ended']), stop, 'completed', []],
  ['a cancelled reservation is never recorded', at('cancelled', 'r'), { kind: 'recorded', hosts: 1 }, 'cancelled', []],
  ['a start is not taken before the row exists', ADMITTED, { kind: 'start', judged: false }, 'admitted', []],
  ['a host cannot start before the run is handed over', at('pending'), started(), 'pending', []],
];

describe('the attack lifecycle', () => {
  it.each(table)('%s', (_name, life, event, phase, effects) => {
    const step = next(life, event);
    expect(step.life.phase).toBe(phase);
    expect(step.effects.map((e) => e.kind)).toEqual(effects);
  });

  it('keeps the first abort reason', () => {
    const first = stopped('');
    const step = next(at('starting'), { kind: 'abort', why: first });
    expect(step.life.abortWhy).toEqual(first);
    const again = next(step.life, { kind: 'abort', why: { kind: 'health', failing: 'api: HTTP 500' } });
    // The first wins with its data: the stored ending says what the reason says.
    expect(again.life.abortWhy).toEqual(first);
    expect(next(again.life, started()).effects).toContainEqual({ kind: 'revert-leg', leg: 0, why: first });
  });

  it('says whether the host was touched when it finishes', () => {
    expect(next(at('pending'), stop).effects).toContainEqual({
      kind: 'finish',
      phase: 'cancelled',
      touchedHost: false,
      verdict: 'none',
    });
    expect(next(at('aborting', 'r', ['reverting']), reverted('reverted')).effects).toContainEqual({
      kind: 'finish',
      phase: 'reverted',
      touchedHost: true,
      verdict: 'none',
    });
  });

  it('reaches a final phase from every phase on every path of aborts and answers', () => {
    const events: LifeEvent[] = [
      { kind: 'recorded', hosts: 2 },
      { kind: 'start', judged: true },
      started(0),
      { kind: 'leg-start-failed', leg: 1, failure: 'boom' },
      { kind: 'leg-start-cancelled', leg: 0 },
      started(1),
      { kind: 'refused' },
      stop,
      ended('completed', 0),
      reverted('unreachable', 1),
    ];
    // Every sequence of up to 4 events, then a stop and every answer the runner may get, ends final.
    const walk = (life: Life, depth: number): void => {
      if (depth === 0) {
        let l = run(life, { kind: 'recorded', hosts: 2 }, { kind: 'start', judged: false }, stop, started(0), started(1)).life;
        l = run(l, reverted('failed', 0), reverted('reverted', 1)).life;
        expect(['completed', 'failed', 'reverted', 'cancelled']).toContain(l.phase);
        return;
      }
      for (const e of events) walk(next(life, e).life, depth - 1);
    };
    walk(ADMITTED, 4);
  });

  describe('a run over several hosts', () => {
    const starting = (judged = false) => run(ADMITTED, { kind: 'recorded', hosts: 3 }, { kind: 'start', judged }).life;

    it('runs once every host has started, and ends once every host has ended', () => {
      let s = run(starting(), started(0), started(1));
      expect(s.life.phase).toBe('starting');
      s = run(s.life, started(2));
      expect(s.life.phase).toBe('running');
      expect(s.effects.map((e) => e.kind)).toEqual(['record-running', 'watch']);
      s = run(s.life, ended('completed', 0), ended('reverted', 2));
      expect(s.life.phase).toBe('running');
      s = run(s.life, ended('completed', 1));
      expect(s.life.phase).toBe('reverted');
    });

    it('reverts every started host when one could not start, and tells every failure', () => {
      const s = run(starting(), started(0), { kind: 'leg-start-failed', leg: 1, failure: 'on b: boom' }, started(2));
      expect(s.life.phase).toBe('aborting');
      expect(s.life.abortWhy).toEqual({ kind: 'start-failed', failures: ['on b: boom'] });
      expect(s.effects.filter((e) => e.kind === 'revert-leg').map((e) => (e.kind === 'revert-leg' ? e.leg : -1))).toEqual([0, 2]);
      const done = run(s.life, reverted('reverted', 0), reverted('reverted', 2)).life;
      expect(done.phase).toBe('reverted');
      expect(done.legs.map((l) => legFinal(l, 'reverted'))).toEqual(['reverted', 'failed', 'reverted']);
    });

    it('reverts a host that started before a stop at once, and each later one as it starts', () => {
      let s = run(starting(), started(0), stop);
      expect(s.effects.map((e) => e.kind)).toEqual(['record-aborting', 'cancel-start', 'revert-leg']);
      // The first host's revert answers before the others' starts do: the run still waits for them.
      s = run(s.life, reverted('reverted', 0), started(1));
      expect(s.life.phase).toBe('starting');
      expect(s.effects.at(-1)).toEqual({ kind: 'revert-leg', leg: 1, why: stopped('') });
      s = run(s.life, { kind: 'leg-start-cancelled', leg: 2 });
      expect(s.life.phase).toBe('aborting');
      s = run(s.life, reverted('failed', 1));
      expect(s.life.phase).toBe('failed');
      expect(s.life.legs.map((l) => legFinal(l, 'failed'))).toEqual(['reverted', 'failed', 'cancelled']);
    });

    it('does not revert a host that had ended by itself when the others are stopped', () => {
      const running = run(starting(), started(0), started(1), started(2), ended('completed', 1)).life;
      const s = next(running, stop);
      expect(s.effects.filter((e) => e.kind === 'revert-leg').map((e) => (e.kind === 'revert-leg' ? e.leg : -1))).toEqual([0, 2]);
      const done = run(s.life, reverted('reverted', 0), reverted('reverted', 2)).life;
      expect(done.phase).toBe('reverted');
      expect(done.legs.map((l) => legFinal(l, 'reverted'))).toEqual(['reverted', 'completed', 'reverted']);
    });

    it('asks each host to revert once, however many stops come', () => {
      const s = run(starting(), started(0), stop, stop, started(1), stop, started(2));
      const reverts = s.effects.filter((e) => e.kind === 'revert-leg').map((e) => (e.kind === 'revert-leg' ? e.leg : -1));
      expect(reverts).toEqual([0, 1, 2]);
    });
  });

  describe('the verdict window', () => {
    const startedJudged = (judged: boolean) => run(at('pending'), { kind: 'start', judged }, started()).life;
    const finishOf = (effects: readonly Effect[]) => effects.find((e) => e.kind === 'finish');

    it('holds the slot of a judged fault that ended until its verdict is known, then concludes once', () => {
      const done = next(startedJudged(true), ended('completed'));
      expect(done.life).toMatchObject({ phase: 'completed', verdict: 'awaited' });
      expect(finishOf(done.effects)).toMatchObject({ verdict: 'await' });
      const known = next(done.life, { kind: 'verdict-known' });
      expect(known.life.verdict).toBe('known');
      expect(known.effects).toEqual([{ kind: 'conclude' }]);
      // A second answer (an abandon racing the window's close) concludes nothing again.
      expect(next(known.life, { kind: 'verdict-known' }).effects).toEqual([]);
    });

    it('awaits the verdict of a judged fault that was stopped and reverted', () => {
      const done = run(startedJudged(true), stop, reverted('reverted')).life;
      expect(done).toMatchObject({ phase: 'reverted', verdict: 'awaited' });
    });

    it('gives no verdict when the fault never reached the host, had nothing to judge, or its own run failed', () => {
      expect(next(at('pending'), stop).life.verdict).toBe('none');
      expect(
        run(at('pending'), { kind: 'start', judged: true }, { kind: 'leg-start-failed', leg: 0, failure: 'x' }).life.verdict,
      ).toBe('none');
      expect(next(startedJudged(false), ended('completed')).life.verdict).toBe('none');
      const failed = next(startedJudged(true), ended('failed', 0, true));
      expect(failed.life).toMatchObject({ phase: 'failed', verdict: 'none' });
      expect(finishOf(failed.effects)).toMatchObject({ verdict: 'run-failed' });
      // A failed rollback is no failed run: the fault was there, its verdict is awaited.
      expect(next(startedJudged(true), ended('failed')).life.verdict).toBe('awaited');
    });

    it('ignores a verdict for an attack that awaits none, or whose fault still runs', () => {
      expect(next(startedJudged(true), { kind: 'verdict-known' }).effects).toEqual([]);
      const none = next(at('pending'), stop).life;
      expect(next(none, { kind: 'verdict-known' })).toEqual({ life: none, effects: [] });
    });
  });
});
