/**
 * Why an attack's parameters were refused, in words, from the data the domain returns
 * (domain/params.ts `ParamProblem`). One
 * sentence fragment each, which replies, refusals and config errors wrap. Every kind renders;
 * test/words/arg-problems.test.ts sweeps them.
 */
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
