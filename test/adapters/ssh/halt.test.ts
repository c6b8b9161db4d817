import { EventEmitter } from 'node:events';
import type { ClientChannel } from 'ssh2';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/adapters/ssh/connection.js';
import { SshError } from '../../../src/adapters/ssh/errors.js';
import { haltVerdict, performHalt } from '../../../src/adapters/ssh/halt.js';
import type { HaltSpec } from '../../../src/adapters/ssh/halt-script.js';
import type { HaltReport } from '../../../src/adapters/ssh/protocol.js';
import type { HostDef } from '../../../src/domain/model.js';

const MANUAL = "ssh -p 22 chaoscat@10.0.0.5 'exec /bin/sh -c ...'";
const host: HostDef = { name: 'web-1', address: '10.0.0.5', port: 22, tags: [], vars: {} };
const spec: HaltSpec = {
  id: '42',
  pgid: 77,
  env: { CHAOSCAT_ATTACK_ID: '42' },
  rollback: 'true',
  sudo: false,
  manualRollback: MANUAL,
};

const report = (overrides: Partial<HaltReport>): HaltReport => ({
  remaining: 0,
  rollback: 0,
  wrapper: 'waited',
  rollbackOutput: null,
  ...overrides,
});

describe('what a halt report means', () => {
  it.each([
    [
      'processes gone and rollback ran: reverted, nothing to do by hand',
      report({}),
      { outcome: 'reverted', found: { kind: 'gone', host: 'web-1' } },
    ],
    [
      'a failed rollback: failed, the fault may still be in place, its output and the command to run it by hand',
      report({ rollback: 3, rollbackOutput: 'iptables: Resource busy' }),
      {
        outcome: 'failed',
        found: { kind: 'left', host: 'web-1', alive: 0, rollback: 3 },
        rollbackOutput: 'iptables: Resource busy',
        manualRollback: MANUAL,
      },
    ],
    [
      'a rollback killed at its timeout counts as failed',
      report({ rollback: 124, rollbackOutput: '' }),
      {
        outcome: 'failed',
        found: { kind: 'left', host: 'web-1', alive: 0, rollback: 124 },
        rollbackOutput: '',
        manualRollback: MANUAL,
      },
    ],
    [
      'survivors and a failed rollback: both said, with the evidence',
      report({ remaining: 2, rollback: 1, rollbackOutput: 'no' }),
      {
        outcome: 'failed',
        found: { kind: 'left', host: 'web-1', alive: 2, rollback: 1 },
        rollbackOutput: 'no',
        manualRollback: MANUAL,
      },
    ],
    [
      'a survivor after a good rollback',
      report({ remaining: 1 }),
      { outcome: 'failed', found: { kind: 'left', host: 'web-1', alive: 1, rollback: 0 } },
    ],
    [
      'no rollback (attack unknown): what it changed may remain, and there is no command to give',
      report({ rollback: null, wrapper: 'none' }),
      {
        outcome: 'failed',
        found: { kind: 'left', host: 'web-1', alive: 0, rollback: null },
      },
    ],
    [
      'a stuck wrapper is mentioned',
      report({ rollback: 2, rollbackOutput: 'x', wrapper: 'stuck' }),
      {
        outcome: 'failed',
        found: { kind: 'left', host: 'web-1', alive: 0, rollback: 2, stuck: true },
        rollbackOutput: 'x',
        manualRollback: MANUAL,
      },
    ],
  ])('%s', (_name, given, expected) => {
    expect(haltVerdict('web-1', given, MANUAL)).toEqual(expected);
  });
});

/** A connection whose halt channel prints `stdout` and exits. */
function answering(stdout: string, stderr = ''): Connection {
  return {
    host: 'web-1',
    isOpen: () => true,
    closed: new Promise<void>(() => {}),
    close: () => {},
    exec: async () => {
      const channel = Object.assign(new EventEmitter(), {
        stderr: new EventEmitter(),
        close: () => {},
        end: () => {
          setImmediate(() => {
            channel.emit('data', Buffer.from(stdout));
            channel.stderr.emit('data', Buffer.from(stderr));
            channel.emit('exit', 0);
            channel.emit('close');
          });
        },
      });
      return channel as unknown as ClientChannel;
    },
  };
}

describe('the halt as the bot runs it', () => {
  it('reads the rollback output line of a failed rollback and hands over the manual command', async () => {
    const output = Buffer.from('deleting the rule\niptables: Resource busy\n').toString('base64');
    const conn = answering(`CHAOSCAT_ROLLBACK_OUTPUT=${output}\nCHAOSCAT_HALT remaining=0 rollback=3 wrapper=waited\n`);
    const result = await performHalt({ connect: async () => conn, clock: { now: () => Date.now() } }, host, spec, null);
    expect(result).toMatchObject({
      outcome: 'failed',
      found: { kind: 'left', host: 'web-1', alive: 0, rollback: 3 },
      rollbackOutput: 'deleting the rule\niptables: Resource busy',
      manualRollback: MANUAL,
    });
  });

  it('a halt that does not report may have left the fault in place: the manual command comes with it', async () => {
    const conn = answering('', 'sudo: a password is required\n');
    const result = await performHalt({ connect: async () => conn, clock: { now: () => Date.now() } }, host, spec, null);
    expect(result.outcome).toBe('failed');
    expect(result.found).toEqual({ kind: 'no-report', host: 'web-1', said: 'sudo: a password is required' });
    expect(result.manualRollback).toBe(MANUAL);
    expect(result.rollbackOutput).toBeUndefined();
  });

  it('a reverted halt carries nothing to do by hand', async () => {
    const conn = answering('CHAOSCAT_HALT remaining=0 rollback=0 wrapper=none\n');
    const result = await performHalt({ connect: async () => conn, clock: { now: () => Date.now() } }, host, spec, null);
    expect(result.outcome).toBe('reverted');
    expect(result).not.toHaveProperty('manualRollback');
    expect(result).not.toHaveProperty('rollbackOutput');
  });

  it('a host it cannot reach is unreachable, without a command (the wrapper rolls back when it notices the drop)', async () => {
    const result = await performHalt(
      {
        connect: async () => {
          throw new SshError('SSH_CONNECT', 'web-1 (10.0.0.5:22): ECONNREFUSED');
        },
        clock: { now: () => Date.now() },
      },
      host,
      spec,
      null,
    );
    expect(result).toMatchObject({
      outcome: 'unreachable',
      found: { kind: 'unreachable', cause: 'web-1 (10.0.0.5:22): ECONNREFUSED' },
    });
    expect(result.manualRollback).toBeUndefined();
  });
});
