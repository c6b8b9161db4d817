import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleTransport, consoleText } from '../../../src/adapters/console/console-transport.js';
import type { ChatEvent, Inbound, Reply } from '../../../src/ports/chat.js';
import { eventText } from '../../../src/words/announcements.js';
import { settle } from '../../support/fakes.js';

function terminal(interactive: boolean) {
  const input = new PassThrough();
  if (interactive) Object.assign(input, { isTTY: true });
  const output = new PassThrough();
  let printed = '';
  output.on('data', (c: Buffer) => {
    printed += c.toString();
  });
  const handled: string[] = [];
  let release: () => void = () => {};
  const waiting = new Promise<void>((r) => {
    release = r;
  });
  const chat = new ConsoleTransport({
    input,
    output,
    timezone: 'UTC',
    dryRun: true,
    handle: async (inbound: Inbound): Promise<Reply> => {
      handled.push(inbound.text);
      if (inbound.text === 'run-once') await waiting;
      return { text: `done: ${inbound.text}` };
    },
    onEnd: () => {},
  });
  chat.start();
  return { input, chat, handled, release, printed: () => printed };
}

describe('the console chat', () => {
  it('at a terminal, handles `stop` at once while a run-once still waits', async () => {
    const t = terminal(true);
    t.input.write('run-once\n');
    t.input.write('status\n');
    t.input.write('stop now\n');
    await settle();
    expect([...t.handled].sort()).toEqual(['run-once', 'stop now']);
    expect(t.printed()).toMatch(/done: stop now/);
    expect(t.printed()).not.toMatch(/done: run-once/);
    t.release();
    await settle();
    expect(t.handled.at(-1)).toBe('status');
    t.chat.close();
  });

  it('runs piped input as a script, in order, stop included', async () => {
    const t = terminal(false);
    t.input.write('run-once\nstatus\nstop now\n');
    await settle();
    expect(t.handled).toEqual(['run-once']);
    t.release();
    await settle();
    expect(t.handled).toEqual(['run-once', 'status', 'stop now']);
    t.chat.close();
  });
});

describe('a notice at the terminal', () => {
  it('goes above the prompt, which is drawn again with what was typed so far', async () => {
    const t = terminal(true);
    await settle();
    t.input.write('stat');
    await settle();
    const before = t.printed().length;
    t.chat.notice('! warning: something (details in data/chaoscat.log)');
    const after = t.printed().slice(before);
    // Clear the line, the notice on its own line, then the prompt and the typed text again.
    const ESC = String.fromCharCode(27);
    expect(after.startsWith(`${ESC}[2K${ESC}[1G! warning: something (details in data/chaoscat.log)\n`)).toBe(true);
    expect(after).toMatch(/chaoscat> stat/);
    t.chat.close();
  });

  it('is a plain line while a command runs (its reply redraws the prompt)', async () => {
    const t = terminal(true);
    t.input.write('run-once\n');
    await settle();
    const before = t.printed().length;
    t.chat.notice('! warning: x');
    expect(t.printed().slice(before)).toBe('! warning: x\n');
    t.release();
    t.chat.close();
  });
});

describe('the console speaks plainly', () => {
  it('shows a person as the plain @id, never Slack markup, in replies and announcements', async () => {
    const t = terminal(false);
    const halted: Extract<ChatEvent, { kind: 'halted' }> = {
      kind: 'halted',
      halt: { by: 'U0123ABCD', at: 0, reason: 'deploy' },
      reverting: [],
    };
    const resumed: ChatEvent = { kind: 'resumed', by: 'U0123ABCD', at: 0 };
    await t.chat.announce(halted);
    await t.chat.announce(resumed);
    // Each event as the words tell it, in the console's plain form: the person as @id.
    for (const event of [halted, resumed]) {
      const words = eventText(event, 'UTC');
      expect(words).toContain(`<@${halted.halt.by}>`);
      expect(t.printed()).toContain(consoleText(words));
    }
    expect(t.printed()).toContain(`@${halted.halt.by}`);
    expect(t.printed()).not.toMatch(/<@|\*/);
    expect(consoleText('Halted by <@U0123ABCD>. *Stop* by <@W0ABC>.')).toBe('Halted by @U0123ABCD. Stop by @W0ABC.');
    t.chat.close();
  });
});
