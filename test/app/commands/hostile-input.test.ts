import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, say } from '../../support/bot-harness.js';

let h: Harness;
afterEach(() => h?.close());

const HOSTILE = [
  'run-once cpu-burn; rm -rf /',
  'run-once cpu-burn && reboot',
  'run-once $(reboot) web-1',
  'run-once `id` web-1',
  "run-once 'cpu-burn' 'web-1; halt'",
  'run-once cpu-burn web-1|nc',
  'run-once ../../etc/passwd',
  "run-once cpu-burn' OR '1'='1",
  'run-once cpu-burn web-1\u0000',
  'run-once сpu-burn', // Cyrillic с
  'run-once ｃｐｕ-burn', // full-width
  'run-once cpu\u200bburn',
  'history host web-1; DROP TABLE attacks',
  'stop $(curl evil) `rm -rf /` ; DROP TABLE attacks; --',
  `run-once ${'A'.repeat(100_000)}`,
  '\u0007\u001b[31mrun-once\u001b[0m',
];

describe('hostile input', () => {
  it.each(HOSTILE)('answers clearly and runs nothing not in config: %j', async (text) => {
    h = harness();
    const reply = await say(h, text);
    expect(reply.text.length).toBeGreaterThan(0);
    expect(reply.text.length).toBeLessThan(2000);
    for (const run of h.executor.runs) {
      expect(['cpu-burn']).toContain(run.job.attack.name);
      expect(['web-1', 'web-2']).toContain(run.job.host.name);
      // Only validated config reaches the executor's environment.
      for (const value of Object.values(run.job.env)) expect(value).toMatch(/^[A-Za-z0-9@._:/,+=-]*$/);
    }
    // The text is stored as data, bounded, and the tables are intact.
    const audit = h.store.auditBetween(0, Number.MAX_SAFE_INTEGER);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.text.length).toBeLessThanOrEqual(2000);
    expect(h.store.history({ limit: 10 }).length).toBeLessThanOrEqual(1);
  });

  it('property: any text gets a reply, never throws, and only config-known names are dispatched', async () => {
    h = harness();
    const words = fc.constantFrom(
      'run-once',
      'stop',
      'start',
      'status',
      'history',
      'attacks',
      'hosts',
      'help',
      'report',
      '@chaoscat',
      '<@U1>',
      '--force',
    );
    const names = fc.constantFrom(
      'cpu-burn',
      'web-1',
      'db-1',
      'web-2',
      'nope',
      ';',
      '&&',
      '$(id)',
      '`id`',
      '"',
      "'",
      '|',
      '\\',
      '\n',
    );
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.array(fc.oneof(words, names, fc.string({ maxLength: 10 })), { maxLength: 8 }).map((w) => w.join(' ')),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const reply = await say(h, t, 'U0ANYONE');
        expect(typeof reply.text).toBe('string');
        expect(reply.text.length).toBeGreaterThan(0);
        // A non-admin can never start anything, whatever the text.
        expect(h.executor.runs).toHaveLength(0);
      }),
      { numRuns: 300, seed: 7 },
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        await say(h, t, 'admin');
        for (const run of h.executor.runs) {
          expect(h.config.attacks.map((a) => a.name)).toContain(run.job.attack.name);
          expect(h.config.hosts.map((x) => x.name)).toContain(run.job.host.name);
          run.finish();
        }
        await h.bot.context.runner.idle();
        if (h.bot.context.latch.state().halt) await say(h, 'start', 'admin');
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});

describe('control and bidi characters typed in chat', () => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that none survive
  const RAW = /[\u202e\u2066\u001b]/;
  it('a stop reason is shown escaped in the reply, the announcement, status and the audit detail', async () => {
    h = harness();
    const reply = await say(h, 'stop deploy \u202etxt.exe \u2066x \u001b[2J');
    const status = await say(h, 'status');
    const halted = h.chat.events.find((e) => e.kind === 'halted');
    expect(halted?.kind === 'halted' && halted.halt.reason).toContain('\\u202etxt.exe');
    for (const text of [reply.text, status.text, JSON.stringify(h.chat.events)]) {
      expect(text).not.toMatch(RAW);
    }
    // Kept: the escaped reason as status shows it is the behaviour under test (escaping happens in the words).
    expect(status.text).toContain('\\u202etxt.exe');
    const audit = h.store.auditBetween(0, Number.MAX_SAFE_INTEGER);
    for (const row of audit) expect(row.detail).not.toMatch(RAW);
  });

  it('an unknown command word is echoed escaped', async () => {
    h = harness();
    // (`sto\u202ep` looks like `stop` and is read as one: kill-switch.ts.)
    const reply = await say(h, 'sta\u202etus');
    expect(reply.text).not.toMatch(RAW);
    // Kept: the echo, escaped, is the behaviour under test; the words are where the escaping happens.
    expect(reply.text).toContain('sta\\u202etus');
  });
});
