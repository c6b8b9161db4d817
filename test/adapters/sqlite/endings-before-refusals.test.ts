import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import type { Ending } from '../../../src/domain/ending.js';
import { refusalCode } from '../../../src/domain/refusal.js';
import { endingText } from '../../../src/words/endings.js';
import { deferCleanup, tempDir } from '../../support/cleanup.js';
import { MIGRATIONS } from '../../support/test-config.js';

/**
 * Endings as the versions before refusals were kept as data wrote them (after migration 015): a
 * gate's abort and a refused attack with `{ code, why }`, a cancelled one with its refusal as words.
 * Each: its code, its data then, what it reads back as, and the words it was told in then.
 */
const OLD: [code: string, data: string, reads: Ending, words: string][] = [
  [
    'gate',
    '{"code":"closed","why":"outside business hours: opens Fri 15:00","revert":"reverted"}',
    {
      kind: 'gate',
      refusal: { kind: 'told', code: 'closed', text: 'outside business hours: opens Fri 15:00' },
      revert: 'reverted',
    },
    'outside business hours: opens Fri 15:00: reverted',
  ],
  [
    'cancelled',
    '{"by":{"kind":"gate","code":"cooldown","why":"cooldown until 14:00"},"refusal":null}',
    {
      kind: 'cancelled',
      by: { kind: 'gate', refusal: { kind: 'told', code: 'cooldown', text: 'cooldown until 14:00' } },
      refusal: null,
    },
    'cancelled before it touched the host: cooldown until 14:00',
  ],
  [
    'cancelled',
    '{"by":null,"refusal":"the announcement could not be posted (channel_not_found); no announcement, no attack"}',
    {
      kind: 'cancelled',
      by: null,
      refusal: {
        kind: 'told',
        code: 'cancelled',
        text: 'the announcement could not be posted (channel_not_found); no announcement, no attack',
      },
    },
    'cancelled before it touched the host: the announcement could not be posted (channel_not_found); no announcement, no attack',
  ],
  [
    'cancelled',
    '{"by":{"kind":"stopped","by":"U0ONCALL","note":""},"refusal":null}',
    { kind: 'cancelled', by: { kind: 'stopped', by: 'U0ONCALL', note: '' }, refusal: null },
    'cancelled before it touched the host: stopped by <@U0ONCALL>',
  ],
  [
    'refused',
    '{"code":"preflight","why":"pre-flight on web-1: missing command stress-ng"}',
    { kind: 'refused', refusal: { kind: 'told', code: 'preflight', text: 'pre-flight on web-1: missing command stress-ng' } },
    'pre-flight on web-1: missing command stress-ng',
  ],
  [
    'refused',
    '{"code":"error","why":"failed"}',
    { kind: 'refused', refusal: { kind: 'told', code: 'error', text: 'failed' } },
    'failed',
  ],
  // Shutdowns as their words: the signal they name is kept; the console's end is no signal.
  [
    'shutdown',
    '{"why":"received SIGTERM","revert":"reverted"}',
    { kind: 'shutdown', signal: 'SIGTERM', revert: 'reverted' },
    'received SIGTERM: reverted',
  ],
  ['shutdown', '{"why":"console input ended"}', { kind: 'shutdown', signal: null }, 'console input ended'],
  [
    'cancelled',
    '{"by":{"kind":"shutdown","why":"received SIGINT"},"refusal":null}',
    { kind: 'cancelled', by: { kind: 'shutdown', signal: 'SIGINT' }, refusal: null },
    'cancelled before it touched the host: received SIGINT',
  ],
  // Host ends as their words: kept as told.
  [
    'rollback-failed',
    '{"why":"the rollback failed (exit 3)"}',
    { kind: 'rollback-failed', end: { kind: 'told', text: 'the rollback failed (exit 3)' } },
    'the rollback failed (exit 3) — the fault may still be in place.',
  ],
  ['failed', '{"why":null}', { kind: 'failed', end: null }, 'failed on the host'],
];

function storeWith(rows: number): { store: SqliteStore; path: string; ids: string[] } {
  const path = join(tempDir('chaoscat-endings-'), 'c.db');
  const store = new SqliteStore({ file: path, migrationsDir: MIGRATIONS });
  deferCleanup(() => {
    store.close();
  });
  const ids = Array.from({ length: rows }, () =>
    store.insertAttack({
      attack: 'cpu-burn',
      host: 'web-1',
      trigger: { kind: 'schedule' },
      dryRun: false,
      createdAt: 1000,
      deadlineAt: 100_000,
      durationMs: 60_000,
    }),
  );
  return { store, path, ids };
}

describe('endings written before they kept refusals as data', () => {
  it('read back with the refusal told as it was, its code kept, and render the words they were told in', () => {
    const { store, path, ids } = storeWith(OLD.length);
    const db = new Database(path);
    try {
      const write = db.prepare(
        `UPDATE attacks SET state = 'failed', ended_at = 2000, ending = ?, ending_data = ?, reason = ? WHERE id = ?`,
      );
      for (const [i, [code, data, , words]] of OLD.entries()) write.run(code, data, words, Number(ids[i]));
    } finally {
      db.close();
    }
    for (const [i, [code, data, reads, words]] of OLD.entries()) {
      const ending = store.getAttack(ids[i] as string)?.ending as Ending;
      expect(ending).toEqual(reads);
      expect(endingText(ending, 'UTC')).toBe(words);
      // The skip code it was stored with is the told refusal's code.
      const old = JSON.parse(data) as { code?: string; by?: { code?: string } | null };
      const kept = ending.kind === 'cancelled' ? (ending.by?.kind === 'gate' ? ending.by.refusal : ending.refusal) : null;
      const refusal = ending.kind === 'gate' || ending.kind === 'refused' ? ending.refusal : kept;
      if (old.code ?? old.by?.code) expect(refusal && refusalCode(refusal)).toBe(old.code ?? old.by?.code);
      expect(code).toBe(ending.kind);
    }
  });

  it('keeps the refusal itself now, and reads it back as it was written', () => {
    const endings: Ending[] = [
      { kind: 'gate', refusal: { kind: 'closed', opens: 5_000 }, revert: 'reverted' },
      { kind: 'refused', refusal: { kind: 'preflight', host: 'web-1', cause: 'missing command stress-ng' } },
      { kind: 'refused', refusal: null },
      {
        kind: 'cancelled',
        by: { kind: 'gate', refusal: { kind: 'cooldown', until: 9_000 } },
        refusal: { kind: 'cancelled', why: { kind: 'gate', refusal: { kind: 'cooldown', until: 9_000 } } },
      },
      { kind: 'cancelled', by: null, refusal: { kind: 'announce', cause: 'channel_not_found' } },
    ];
    const { store, ids } = storeWith(endings.length);
    endings.forEach((ending, i) => {
      const id = ids[i] as string;
      expect(store.finishAttack(id, { state: 'failed', endedAt: 2000, reason: endingText(ending, 'UTC'), ending })).toBe(true);
      expect(store.getAttack(id)?.ending).toEqual(ending);
    });
  });
});
