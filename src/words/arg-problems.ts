/**
 * Why a command's arguments or an attack's parameters were refused, in words, from the data the
 * domain returns (domain/params.ts `ParamProblem`, domain/command-args.ts `ArgProblem`). One
 * sentence fragment each, which replies, refusals and config errors wrap. Every kind renders;
 * test/words/arg-problems.test.ts sweeps them.
 */
import type { ArgProblem, Usage } from '../domain/command.js';
import { OPTION_LIKE, type ParamProblem } from '../domain/params.js';

function unitText(unit: string | null): string {
  return unit ? ` ${unit}` : '';
}

/** "DELAY_MS=5 is below its min 10 ms", "X is longer than 100 characters". */
export function paramProblemText(p: ParamProblem): string {
  switch (p.kind) {
    case 'too-long':
      return `${p.name} is longer than ${p.max} characters`;
    case 'not-plain':
      return `${p.name}=${p.shown} is not a plain value (letters, digits and @._:/,+=- only, no spaces or shell characters)`;
    case 'option-like':
      return `${p.name}=${p.shown} ${OPTION_LIKE}`;
    case 'not-listed':
      return `${p.name}=${p.shown} is not one of ${p.list.join(', ')}`;
    case 'not-a-number':
      return `${p.name}=${p.shown} is not a number${p.unit ? ` of${unitText(p.unit)}` : ''}`;
    case 'below-min':
      return `${p.name}=${p.shown} is below its min ${p.bound}${unitText(p.unit)}`;
    case 'above-max':
      return `${p.name}=${p.shown} is above its max ${p.bound}${unitText(p.unit)}`;
    case 'unknown-param': {
      const has = p.known.length ? `its parameters: ${p.known.join(', ')}` : 'it takes no parameters';
      return `${p.attack} has no parameter ${p.typed} (${has})`;
    }
  }
}

const USAGE: { readonly [U in Usage]: string } = {
  'run-once': 'usage: `run-once [ATTACK] [HOST] [NAME=VALUE …] [count=N | percent=P] [--force]`',
  answer:
    'usage: `answer #ID paged=yes|no|not-mine runbook=yes|partly|no|none note TEXT` (any of the three), e.g. `answer #12 paged=no runbook=partly`',
  approve: 'usage: `approve GAMEDAY`',
  skip: 'usage: `skip GAMEDAY`',
  history: 'usage: `history [N]`, `history #ID`, `history host HOST`, `history attack ATTACK` or `history failed`',
  'history-id': 'usage: `history #ID`, e.g. `history #12`',
  resolve: 'usage: `resolve #ID [note]`, with the id of the attack whose fault is fixed',
  fixed: 'usage: `fixed #ID [note]`, with the id of the attack whose gaps are dealt with',
  report: 'usage: `report [YYYY-MM-DD]`',
};

/** A command's usage line: "usage: `report [YYYY-MM-DD]`". */
export function usageText(u: Usage): string {
  return USAGE[u];
}

/** Why a command's arguments were refused: "count=x: expected a whole number of hosts, at least 1". */
export function argProblemText(p: ArgProblem): string {
  switch (p.kind) {
    case 'usage':
      return USAGE[p.usage];
    case 'no-arguments':
      return `\`${p.command}\` takes no arguments`;
    case 'only-force':
      return 'the only option is `--force`';
    case 'too-many-settings':
      return `at most ${p.max} NAME=VALUE settings`;
    case 'blast-twice':
      return 'give `count=N` or `percent=P` once';
    case 'bad-count':
      return `count=${p.shown}: expected a whole number of hosts, at least 1`;
    case 'bad-percent':
      return `percent=${p.shown}: expected a whole percentage from 1 to 100`;
    case 'not-a-param-name':
      return `"${p.shown}" is not a parameter name (letters, digits and _). ${USAGE['run-once']}`;
    case 'needs-value':
      return `${p.name}= needs a value`;
    case 'given-twice':
      return `${p.name} is given twice`;
    case 'params-without-attack':
      return 'name the attack whose parameters you set: `run-once ATTACK NAME=VALUE`';
    case 'empty-note':
      return '`note` needs some words after it';
    case 'bad-paged':
      return `paged=${p.shown}: say paged=yes, paged=no or paged=not-mine`;
    case 'bad-runbook':
      return `runbook=${p.shown}: say runbook=yes, runbook=partly, runbook=no or runbook=none`;
    case 'not-answer-part':
      return `"${p.shown}" is not part of an answer. ${USAGE.answer}`;
    case 'history-id-zero':
      return 'attack ids start at #1';
    case 'history-range':
      return `N must be from 1 to ${p.max}${p.oneAttack === null ? '' : ` (one attack: \`history #${p.oneAttack}\`)`}`;
  }
}
