import { describe, expect, it } from 'vitest';
import { type AttackRecord, pendingRecord } from '../../src/domain/model.js';
import { type LearnedAnswer, learnedAnswerText } from '../../src/words/answers.js';
import {
  type CommandAnswer,
  commandAnswerText,
  type FleetAnswer,
  fleetAnswerText,
  type PipelineStepAnswer,
  pipelineStepText,
  type RunOnceAnswer,
  runOnceText,
  unknownNameText,
  verdictText,
} from '../../src/words/command-replies.js';
import { plainText } from '../../src/words/tokens.js';

const TZ = 'Europe/Berlin';
const AT = Date.UTC(2026, 11, 4, 13, 0); // Friday 14:00 in Berlin
const BROKEN = /undefined|\bnull\b|\[object Object\]|NaN/;

const record = (over: Partial<AttackRecord> = {}): AttackRecord => ({
  ...pendingRecord('12', {
    attack: 'cpu-burn',
    host: 'web-1',
    trigger: { kind: 'user', user: 'U0ADMIN01' },
    dryRun: false,
    createdAt: AT,
    deadlineAt: AT + 90_000,
    durationMs: 60_000,
  }),
  ...over,
});

/** Samples per kind: a new kind fails to type-check here until it has one. */
type Samples<T extends { kind: string }> = { readonly [K in T['kind']]: readonly Extract<T, { kind: K }>[] };

const COMMANDS: Samples<CommandAnswer> = {
  failed: [{ kind: 'failed', command: 'status', cause: 'database is locked' }],
  'not-admin': [{ kind: 'not-admin', command: 'run-once', admins: 'Admins: @alice.' }],
  'which-team': [{ kind: 'which-team', verb: 'approve', name: 'friday' }],
  'no-report': [{ kind: 'no-report' }],
  empty: [{ kind: 'empty' }],
  invalid: [
    { kind: 'invalid', command: 'history', problem: { kind: 'usage', usage: 'history' } },
    { kind: 'invalid', command: 'run-once', problem: { kind: 'bad-count', shown: 'two' } },
  ],
  unknown: [{ kind: 'unknown', word: 'dance', commands: ['status', 'stop'] }],
};

const RUN_ONCE: Samples<RunOnceAnswer> = {
  'unknown-name': [
    { kind: 'unknown-name', what: 'attack', name: 'cpu-brun', known: ['cpu-burn'] },
    { kind: 'unknown-name', what: 'host', name: 'wеb-1', known: [] },
    { kind: 'unknown-name', what: 'host', name: 'x'.repeat(50), known: ['web-1'] },
  ],
  'foreign-host': [
    { kind: 'foreign-host', host: 'db-1', owner: 'payments', team: 'search', own: ['web-1', 'web-2'] },
    { kind: 'foreign-host', host: 'db-1', owner: null, team: 'search', own: [] },
  ],
  refused: [{ kind: 'refused', refusal: { kind: 'no-host', attack: 'cpu-burn' } }],
  'bad-params': [
    { kind: 'bad-params', problem: { kind: 'above-max', name: 'LOAD', shown: '200', bound: 100, unit: '%' } },
    { kind: 'bad-params', problem: { kind: 'unknown-param', attack: 'cpu-burn', typed: 'load2', known: ['LOAD'] } },
  ],
  started: [
    { kind: 'started', record: record(), forced: false },
    { kind: 'started', record: record(), forced: true },
  ],
  'not-started': [
    {
      kind: 'not-started',
      refusal: { kind: 'halted', halt: { by: 'U0ONCALL', at: AT, reason: '' } },
      record: null,
      inFlight: [],
    },
    { kind: 'not-started', refusal: { kind: 'in-flight' }, record: null, inFlight: [{ kind: 'recorded', record: record() }] },
  ],
};

const PIPELINE: Samples<PipelineStepAnswer> = {
  'unknown-name': RUN_ONCE['unknown-name'],
  'foreign-host': RUN_ONCE['foreign-host'],
  refused: [
    { kind: 'refused', refusal: { kind: 'cooldown', until: AT } },
    { kind: 'refused', refusal: { kind: 'in-flight' } },
  ],
  'bad-params': RUN_ONCE['bad-params'],
  closed: [
    { kind: 'closed', opens: AT, zone: TZ },
    { kind: 'closed', opens: null, zone: TZ },
  ],
  started: [{ kind: 'started', record: record() }],
  verdict: [
    { kind: 'verdict', record: record({ state: 'completed', verdict: 'recovered' }) },
    { kind: 'verdict', record: record({ state: 'failed', verdict: null }) },
  ],
};

const FLEET: Samples<FleetAnswer> = {
  'stop-all': [{ kind: 'stop-all', teams: ['payments', 'search'] }],
  'start-all': [{ kind: 'start-all' }],
  'which-team': [
    { kind: 'which-team', command: 'start', teams: ['payments', 'search'] },
    { kind: 'which-team', command: 'run-once', teams: ['payments', 'search'] },
  ],
  'status-all': [
    { kind: 'status-all', count: 2 },
    { kind: 'status-all', count: 1 },
  ],
  'help-teams': [{ kind: 'help-teams', teams: ['payments', 'search'] }],
  'not-global-admin': [{ kind: 'not-global-admin', admins: 'Global admins: @root.' }],
};

const LEARNED: Samples<LearnedAnswer> = {
  'not-kept': [
    { kind: 'not-kept', what: 'answers' },
    { kind: 'not-kept', what: 'gaps' },
  ],
  'no-attack': [
    { kind: 'no-attack', id: '99', inTeam: true },
    { kind: 'no-attack', id: '99', inTeam: false },
  ],
  'dry-run': [{ kind: 'dry-run', record: record({ dryRun: true }) }],
  'not-ended': [{ kind: 'not-ended', record: record() }],
  noted: [
    { kind: 'noted', record: record(), answer: { paged: 'no', runbook: 'partly', note: 'slow alert' } },
    { kind: 'noted', record: record(), answer: {} },
  ],
  'no-gaps': [{ kind: 'no-gaps', record: record() }],
  fixed: [
    { kind: 'fixed', by: 'U0ADMIN01', record: record(), gaps: ['monitoring', 'not-paged'], note: 'alert added' },
    { kind: 'fixed', by: 'U0ADMIN01', record: record(), gaps: ['runbook'], note: '' },
  ],
};

function sweep<T extends { kind: string }>(samples: Samples<T>, say: (a: T) => string): [string, string][] {
  return Object.values<readonly T[]>(samples)
    .flat()
    .map((a) => [a.kind, plainText(say(a))]);
}

describe('command replies, said from data', () => {
  const all = [
    ...sweep(COMMANDS, commandAnswerText),
    ...sweep(RUN_ONCE, (a) => runOnceText(a, TZ)),
    ...sweep(PIPELINE, (a) => pipelineStepText(a, TZ)),
    ...sweep(FLEET, fleetAnswerText),
    ...sweep(LEARNED, learnedAnswerText),
  ];

  it.each(all)('%s: said, never "undefined", "null", "NaN" or empty', (_kind, text) => {
    expect(text.trim()).not.toBe('');
    expect(text).not.toMatch(BROKEN);
  });

  it("the dispatcher's own answers", () => {
    expect(commandAnswerText({ kind: 'failed', command: 'status', cause: 'boom' })).toBe('Sorry, `status` failed: boom');
    expect(commandAnswerText({ kind: 'not-admin', command: 'start', admins: 'Admins: @alice.' })).toBe(
      'Sorry, only admins may `start`. Admins: @alice. Anyone may `stop`.',
    );
    expect(commandAnswerText({ kind: 'unknown', word: 'dance', commands: ['status', 'stop'] })).toBe(
      'I don\'t know "dance". Commands: status, stop. Say `help` for details.',
    );
    expect(commandAnswerText({ kind: 'empty' })).toBe('Say `help` to see what I can do.');
    expect(commandAnswerText({ kind: 'invalid', command: 'history', problem: { kind: 'history-id-zero' } })).toBe(
      'Cannot `history`: attack ids start at #1.',
    );
    expect(commandAnswerText({ kind: 'invalid', command: 'report', problem: { kind: 'usage', usage: 'report' } })).toBe(
      'Cannot `report`: usage: `report [YYYY-MM-DD]`.',
    );
  });

  it('run-once: started, a foreign host, an unknown name with look-alikes', () => {
    expect(runOnceText({ kind: 'started', record: record(), forced: true }, TZ)).toBe(
      'Started #12 cpu-burn on web-1 for 1m. Health gate skipped (--force) for its whole life. Say `stop` to revert it.',
    );
    expect(runOnceText({ kind: 'foreign-host', host: 'db-1', owner: 'payments', team: 'search', own: ['web-1'] }, TZ)).toBe(
      "db-1 is team payments's host; search attacks only its own hosts: web-1.",
    );
    expect(runOnceText({ kind: 'foreign-host', host: 'db-1', owner: null, team: 'search', own: [] }, TZ)).toBe(
      'db-1 is in no team; search attacks only its own hosts: (none).',
    );
    expect(unknownNameText('host', 'wеb-1', [])).toBe(
      'Unknown host "wеb-1" (it contains non-ASCII characters). Known hosts: (none configured).',
    );
    expect(
      runOnceText({ kind: 'bad-params', problem: { kind: 'above-max', name: 'LOAD', shown: '200', bound: 100, unit: '%' } }, TZ),
    ).toBe('Not starting: LOAD=200 is above its max 100 %.');
  });

  it('a pipeline step: outside business hours, started, its verdict', () => {
    expect(pipelineStepText({ kind: 'closed', opens: AT, zone: TZ }, TZ)).toBe(
      'Not starting: outside business hours: opens Fri 14:00 Europe/Berlin.',
    );
    expect(pipelineStepText({ kind: 'closed', opens: null, zone: TZ }, TZ)).toBe(
      'Not starting: outside business hours: not in the next two weeks Europe/Berlin.',
    );
    expect(pipelineStepText({ kind: 'started', record: record() }, TZ)).toBe('Started #12 cpu-burn on web-1.');
    expect(verdictText(record({ state: 'completed', verdict: 'recovered' }))).toBe('#12 cpu-burn on web-1: completed, recovered');
    expect(verdictText(record({ state: 'failed', verdict: null }))).toBe('#12 cpu-burn on web-1: failed');
  });

  it('the fleet and the answers', () => {
    expect(fleetAnswerText({ kind: 'stop-all', teams: ['payments', 'search'] })).toBe('Stop for every team (payments, search):');
    expect(fleetAnswerText({ kind: 'status-all', count: 1 })).toBe('1 team:');
    expect(learnedAnswerText({ kind: 'no-attack', id: '99', inTeam: true })).toBe('There is no attack #99 in this team.');
    expect(
      plainText(
        learnedAnswerText({ kind: 'fixed', by: 'U0ADMIN01', record: record(), gaps: ['monitoring'], note: 'alert added' }),
      ),
    ).toMatch(/ marked the gaps of #12 cpu-burn on web-1 fixed \(monitoring gap\): alert added\.$/);
    expect(learnedAnswerText({ kind: 'noted', record: record(), answer: {} })).toBe(
      'Thanks — noted for #12 cpu-burn on web-1: nothing yet.',
    );
  });
});
