import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { RunResult } from './run-bot.js';

/** The README's console session: the same lines, whichever entry runs the bot (sources or compiled). */
export const README_INPUT = 'help\nrun-once\nstatus\nhistory\nstop maintenance\nrun-once\nstart\nhistory 5\n';

/** What that session must print and record; `dir` is the test config's directory (its database). */
export function expectReadmeScenario({ code, stdout, stderr }: RunResult, dir: string): void {
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const out = stdout;
  expect(out).toMatch(/DRY RUN/);
  expect(out).toMatch(/ChaosCat commands:/);
  expect(out).toMatch(/Started #1 cpu-burn on web-[12] \(dry run\)/);
  expect(out).toMatch(/In flight: #1 cpu-burn/);
  expect(out).toMatch(/Last 1 attack:[\s\S]*cpu-burn[\s\S]*running/);
  expect(out).toMatch(/Halted by console: maintenance/);
  // The stop is announced at once with what it reverts; the result follows as its own line.
  expect(out).toMatch(
    /» Halted by console at \d\d:\d\d [A-Z][A-Z0-9+]+: maintenance\.\n {2}Reverting #1 cpu-burn on web-[12] \(dry run\)…/,
  );
  expect(out).toMatch(/» #1 cpu-burn on web-[12] \(dry run\) reverted \(took [^)]*rollback ok\)/);
  expect(out).toMatch(/Not starting: halted by console at \d\d:\d\d [A-Z][A-Z0-9+]+: maintenance/);
  expect(out).toMatch(/Resumed by console/);
  expect(out).toMatch(/Last 1 attack:[\s\S]*reverted \(dry\)/);
  // Order: the refusal comes after the halt and before the resume.
  expect(out.indexOf('Halted by console')).toBeLessThan(out.indexOf('Not starting: halted'));
  expect(out.indexOf('Not starting: halted')).toBeLessThan(out.indexOf('Resumed by console'));

  const db = new Database(join(dir, 'data', 'chaoscat.db'), { readonly: true });
  const attacks = db.prepare('SELECT attack, state, trigger_user FROM attacks').all();
  const audit = db.prepare('SELECT command, outcome FROM audit ORDER BY id').all() as { command: string; outcome: string }[];
  db.close();
  expect(attacks).toEqual([expect.objectContaining({ attack: 'cpu-burn', state: 'reverted', trigger_user: 'console' })]);
  expect(audit.map((a) => `${a.command}:${a.outcome}`)).toEqual([
    'help:ok',
    'run-once:ok',
    'status:ok',
    'history:ok',
    'stop:ok',
    'run-once:refused',
    'start:ok',
    'history:ok',
  ]);
}
