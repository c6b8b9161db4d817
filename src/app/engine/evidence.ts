import { EVIDENCE_BEFORE_MS } from '../../domain/evidence.js';
import type { AttackRecord, HostDef } from '../../domain/model.js';
import type { ChatEvent } from '../../ports/chat.js';
import type { Flight } from './flight.js';
import type { RunnerDeps } from './runner-deps.js';

type EvidenceDeps = Pick<RunnerDeps, 'evidence' | 'clock' | 'timers' | 'config' | 'logger'>;

/**
 * The service's own metrics around a live attack, from 5 minutes before the fault to the end of its
 * verdict window (waited for when the verdict came sooner), kept, and told in its thread. Called once
 * the verdict is known; never holds the attack's slot.
 */
export function gatherEvidence(
  deps: EvidenceDeps,
  announce: (event: ChatEvent) => void,
  record: AttackRecord,
  flight: Flight,
): void {
  const ev = deps.evidence;
  const host = flight.legs[0]?.host;
  if (!ev || !host || record.dryRun || record.startedAt === null) return;
  const from = record.startedAt - EVIDENCE_BEFORE_MS;
  const windowMs = flight.attack?.recoveryMs ?? deps.config.verdict.recoveryWindow;
  const until = (record.endedAt ?? deps.clock.now()) + windowMs;
  const wait = until - deps.clock.now();
  if (wait > 0) deps.timers.after(wait, () => readEvidence(deps, announce, record, host, from));
  else readEvidence(deps, announce, record, host, from);
}

function readEvidence(
  deps: EvidenceDeps,
  announce: (event: ChatEvent) => void,
  record: AttackRecord,
  host: HostDef,
  from: number,
): void {
  const ev = deps.evidence;
  if (!ev) return;
  void ev.reader
    .read(record.attack, host, from, deps.clock.now())
    .then((read) => {
      if (read.length === 0) return;
      const series = read.flatMap((r) => (r.ok ? [r.series] : []));
      const failed = read.flatMap((r) => (r.ok ? [] : [{ title: r.title, why: r.why }]));
      try {
        ev.log.keep(record.id, series);
      } catch (error) {
        deps.logger.error({ err: error, id: record.id }, 'cannot keep the evidence');
      }
      announce({ kind: 'evidence', record, series, failed });
    })
    .catch((error) => deps.logger.error({ err: error, id: record.id }, 'cannot read the evidence'));
}
