/** One attack from its admission to running on its hosts: the gates, the draw, the rows, pre-flight, the announcement. */
import { attackEnv } from '../../domain/attack-env.js';
import { blastCount, drawHosts } from '../../domain/blast-radius.js';
import type { AttackDef, AttackRecord, HealthReport } from '../../domain/model.js';
import { checkParams } from '../../domain/params.js';
import { eligibleHosts, pickAttack, pickRequested } from '../../domain/picker.js';
import { decide, failingOf, healthSkip } from '../../domain/policy.js';
import type { Refusal } from '../../domain/refusal.js';
import type { StartNote } from '../../ports/chat.js';
import { asCodedError, errorMessage } from '../../ports/errors.js';
import { STORE_WRITE } from '../../ports/store.js';
import { type Flight, jobOf, legId, newLeg, remoteId } from './flight.js';
import { type FlightControl, keepSample, type LaunchContext } from './launch-context.js';
import { checkFlight } from './next-contact.js';
import type { RunnerDeps } from './runner-deps.js';
import { toSample, Verification } from './verification.js';

/** Slack of the host-side timer beyond the attack's duration (kill-after and rollback). */
export const DEADLINE_GRACE_MS = 30_000;

export type { FlightControl, LaunchContext };

/** Hosts any attack of this team was recorded on within `schedule.hostCooldown`. */
function recentHosts(deps: Pick<RunnerDeps, 'config' | 'clock' | 'store'>): Set<string> {
  const cooldown = deps.config.schedule.hostCooldown;
  if (!cooldown) return new Set();
  const since = deps.clock.now() - cooldown;
  return new Set(deps.store.history({ limit: 10_000, since }).map((r) => r.host));
}

/**
 * A scheduled attack's whole span (the fault, its recovery window and the cooldown after it) must
 * end before an approved game day's quiet period begins: else the drill would find its slot or
 * the cooldown taken. The refusal names the game day; null when the span is clear.
 */
function quietReached(deps: Pick<RunnerDeps, 'config' | 'clock' | 'quiet'>, attack: AttackDef): Refusal | null {
  if (!deps.quiet) return null;
  const { config, clock } = deps;
  const now = clock.now();
  const span = attack.durationMs + (attack.recoveryMs ?? config.verdict.recoveryWindow) + config.schedule.cooldown;
  const drill = deps.quiet(now, now + span);
  if (!drill) return null;
  return { kind: 'quiet', gameDay: drill.name, at: drill.at, attack: attack.name };
}

/** How a launch ends: ready to start on its hosts, or refused, as data (the runner refuses it). */
export type LaunchEnd =
  | { readonly kind: 'ready'; readonly record: AttackRecord }
  | { readonly kind: 'refuse'; readonly refusal: Refusal };

const refuse = (refusal: Refusal): LaunchEnd => ({ kind: 'refuse', refusal });

/**
 * One attack from its admission to the start on its hosts: health, the draw, the steady state
 * before, the rows, the next-contact check, pre-flight, the announcement. It yields right after
 * every await: the runner then takes the reservation again and does not resume it when that no
 * longer holds, so nothing touches a host after a stop. It ends ready, or refused (as data: the
 * runner carries the refusal out).
 */
export async function* launch(ctx: LaunchContext, control: FlightControl, flight: Flight): AsyncGenerator<void, LaunchEnd, void> {
  const { deps } = ctx;
  const { request } = flight;
  let health: HealthReport | 'forced' = 'forced';
  if (!request.force) {
    health = await deps.health.check();
    yield;
    try {
      deps.store.recordHealth(health);
    } catch (error) {
      return refuse({ kind: 'store', what: 'health', cause: errorMessage(error) });
    }
  }
  const rng = () => deps.random.next();
  const hosts = deps.hosts.all();
  const scheduled = request.asker === 'schedule' && request.window !== 'game-day';
  const decision = decide({
    ...control.gateInput(),
    health,
    pick: () =>
      request.asker === 'schedule' && !request.want?.attack
        ? pickAttack(deps.config.attacks, hosts, rng, scheduled ? recentHosts(deps) : undefined)
        : pickRequested(deps.config.attacks, hosts, request.want ?? {}, rng),
  });
  if (decision.kind === 'skip') return refuse(decision.refusal);
  const { attack, host } = decision;
  if (scheduled) {
    const yieldTo = quietReached(deps, attack);
    if (yieldTo) return refuse(yieldTo);
    if (decision.note) deps.logger.info({ attack: attack.name, host: host.name }, decision.note);
  }
  flight.attack = attack;
  flight.host = host;
  // Bounds are checked again here whoever asked (run-once checks them before admission).
  const params = checkParams(attack, request.want?.params ?? {});
  if (!params.ok) return refuse({ kind: 'invalid', problem: params.problem });
  flight.params = params.values;
  const eligible = eligibleHosts(attack, hosts);
  const size = blastCount(attack.blastRadius, eligible.length, request.want?.blast ?? {});
  flight.capped = size.capped;
  flight.legs = drawHosts(eligible, size.count, host, rng).map(newLeg);
  // Before: the attack's steady state (its own probes and the global ones) must hold, as the
  // health gate does: refused before anything is recorded or announced.
  const probes = deps.steadyState.probesFor(attack, flight.legs[0]?.host);
  const before = probes ? await probes.check() : null;
  yield;
  // The report that did not hold, when it did not (the gate's own rule, healthSkip).
  const deviating = before && healthSkip(before) ? before : null;
  if (deviating && !request.force) {
    return refuse({ kind: 'not-steady', failing: failingOf(deviating) });
  }
  const record = writeRows(ctx, flight, attack);
  if ('kind' in record) return record; // refused: the store could not write
  control.apply({ kind: 'recorded', hosts: flight.legs.length });
  if (before) {
    keepSample(ctx.records, record.id, {
      at: before.checkedAt,
      phase: 'before',
      healthy: toSample(before).healthy,
      results: before.results,
    });
  }
  prepareJobs(deps, flight, attack);
  const note = startNote(request, flight, eligible.length);
  const notStarted = yield* preflightAndAnnounce(ctx, flight, record, attack, note);
  if (notStarted) return notStarted;
  if (probes) watchSteadyState(ctx, control, flight, record, attack, probes, deviating);
  return { kind: 'ready', record };
}

/** One row per host; the first is the run's: the record, or the refusal when the store cannot write. */
function writeRows(ctx: LaunchContext, flight: Flight, attack: AttackDef): AttackRecord | LaunchEnd {
  const { deps, records } = ctx;
  const { request } = flight;
  const now = deps.clock.now();
  const hostNames = flight.legs.map((l) => l.host.name);
  let record: AttackRecord | undefined;
  try {
    // One row per host; the first is the run's. A write that fails leaves the rows written so far
    // to the refusal, which ends them: nothing is left pending.
    for (const leg of flight.legs) {
      const written = records.insert({
        attack: attack.name,
        host: leg.host.name,
        trigger: request.trigger,
        dryRun: deps.config.dryRun,
        createdAt: now,
        deadlineAt: now + attack.durationMs + DEADLINE_GRACE_MS,
        durationMs: attack.durationMs,
        params: flight.params,
        ...(record ? { runId: record.id } : { hosts: hostNames }),
      });
      leg.id = written.id;
      if (!record) {
        record = written;
        flight.id = written.id;
      }
    }
  } catch (error) {
    // The store's own errors already say what could not be recorded; anything else is said here.
    const coded = asCodedError(error);
    return refuse({ kind: 'store', what: coded.code === STORE_WRITE ? null : 'attack', cause: coded.message });
  }
  return record ?? refuse({ kind: 'no-host', attack: attack.name });
}

/** Each host's job: its remote id and the attack's environment there. */
function prepareJobs(deps: LaunchContext['deps'], flight: Flight, attack: AttackDef): void {
  for (const leg of flight.legs) {
    const id = remoteId(deps.store, legId(leg));
    const env = attackEnv({
      id,
      attack,
      host: leg.host,
      durationMs: attack.durationMs,
      botAddresses: deps.botAddresses,
      params: flight.params,
    });
    leg.job = { id, attack, host: leg.host, durationMs: attack.durationMs, env };
  }
}

/** What the announcement must carry: a forced health gate, a capped blast radius; undefined when neither. */
function startNote(request: Flight['request'], flight: Flight, eligible: number): StartNote | undefined {
  if (!request.force && !flight.capped) return undefined;
  return {
    ...(request.force ? { forcedBy: request.trigger } : {}),
    ...(flight.capped ? { capped: { hosts: flight.legs.length, eligible, why: flight.capped } } : {}),
  };
}

/**
 * Pre-flight before the announcement: a host that refuses the attack (no sudo, a command missing,
 * a fault that may remain) is told as "not started", never after a LIVE alarm for it. Then the
 * announcement: no announcement, no attack. The refusal, or null to go on.
 */
async function* preflightAndAnnounce(
  ctx: LaunchContext,
  flight: Flight,
  record: AttackRecord,
  attack: AttackDef,
  note: StartNote | undefined,
): AsyncGenerator<void, LaunchEnd | null, void> {
  const { deps } = ctx;
  if (!deps.config.dryRun) {
    const left = await checkFlight(ctx, flight);
    yield;
    if (left) return refuse({ kind: 'fault-remains', left });
  }
  const pres = await Promise.all(flight.legs.map((leg) => deps.executor.preflight(jobOf(leg))));
  yield;
  const failed = pres.findIndex((p) => !p.ok);
  const pre = pres[failed];
  if (pre && !pre.ok) {
    const on = flight.legs.length > 1 ? (flight.legs[failed]?.host.name ?? null) : null;
    return refuse({ kind: 'preflight', host: on, cause: pre.reason });
  }
  const posted = await deps.announcer.announceStart({ kind: 'attack-started', record, attack, ...(note ? { note } : {}) });
  yield;
  if (!posted.ok) return refuse({ kind: 'announce', cause: posted.reason });
  return null;
}

/** The verdict's probes from the fault's start; a steady state that did not hold before means no verdict. */
function watchSteadyState(
  ctx: LaunchContext,
  control: FlightControl,
  flight: Flight,
  record: AttackRecord,
  attack: AttackDef,
  probes: NonNullable<ReturnType<LaunchContext['deps']['steadyState']['probesFor']>>,
  deviating: HealthReport | null,
): void {
  const { deps } = ctx;
  flight.verification = new Verification(
    {
      clock: deps.clock,
      timers: deps.timers,
      logger: deps.logger,
      probeIntervalMs: deps.config.verdict.probeInterval,
      windowMs: attack.recoveryMs ?? deps.config.verdict.recoveryWindow,
      record: (sample) => keepSample(ctx.records, record.id, sample),
    },
    attack,
    probes,
    (report) => control.deviation(report),
  );
  if (deviating) {
    flight.verification.noVerdict({ kind: 'not-steady', failing: failingOf(deviating) });
  }
}
