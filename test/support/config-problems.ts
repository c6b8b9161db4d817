import { ConfigError } from '../../src/config/errors.js';

/** The problems a config error lists; fails the test when `fn` loads without one. */
export function configProblems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}
