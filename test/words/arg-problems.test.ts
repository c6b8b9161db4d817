import { describe, expect, it } from 'vitest';
import type { BlastCap } from '../../src/domain/blast-radius.js';
import type { ArgProblem, Usage } from '../../src/domain/command.js';
import { parseCommand } from '../../src/domain/command-parser.js';
import type { ParamProblem } from '../../src/domain/params.js';
import { blastCapText } from '../../src/words/announcements.js';
import { argProblemText, paramProblemText, usageText } from '../../src/words/arg-problems.js';
import { commandAnswerText } from '../../src/words/command-replies.js';

const BROKEN = /undefined|\bnull\b|\[object Object\]|NaN/;

/** Samples per kind: a new kind fails to type-check here until it has one. */
type Samples<T extends { kind: string }> = { readonly [K in T['kind']]: readonly Extract<T, { kind: K }>[] };

const PARAMS: Samples<ParamProblem> = {
  'too-long': [{ kind: 'too-long', name: 'IFACE', max: 100 }],
  'not-plain': [{ kind: 'not-plain', name: 'IFACE', shown: 'eth0;reboot' }],
  'option-like': [{ kind: 'option-like', name: 'IFACE', shown: '-x' }],
  'not-listed': [{ kind: 'not-listed', name: 'SIGNAL', shown: 'STOP', list: ['KILL', 'TERM'] }],
  'not-a-number': [
    { kind: 'not-a-number', name: 'DELAY_MS', shown: 'fast', unit: 'ms' },
    { kind: 'not-a-number', name: 'N', shown: 'x', unit: null },
  ],
  'below-min': [
    { kind: 'below-min', name: 'DELAY_MS', shown: '0', bound: 1, unit: 'ms' },
    { kind: 'below-min', name: 'N', shown: '0', bound: 1, unit: null },
  ],
  'above-max': [{ kind: 'above-max', name: 'DELAY_MS', shown: '20000', bound: 10000, unit: 'ms' }],
  'unknown-param': [
    { kind: 'unknown-param', attack: 'network-latency', typed: 'RATE', known: ['DELAY_MS', 'SIGNAL', 'IFACE'] },
    { kind: 'unknown-param', attack: 'network-latency', typed: 'X', known: [] },
  ],
};

const USAGES: readonly Usage[] = ['run-once', 'answer', 'approve', 'skip', 'history', 'history-id', 'resolve', 'fixed', 'report'];

const ARGS: Samples<ArgProblem> = {
  usage: USAGES.map((usage) => ({ kind: 'usage', usage })),
  'no-arguments': [{ kind: 'no-arguments', command: 'status' }],
  'only-force': [{ kind: 'only-force' }],
  'too-many-settings': [{ kind: 'too-many-settings', max: 10 }],
  'blast-twice': [{ kind: 'blast-twice' }],
  'bad-count': [{ kind: 'bad-count', shown: 'two' }],
  'bad-percent': [{ kind: 'bad-percent', shown: '150' }],
  'not-a-param-name': [{ kind: 'not-a-param-name', shown: '1X' }],
  'needs-value': [{ kind: 'needs-value', name: 'X' }],
  'given-twice': [{ kind: 'given-twice', name: 'x' }],
  'params-without-attack': [{ kind: 'params-without-attack' }],
  'empty-note': [{ kind: 'empty-note' }],
  'bad-paged': [{ kind: 'bad-paged', shown: 'maybe' }],
  'bad-runbook': [{ kind: 'bad-runbook', shown: 'sort-of' }],
  'not-answer-part': [{ kind: 'not-answer-part', shown: 'rm' }],
  'history-id-zero': [{ kind: 'history-id-zero' }],
  'history-range': [
    { kind: 'history-range', max: 100, oneAttack: '500' },
    { kind: 'history-range', max: 100, oneAttack: null },
  ],
};

const CAPS: Samples<BlastCap> = {
  eligible: [{ kind: 'eligible', asked: { kind: 'count', count: 9 }, eligible: 4 }],
  max: [
    { kind: 'max', asked: { kind: 'count', count: 2 }, max: 1 },
    { kind: 'max', asked: { kind: 'percent', percent: 50, of: 10 }, max: 2 },
  ],
  all: [{ kind: 'all', asked: { kind: 'percent', percent: 100, of: 4 }, count: 3, eligible: 4 }],
};

function sweep<T extends { kind: string }>(samples: Samples<T>, say: (a: T) => string): [string, string][] {
  return Object.values<readonly T[]>(samples)
    .flat()
    .map((a) => [a.kind, say(a)]);
}

describe('argument and parameter problems, said from data', () => {
  const all = [...sweep(PARAMS, paramProblemText), ...sweep(ARGS, argProblemText), ...sweep(CAPS, blastCapText)];

  it.each(all)('%s: said, never "undefined", "null", "NaN" or empty', (_kind, text) => {
    expect(text.trim()).not.toBe('');
    expect(text).not.toMatch(BROKEN);
  });

  it.each<[ParamProblem, string]>([
    [{ kind: 'option-like', name: 'IFACE', shown: '-x' }, 'IFACE=-x starts with "-", which a command could read as an option'],
    [
      { kind: 'above-max', name: 'DELAY_MS', shown: '20000', bound: 10000, unit: 'ms' },
      'DELAY_MS=20000 is above its max 10000 ms',
    ],
    [{ kind: 'below-min', name: 'DELAY_MS', shown: '0', bound: 1, unit: 'ms' }, 'DELAY_MS=0 is below its min 1 ms'],
    [{ kind: 'below-min', name: 'N', shown: '0', bound: 1, unit: null }, 'N=0 is below its min 1'],
    [{ kind: 'not-a-number', name: 'DELAY_MS', shown: 'fast', unit: 'ms' }, 'DELAY_MS=fast is not a number of ms'],
    [{ kind: 'not-a-number', name: 'N', shown: 'x', unit: null }, 'N=x is not a number'],
    [{ kind: 'not-listed', name: 'SIGNAL', shown: 'STOP', list: ['KILL', 'TERM'] }, 'SIGNAL=STOP is not one of KILL, TERM'],
    [
      { kind: 'unknown-param', attack: 'network-latency', typed: 'RATE', known: ['DELAY_MS', 'SIGNAL', 'IFACE'] },
      'network-latency has no parameter RATE (its parameters: DELAY_MS, SIGNAL, IFACE)',
    ],
    [
      { kind: 'unknown-param', attack: 'network-latency', typed: 'X', known: [] },
      'network-latency has no parameter X (it takes no parameters)',
    ],
    [
      { kind: 'not-plain', name: 'IFACE', shown: 'eth0;reboot' },
      'IFACE=eth0;reboot is not a plain value (letters, digits and @._:/,+=- only, no spaces or shell characters)',
    ],
    [{ kind: 'too-long', name: 'IFACE', max: 100 }, 'IFACE is longer than 100 characters'],
  ])('a parameter: %j', (problem, text) => {
    expect(paramProblemText(problem)).toBe(text);
  });

  it.each([
    ['run-once DELAY_MS=800', 'name the attack whose parameters you set: `run-once ATTACK NAME=VALUE`'],
    ['run-once a count=0', 'count=0: expected a whole number of hosts, at least 1'],
    ['run-once a count=two', 'count=two: expected a whole number of hosts, at least 1'],
    ['run-once a percent=0', 'percent=0: expected a whole percentage from 1 to 100'],
    ['run-once a percent=150', 'percent=150: expected a whole percentage from 1 to 100'],
    ['run-once a count=1 percent=50', 'give `count=N` or `percent=P` once'],
    ['run-once a X=', 'X= needs a value'],
    ['run-once a X=1 x=2', 'x is given twice'],
    [
      'run-once a 1X=2',
      '"1X" is not a parameter name (letters, digits and _). usage: `run-once [ATTACK] [HOST] [NAME=VALUE …] [count=N | percent=P] [--force]`',
    ],
    ['run-once a b c', 'usage: `run-once [ATTACK] [HOST] [NAME=VALUE …] [count=N | percent=P] [--force]`'],
    ['run-once --rm -rf', 'the only option is `--force`'],
    [`run-once a ${Array.from({ length: 11 }, (_, i) => `P${i}=1`).join(' ')}`, 'at most 10 NAME=VALUE settings'],
    [
      'answer',
      'usage: `answer #ID paged=yes|no|not-mine runbook=yes|partly|no|none note TEXT` (any of the three), e.g. `answer #12 paged=no runbook=partly`',
    ],
    ['answer #12 paged=maybe', 'paged=maybe: say paged=yes, paged=no or paged=not-mine'],
    ['answer #12 runbook=sort-of', 'runbook=sort-of: say runbook=yes, runbook=partly, runbook=no or runbook=none'],
    [
      'answer #12 rm -rf /',
      '"rm" is not part of an answer. usage: `answer #ID paged=yes|no|not-mine runbook=yes|partly|no|none note TEXT` (any of the three), e.g. `answer #12 paged=no runbook=partly`',
    ],
    ['answer #12 note', '`note` needs some words after it'],
    ['approve', 'usage: `approve GAMEDAY`'],
    ['skip friday monday', 'usage: `skip GAMEDAY`'],
    ['fixed the alert', 'usage: `fixed #ID [note]`, with the id of the attack whose gaps are dealt with'],
    ['resolve it', 'usage: `resolve #ID [note]`, with the id of the attack whose fault is fixed'],
    ['report yesterday', 'usage: `report [YYYY-MM-DD]`'],
    ['status now', '`status` takes no arguments'],
    ['history #abc', 'usage: `history #ID`, e.g. `history #12`'],
    ['history #0', 'attack ids start at #1'],
    ['history 500', 'N must be from 1 to 100 (one attack: `history #500`)'],
    ['history 0', 'N must be from 1 to 100'],
    ['history lots', 'usage: `history [N]`, `history #ID`, `history host HOST`, `history attack ATTACK` or `history failed`'],
  ])('a command: %s', (typed, text) => {
    const cmd = parseCommand(typed);
    if (cmd.kind !== 'invalid') throw new Error(`${typed} parsed as ${cmd.kind}`);
    expect(argProblemText(cmd.problem)).toBe(text);
    expect(commandAnswerText(cmd)).toBe(`Cannot \`${cmd.command}\`: ${text}.`);
  });

  it('every usage line starts with "usage:"', () => {
    for (const u of USAGES) expect(usageText(u)).toMatch(/^usage: `/);
  });

  it.each<[BlastCap, string]>([
    [{ kind: 'max', asked: { kind: 'count', count: 2 }, max: 1 }, "count 2, capped by the attack's blastRadius max 1"],
    [
      { kind: 'all', asked: { kind: 'percent', percent: 100, of: 4 }, count: 3, eligible: 4 },
      '100% of 4, capped at 3 of 4: taking every eligible host needs allowAll: true in the attack file',
    ],
    [{ kind: 'eligible', asked: { kind: 'count', count: 9 }, eligible: 4 }, 'count 9, but only 4 eligible'],
  ])('a capped blast radius: %j', (cap, text) => {
    expect(blastCapText(cap)).toBe(text);
  });
});
