import { attackEnv } from '../../domain/attack-env.js';
import { blastCount, drawHosts } from '../../domain/blast-radius.js';
import type { AbortWhy } from '../../domain/ending.js';
import type { LifeEvent } from '../../domain/lifecycle.js';
import {
  type AttackDef,
  type AttackRecord,
  failingText,
  type HealthReport,
  type ProbeRecord,
  type SkipCode,
} from '../../domain/model.js';
import { checkParams } from '../../domain/params.js';
import { eligibleHosts, pickAttack, pickRequested } from '../../domain/picker.js';
import { decide, type GateInput, healthSkip } from '../../domain/policy.js';
import type { ChatEvent, Progress } from '../../ports/chat.js';
import { asCodedError } from '../../ports/errors.js';
import { type AttackJob, type AttackResult, type RunningAttack, START_CANCELLED } from '../../ports/executor.js';
import { STORE_WRITE } from '../../ports/store.js';
import { abortText } from '../../words/endings.js';
import { who } from '../../words/format.js';
import { when } from '../../words/tokens.js';
import { type AttackRequest, type Flight, type LaunchResult, type Leg, newLeg, remoteId } from './flight.js';
import type { RecordKeeper } from './record-keeper.js';
import { hostReverted, revertLeg } from './run-legs.js';
import type { RunnerDeps } from './runner-deps.js';
import { toSample, Verification } from './verification.js';

/** Slack of the host-side timer beyond the attack's duration (kill-after and rollback). */
export const DEADLINE_GRACE_MS = 30_000;

/** What the launch asks of the runner that owns the flight. */
export interface LaunchSteps {
  readonly deps: RunnerDeps;
  readonly records: RecordKeeper;
  gateInput(request: AttackRequest, others: number): GateInput;
  /** After an await: still ours, still allowed? A refusal when not (the flight is cancelled). */
  recheck(flight: Flight): LaunchResult | null;
  /** Ends the flight before the host with a reason, and says so. */
  refused(flight: Flight, code: SkipCode, reason: string): LaunchResult;
  outcome(flight: Flight, code: SkipCode, reason: string): LaunchResult;
  /** Why the flight was cut short, in words; null when no abort was asked for. */
  abortWords(flight: Flight): string | null;
  apply(flight: Flight, event: LifeEvent): void;
  keepSample(id: string, sample: ProbeRecord): void;
  deviation(flight: Flight, report: HealthReport): void;
  checkUnconfirmed(flight: Flight): Promise<string | null>;
  /** One host's attack ended by itself: once every host's has, the run has. */
  legEnded(flight: Flight): void;
  announce(event: ChatEvent): void;
}

/** Hosts any attack of this team was recorded on within `schedule.hostCooldown`. */
function recentHosts(deps: RunnerDeps): Set<string> {
  const cooldown = deps.config.schedule.hostCooldown;
  if (!cooldown) return new Set();
  const since = deps.clock.now() - cooldown;
  return new Set(deps.store.history({ limit: 10_000, since }).map((r) => r.host));
}

/**
 * A scheduled attack's whole span (the fault, its recovery window and the cooldown after it) must
 * end before an approved game day's quiet period begins: else the drill would find its slot or
 * the cooldown taken. The reason names the game day; null when the span is clear.
 */
function quietReached(deps: RunnerDeps, attack: AttackDef): string | null {
  if (!deps.quiet) return null;
  const { config, clock } = deps;
  const now = clock.now();
  const span = attack.durationMs + (attack.recoveryMs ?? config.verdict.recoveryWindow) + config.schedule.cooldown;
  const drill = deps.quiet(now, now + span);
  if (!drill) return null;
  return `quiet before game day ${drill.name} at ${when(drill.at, config.timezone)}: ${attack.name} and its cooldown would reach into it`;
}

/** What failed in a report: its failing probes, from the results (never the skip's sentence). */
const failingIn = (report: HealthReport) => failingText(report.results.filter((r) => !r.healthy));

/**
 * One attack from its admission to running on the host: health, the draw, the steady state before,
 * the row, the next-contact check, pre-flight, the announcement, the start. After every await the
 * reservation is taken again (`recheck`); nothing touches the host once it no longer holds.
 */
export async function launch(steps: LaunchSteps, flight: Flight): Promise<LaunchResult> {
  const { deps, records } = steps;
  const { request } = flight;
  let health: HealthReport | 'forced' = 'forced';
  if (!request.force) {
    health = await deps.health.check();
    const cancelled = steps.recheck(flight);
    if (cancelled) return cancelled;
    try {
      deps.store.recordHealth(health);
    } catch (error) {
      return steps.refused(flight, 'store-error', `cannot record the health check: ${(error as Error).message}`);
    }
  }
  const rng = () => deps.random.next();
  const hosts = deps.hosts.all();
  const scheduled = request.asker === 'schedule' && request.window !== 'game-day';
  const decision = decide({
    ...steps.gateInput(request, 1),
    health,
    pick: () =>
      request.asker === 'schedule' && !request.want?.attack
        ? pickAttack(deps.config.attacks, hosts, rng, scheduled ? recentHosts(deps) : undefined)
        : pickRequested(deps.config.attacks, hosts, request.want ?? {}, rng),
  });
  if (decision.kind === 'skip') return steps.refused(flight, decision.code, decision.reason);
  const { attack, host } = decision;
  if (scheduled) {
    const yieldTo = quietReached(deps, attack);
    if (yieldTo) return steps.refused(flight, 'cooldown', yieldTo);
    if (decision.note) deps.logger.info({ attack: attack.name, host: host.name }, decision.note);
  }
  flight.attack = attack;
  flight.host = host;
  // Bounds are checked again here whoever asked (run-once checks them before admission).
  const params = checkParams(attack, request.want?.params ?? {});
  if (!params.ok) return steps.refused(flight, 'invalid', params.reason);
  flight.params = params.values;
  const eligible = eligibleHosts(attack, hosts);
  const size = blastCount(attack.blastRadius, eligible.length, request.want?.blast ?? {});
  flight.capped = size.capped;
  flight.legs = drawHosts(eligible, size.count, host, rng).map(newLeg);
  // Before: the attack's steady state (its own probes and the global ones) must hold, as the
  // health gate does: refused before anything is recorded or announced.
  const probes = deps.steadyState.probesFor(attack, flight.legs[0]?.host);
  const before = probes ? await probes.check() : null;
  const afterProbes = steps.recheck(flight);
  if (afterProbes) return afterProbes;
  // The report that did not hold, when it did not (the gate's own rule, healthSkip).
  const deviating = before && healthSkip(before) ? before : null;
  if (deviating && !request.force) {
    return steps.refused(flight, 'unhealthy', `the steady state does not hold before the attack (${failingIn(deviating)})`);
  }
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
    return steps.refused(
      flight,
      'store-error',
      coded.code === STORE_WRITE ? coded.message : `cannot record the attack: ${coded.message}`,
    );
  }
  if (!record) return steps.refused(flight, 'no-host', `no host matches ${attack.name}`);
  steps.apply(flight, { kind: 'recorded' });
  if (before) {
    steps.keepSample(record.id, {
      at: before.checkedAt,
      phase: 'before',
      healthy: toSample(before).healthy,
      results: before.results,
    });
  }
  for (const leg of flight.legs) {
    const id = remoteId(deps.store, leg.id as string);
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

  const by = request.trigger.kind === 'user' ? who(request.trigger.user) : 'the schedule';
  const notes = [
    ...(request.force ? [`Health gate skipped (--force by ${by}) for this attack's whole life.`] : []),
    ...(flight.capped ? [`Blast radius: ${flight.legs.length} of ${eligible.length} eligible hosts (${flight.capped}).`] : []),
  ];
  const note = notes.length ? notes.join(' ') : undefined;
  // Pre-flight before the announcement: a host that refuses the attack (no sudo, a command missing,
  // a fault that may remain) is told as "not started", never after a LIVE alarm for it.
  if (!deps.config.dryRun) {
    const left = await steps.checkUnconfirmed(flight);
    const afterCheck = steps.recheck(flight);
    if (afterCheck) return afterCheck;
    if (left) {
      return steps.refused(flight, 'preflight', `pre-flight: ${left}; not attacking a host where an earlier fault may remain`);
    }
  }
  const pres = await Promise.all(flight.legs.map((leg) => deps.executor.preflight(leg.job as AttackJob)));
  const afterPreflight = steps.recheck(flight);
  if (afterPreflight) return afterPreflight;
  const failed = pres.findIndex((p) => !p.ok);
  const pre = pres[failed];
  if (pre && !pre.ok) {
    const on = flight.legs.length > 1 ? ` on ${flight.legs[failed]?.host.name}` : '';
    return steps.refused(flight, 'preflight', `pre-flight${on}: ${pre.reason}`);
  }
  const posted = await deps.announcer.announceStart({ kind: 'attack-started', record, attack, ...(note ? { note } : {}) });
  const afterPost = steps.recheck(flight);
  if (afterPost) return afterPost;
  if (!posted.ok) {
    return steps.refused(
      flight,
      'announce',
      `the announcement could not be posted (${posted.reason}); no announcement, no attack`,
    );
  }
  // No probe at all (no `health:`, no `steadyState:`): nothing can say whether it survived.
  if (probes) {
    flight.verification = new Verification(
      {
        clock: deps.clock,
        timers: deps.timers,
        logger: deps.logger,
        probeIntervalMs: deps.config.verdict.probeInterval,
        windowMs: attack.recoveryMs ?? deps.config.verdict.recoveryWindow,
        record: (sample) => steps.keepSample(record.id, sample),
      },
      attack,
      probes,
      (report) => steps.deviation(flight, report),
    );
    if (deviating) {
      flight.verification.noVerdict(
        `no verdict: the steady state did not hold before the attack (${failingIn(deviating)}; --force)`,
      );
    }
  }
  return start(steps, flight, record);
}

async function start(steps: LaunchSteps, flight: Flight, record: AttackRecord): Promise<LaunchResult> {
  const { deps, records } = steps;
  steps.apply(flight, { kind: 'start' });
  // Each host on its own: a stop cancels the starts not yet sent, and reverts each host that did
  // start as soon as THAT host's start settles (a hung host does not hold the healthy ones).
  const stopped = () => flight.cancelStart.signal.aborted;
  const revertEarly = (leg: Leg) => {
    if (!leg.running || leg.reverting) return;
    const reason = steps.abortWords(flight) ?? 'stopped';
    void revertLeg(leg, reason).then((result) => {
      const current = flight.id === null ? undefined : records.get(flight.id);
      const deadlineAt = current?.deadlineAt ?? deps.clock.now();
      // One host: its end follows at once; several: each is told as it arrives.
      if (current && flight.legs.length > 1)
        steps.announce({ kind: 'attack-progress', record: current, progress: hostReverted(leg, result, deadlineAt) });
    });
  };
  const onStop = () => {
    for (const leg of flight.legs) revertEarly(leg);
  };
  flight.cancelStart.signal.addEventListener('abort', onStop, { once: true });
  const starts = await Promise.allSettled(
    // Through a promise each: a start that throws at once is that host's failure, not the run's.
    flight.legs.map((leg) =>
      Promise.resolve()
        .then(() => deps.executor.start(leg.job as AttackJob, flight.cancelStart.signal))
        .then((running) => {
          leg.running = running;
          if (stopped()) revertEarly(leg);
          return running;
        }),
    ),
  );
  flight.cancelStart.signal.removeEventListener('abort', onStop);
  const failures: string[] = [];
  starts.forEach((s, i) => {
    const leg = flight.legs[i] as Leg;
    if (s.status === 'fulfilled') leg.running = s.value;
    else if (asCodedError(s.reason).code !== START_CANCELLED) {
      leg.startError = (s.reason as Error).message;
      failures.push(flight.legs.length > 1 ? `on ${leg.host.name}: ${leg.startError}` : leg.startError);
    }
  });
  const started = flight.legs.filter((l) => l.running !== null);
  if (started.length === 0) {
    if (failures.length === 0) {
      steps.apply(flight, { kind: 'start-cancelled' });
      return steps.outcome(flight, 'cancelled', steps.abortWords(flight) ?? 'stopped');
    }
    const why = flight.legs.length === 1 ? `could not start: ${failures[0]}` : `could not start ${failures.join('; ')}`;
    flight.refusal = { code: 'start-failed', why };
    steps.apply(flight, { kind: 'start-failed' });
    return steps.outcome(flight, 'start-failed', why);
  }
  for (const leg of started) {
    (leg.running as RunningAttack).done.then(
      (result) => {
        leg.result = result;
        steps.legEnded(flight);
      },
      (error) => {
        leg.result = crashed(error, deps.clock.now());
        steps.legEnded(flight);
      },
    );
  }
  steps.apply(flight, { kind: 'started' });
  if (failures.length > 0) {
    // Some hosts run it, others could not start it: one run, so the started ones are reverted.
    const why: AbortWhy = { kind: 'start-failed', failures };
    const reason = abortText(why, deps.config.timezone);
    flight.refusal = { code: 'start-failed', why: reason };
    steps.apply(flight, { kind: 'abort', why });
    return steps.outcome(flight, 'start-failed', `${reason}; the hosts that started it are being reverted`);
  }
  if (flight.life.phase !== 'running') {
    // It touched hosts: not "cancelled". Stopped while starting, each host is being reverted.
    const on = started.map((l) => l.host.name).join(', ');
    return steps.outcome(
      flight,
      'stopped',
      `${steps.abortWords(flight) ?? 'stopped'}; it had started on ${on} and is being reverted${started.length > 1 ? " (each host's result follows as it arrives)" : ''}`,
    );
  }
  const progress: Progress = deps.config.dryRun ? { kind: 'dry-run' } : { kind: 'started', hosts: hostsText(flight) };
  const current = records.get(record.id) ?? record;
  steps.announce({ kind: 'attack-progress', record: current, progress });
  return { ok: true, record: current };
}

function hostsText(flight: Flight): string {
  return flight.legs.length > 1 ? `${flight.legs.length} hosts` : 'the host';
}

function crashed(error: unknown, endedAt: number): AttackResult {
  return {
    outcome: 'failed',
    exitCode: null,
    signal: null,
    outputTail: '',
    rollbackOk: false,
    reason: `executor error: ${(error as Error)?.message ?? String(error)}`,
    endedAt,
  };
}
