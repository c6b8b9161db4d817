/**
 * Why a parameter value (or name) is refused, as data: src/words/arg-problems.ts `paramProblemText`
 * says it. `shown` is the value as it is shown back (cut at 40 characters). Its own file, importing
 * nothing: a refusal carries one (refusal.ts), and params.ts reads the model, which reads refusals.
 */
export type ParamProblem =
  /** Longer than `max` characters. */
  | { readonly kind: 'too-long'; readonly name: string; readonly max: number }
  /** Spaces or shell characters: not a plain value. */
  | { readonly kind: 'not-plain'; readonly name: string; readonly shown: string }
  /** Starts with "-": a command could read it as an option. */
  | { readonly kind: 'option-like'; readonly name: string; readonly shown: string }
  /** Not one of the parameter's listed values. */
  | { readonly kind: 'not-listed'; readonly name: string; readonly shown: string; readonly list: readonly string[] }
  /** A bounded parameter given something that is not a number (`unit`: its unit, if any). */
  | { readonly kind: 'not-a-number'; readonly name: string; readonly shown: string; readonly unit: string | null }
  /** Below its min (`bound`), in its unit. */
  | {
      readonly kind: 'below-min';
      readonly name: string;
      readonly shown: string;
      readonly bound: number;
      readonly unit: string | null;
    }
  /** Above its max (`bound`), in its unit. */
  | {
      readonly kind: 'above-max';
      readonly name: string;
      readonly shown: string;
      readonly bound: number;
      readonly unit: string | null;
    }
  /** The attack has no parameter by that name (`typed`, cut at 40 characters); `known`: the ones it has. */
  | { readonly kind: 'unknown-param'; readonly attack: string; readonly typed: string; readonly known: readonly string[] };
