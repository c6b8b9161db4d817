import * as z from 'zod';
import { looksLikeOption, OPTION_LIKE } from '../domain/params.js';

/** A parameter's name, as scripts see it (CHAOSCAT_PARAM_<NAME>): attack files and game days. */
export const paramName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, {
  message: 'expected an upper-case parameter name such as DELAY_MS',
});

/** Parameter values reach a script only as environment variables; kept free of shell syntax anyway. */
export const paramValue = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9@._:/,+=-]*$/, {
        message: 'expected a plain value (letters, digits and @._:/,+=-), no spaces or shell characters',
      })
      .refine((v) => !looksLikeOption(v), { error: (i) => `"${String(i.input).slice(0, 40)}" ${OPTION_LIKE}` }),
  );
