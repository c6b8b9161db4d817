import { DateTime } from 'luxon';
import type { Store } from '../../src/ports/store.js';

export const XSS_OUTPUT = 'starting\n<script>alert(1)</script>\ndone';
export const XSS_REASON = 'rollback: "><img src=x onerror=alert(2)>';

export interface Seeded {
  /** A quiet day: ticks and one attack that held. */
  readonly quiet: string;
  /** A day with a `not recovered` attack (its output holds a script tag). */
  readonly notRecovered: string;
  /** A day with a failed rollback (its reason holds an img onerror). */
  readonly failedRollback: string;
  readonly ids: { readonly held: string; readonly notRecovered: string; readonly failedRollback: string };
}

/**
 * The three days before `today`: quiet, not recovered, failed rollback, each with ticks from
 * 10:00 to 16:00 every 10 minutes; days before them have nothing (the bot was not running).
 */
export function seedArchive(store: Store, today: string, timezone: string): Seeded {
  const day = (back: number) => DateTime.fromISO(today, { zone: timezone }).minus({ days: back });
  const at = (back: number, hh: number, mm = 0) => day(back).set({ hour: hh, minute: mm }).toMillis();
  for (const back of [1, 2, 3]) {
    for (let m = 10 * 60; m < 16 * 60; m += 10)
      store.recordTick(at(back, 0, m), { kind: 'skipped', code: 'cooldown', reason: 'cooldown until later' });
  }
  const attack = (back: number, host: string) => {
    const createdAt = at(back, 11);
    const id = store.insertAttack({
      attack: 'cpu-burn',
      host,
      trigger: { kind: 'schedule' },
      dryRun: false,
      createdAt,
      deadlineAt: createdAt + 90_000,
      durationMs: 60_000,
    });
    store.markRunning(id, createdAt + 1000, 4242);
    return { id, start: createdAt + 1000 };
  };
  const held = attack(1, 'web-1');
  store.finishAttack(held.id, { state: 'completed', endedAt: held.start + 60_000, exitCode: 0, rollbackOk: true });
  store.setVerdict(held.id, { kind: 'held', ttdMs: null, ttrMs: null, detail: 'steady state held throughout' });

  const bad = attack(2, 'web-2');
  store.finishAttack(bad.id, {
    state: 'completed',
    endedAt: bad.start + 60_000,
    exitCode: 0,
    outputTail: XSS_OUTPUT,
    rollbackOk: true,
  });
  const healthy = (name: string, ok: boolean) => ({
    name,
    kind: 'http',
    healthy: ok,
    reason: ok ? 'HTTP 200' : 'HTTP 503',
    durationMs: 5,
  });
  store.recordSample(bad.id, { at: bad.start - 5000, phase: 'before', healthy: true, results: [healthy('api', true)] });
  for (let s = 0; s < 12; s++) {
    const ok = s < 2;
    store.recordSample(bad.id, { at: bad.start + s * 5000, phase: 'during', healthy: ok, results: [healthy('api', ok)] });
  }
  for (let s = 1; s <= 6; s++)
    store.recordSample(bad.id, {
      at: bad.start + 60_000 + s * 5000,
      phase: 'after',
      healthy: false,
      results: [healthy('api', false)],
    });
  store.setVerdict(bad.id, {
    kind: 'not-recovered',
    ttdMs: 10_000,
    ttrMs: null,
    detail: 'api still failing 30s after the fault ended',
  });

  const rollback = attack(3, 'db-1');
  store.finishAttack(rollback.id, {
    state: 'reverted',
    endedAt: rollback.start + 20_000,
    signal: 'SIGTERM',
    reason: XSS_REASON,
    rollbackOk: false,
  });
  const date = (back: number) => day(back).toISODate() ?? '';
  return {
    quiet: date(1),
    notRecovered: date(2),
    failedRollback: date(3),
    ids: { held: held.id, notRecovered: bad.id, failedRollback: rollback.id },
  };
}
