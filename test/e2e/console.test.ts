import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ConsoleTransport } from '../../src/adapters/console/console-transport.js';
import type { AttackRecord } from '../../src/domain/model.js';
import type { StartNote } from '../../src/ports/chat.js';
import { expectReadmeScenario, README_INPUT } from '../support/console-scenario.js';
import { attackRecord } from '../support/records.js';
import { runBot } from '../support/run-bot.js';
import { writeTestConfig } from '../support/test-config.js';

describe('console chat (npm start without Slack tokens)', () => {
  it('runs the README scenario in dry run and records it in the database', async () => {
    const { dir, file } = writeTestConfig();
    expectReadmeScenario(await runBot(['--config', file], README_INPUT), dir);
  });

  it('reverts an attack still in flight when input ends, then exits 0', async () => {
    const { dir, file } = writeTestConfig();
    const { code, stdout } = await runBot(['--config', file], 'run-once\n');
    expect(code).toBe(0);
    expect(stdout).toMatch(/shutting down; what happened to the attacks in flight/);
    const db = new Database(join(dir, 'data', 'chaoscat.db'), { readonly: true });
    expect(db.prepare('SELECT state FROM attacks').pluck().all()).toEqual(['reverted']);
    db.close();
  });

  it('exits 2 with the file and field named on invalid config', async () => {
    const { file } = writeTestConfig({ businessHours: { start: '9am' } });
    const { code, stderr, stdout } = await runBot(['--config', file], '');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/invalid configuration/);
    expect(stderr).toMatch(/chaoscat\.yaml: businessHours\.start: expected a 24-hour time "HH:MM"/);
  });

  it('check-config prints a summary of hosts, attacks and business hours', async () => {
    const { file } = writeTestConfig({}, [
      { name: 'cpu-burn', weight: 10, targets: ['web'] },
      { name: 'host-reboot', weight: 0 },
    ]);
    const { code, stdout } = await runBot(['check-config', '--config', file], '');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Config OK/);
    expect(stdout).toMatch(/Hosts \(3\):/);
    expect(stdout).toMatch(/cpu-burn: weight 10 \(100%\), 1m, hosts: web-1, web-2/);
    expect(stdout).toMatch(/host-reboot: weight 0 \(by name only\)/);
    expect(stdout).toMatch(/Business hours: mon tue wed thu fri 10:00–16:00 America\/Los_Angeles; now (OPEN|closed)/);
  });
});

describe('console announcements: no announcement, no attack', () => {
  const record: AttackRecord = attackRecord({
    id: '4',
    attack: 'cpu-burn',
    host: 'web-1',
    trigger: { kind: 'user', user: 'console' },
    dryRun: true,
    createdAt: 0,
    deadlineAt: 60_000,
    durationMs: 60_000,
  });
  const note: StartNote = { forcedBy: { kind: 'user', user: 'console' } };

  function consoleChat(): { chat: ConsoleTransport; output: PassThrough; printed: () => string } {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (c: Buffer) => chunks.push(c));
    const chat = new ConsoleTransport({
      input: new PassThrough(),
      output,
      timezone: 'UTC',
      dryRun: true,
      handle: async () => ({ text: 'ok' }),
      onEnd: () => {},
    });
    return { chat, output, printed: () => Buffer.concat(chunks).toString('utf8') };
  }

  it('prints the start announcement with its note and says ok while the output is writable', async () => {
    const { chat, printed } = consoleChat();
    expect(await chat.announceStart({ kind: 'attack-started', record, attack: null, note })).toEqual({ ok: true });
    await new Promise((r) => setImmediate(r));
    expect(printed()).toBe(
      `» Attack #4 cpu-burn on web-1 (dry run) for 1m, triggered by console. Health gate skipped (--force by console) for this attack's whole life.\n`,
    );
  });

  it('says not ok, with why, once the output is closed or failed', async () => {
    const closed = consoleChat();
    closed.output.destroy();
    expect(await closed.chat.announceStart({ kind: 'attack-started', record, attack: null })).toEqual({
      ok: false,
      reason: 'the console output is closed',
    });
    const failed = consoleChat();
    failed.output.on('error', () => {});
    failed.output.destroy(new Error('write EPIPE'));
    expect(await failed.chat.announceStart({ kind: 'attack-started', record, attack: null })).toEqual({
      ok: false,
      reason: 'the console output failed: write EPIPE',
    });
  });
});
