import type { Fault } from '../../src/domain/fault.js';
import { type AttackRecord, pendingRecord } from '../../src/domain/model.js';

/** An attack record for tests: a pending scheduled cpu-burn on web-1, with the fields a test sets. */
export function attackRecord(overrides: Partial<AttackRecord> = {}): AttackRecord {
  const base = pendingRecord('1', {
    attack: 'cpu-burn',
    host: 'web-1',
    trigger: { kind: 'schedule' },
    dryRun: false,
    createdAt: 0,
    deadlineAt: 90_000,
    durationMs: 60_000,
  });
  return { ...base, ...overrides };
}

/** A fault that may remain after a failed rollback: #7 cpu-burn on web-1, with the fields a test sets. */
export function faultRecord(overrides: Partial<Fault> = {}): Fault {
  return {
    id: '7',
    attack: 'cpu-burn',
    host: 'web-1',
    detail: 'the rollback failed',
    manualRollback: null,
    confirmedAt: null,
    openedAt: 0,
    ...overrides,
  };
}

/**
 * An attack's output with `warning:` lines in its run and its rollback (one repeated, one padded,
 * one not at a line's start): what the ending message picks its warnings from.
 */
export const WARNED_OUTPUT = [
  'sending SIGKILL to nginx (pid 42)',
  '  warning: nginx had 2 workers left  ',
  'not a warning: this one is in the middle',
  '--- rollback (exit 0) ---',
  'Warning: nginx is not running; nothing restarted it',
  'warning: nginx had 2 workers left',
  '',
].join('\n');
