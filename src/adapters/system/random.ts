import { randomInt } from 'node:crypto';
import type { Random } from '../../ports/random.js';

const RANGE = 2 ** 48 - 1;

/** Uniform in [0, 1) from the operating system's CSPRNG. */
export const cryptoRandom: Random = { next: () => randomInt(0, RANGE) / RANGE };
