import type { AttackDef, ParamSpec } from '../domain/model.js';
import { boundProblem } from '../domain/params.js';
import { errorMessage } from '../ports/errors.js';
import { paramProblemText } from '../words/arg-problems.js';
import type { AttackFile } from './attack-schema.js';

type Shape = Pick<AttackDef, 'targets' | 'names' | 'exclude' | 'params' | 'paramSpecs' | 'blastRadius'>;

/**
 * The parts of an attack file with a short and a long form (`params`, `targets`), and its blast
 * radius, as the domain has them. What the schema cannot say is checked here: a default outside its
 * own bounds, min above max, a `names` pattern that does not compile.
 */
export function attackShape(a: AttackFile, problem: (field: string, message: string) => void): Shape {
  const params: Record<string, string> = {};
  const paramSpecs: Record<string, ParamSpec> = {};
  for (const [name, p] of Object.entries(a.params)) {
    if (typeof p === 'string') {
      params[name] = p;
      continue;
    }
    const spec: ParamSpec = {
      default: p.default,
      min: p.min,
      max: p.max,
      unit: p.unit,
      description: p.description,
      enum: p.enum,
    };
    if (p.enum && (p.min !== undefined || p.max !== undefined)) {
      problem(`params.${name}`, 'expected either enum or min/max, not both');
    }
    if (p.min !== undefined && p.max !== undefined && p.min > p.max) {
      problem(`params.${name}.min`, `expected at most max (${p.max}), got ${p.min}`);
    }
    const wrong = boundProblem(name, p.default, spec);
    if (wrong) problem(`params.${name}.default`, `the default breaks its own bounds: ${paramProblemText(wrong)}`);
    params[name] = p.default;
    paramSpecs[name] = spec;
  }
  let targets: readonly string[];
  let names: string | undefined;
  let exclude: readonly string[] | undefined;
  if (Array.isArray(a.targets)) targets = a.targets;
  else {
    targets = a.targets.tags;
    names = a.targets.names;
    exclude = a.targets.exclude.length ? a.targets.exclude : undefined;
    if (names !== undefined) {
      try {
        new RegExp(names);
      } catch (error) {
        problem('targets.names', `expected a valid regular expression: ${errorMessage(error)}`);
      }
    }
  }
  const b = a.blastRadius;
  if (b?.max !== undefined && b.count !== undefined && b.count > b.max) {
    problem('blastRadius.count', `expected at most max (${b.max}), got ${b.count}`);
  }
  return {
    targets,
    ...(names !== undefined ? { names } : {}),
    ...(exclude ? { exclude } : {}),
    params,
    ...(Object.keys(paramSpecs).length ? { paramSpecs } : {}),
    ...(b
      ? {
          blastRadius: {
            ...(b.count !== undefined ? { count: b.count } : {}),
            ...(b.percent !== undefined ? { percent: b.percent } : {}),
            ...(b.max !== undefined ? { max: b.max } : {}),
            ...(b.allowAll ? { allowAll: true } : {}),
          },
        }
      : {}),
  };
}
