import type { HealthReport, TickOutcome } from '../domain/model.js';
import { decide, gate, healthSkip } from '../domain/policy.js';
import type { AppContext } from './context.js';

function skipped(code: Extract<TickOutcome, { kind: 'skipped' }>['code'], reason: string): TickOutcome {
  return { kind: 'skipped', code, reason };
}

/**
 * One scheduler tick: the cheap gates, then the health gate, then a weighted draw and a launch.
 * Every tick records its outcome so `status` can say why nothing happened. Never throws.
 */
export async function tick(ctx: AppContext): Promise<TickOutcome> {
  const now = ctx.clock.now();
  let outcome: TickOutcome;
  try {
    outcome = await decideAndLaunch(ctx, now);
  } catch (error) {
    ctx.logger.error({ err: error }, 'tick failed');
    outcome = skipped('error', `tick failed: ${(error as Error).message}`);
  }
  try {
    ctx.store.recordTick(now, outcome);
  } catch (error) {
    ctx.logger.error({ err: error, outcome }, 'cannot record the tick');
  }
  ctx.logger.info({ outcome }, 'tick');
  return outcome;
}

async function decideAndLaunch(ctx: AppContext, now: number): Promise<TickOutcome> {
  const state = ctx.latch.state();
  const gateInput = { now, state, inFlight: ctx.runner.inFlightCount, hours: ctx.hours, hearing: ctx.ears.hearing() };
  const early = gate(gateInput);
  if (early) return skipped(early.code, early.reason);

  const health: HealthReport = await ctx.health.check();
  try {
    ctx.store.recordHealth(health);
  } catch (error) {
    return skipped('store-error', `cannot record the health check: ${(error as Error).message}`);
  }
  const unhealthy = healthSkip(health);
  if (unhealthy) return skipped(unhealthy.code, unhealthy.reason);

  // The world may have moved while health was checked (a stop, a run-once): ask again.
  const decision = decide({
    ...gateInput,
    state: ctx.latch.state(),
    inFlight: ctx.runner.inFlightCount,
    hearing: ctx.ears.hearing(),
    now: ctx.clock.now(),
    health,
    attacks: ctx.config.attacks,
    hosts: ctx.config.hosts,
    rng: () => ctx.random.next(),
  });
  if (decision.kind === 'skip') return skipped(decision.code, decision.reason);
  const launched = await ctx.runner.launch(decision.attack, decision.host, { kind: 'schedule' });
  if (!launched.ok) {
    const code = launched.reason.startsWith('pre-flight') ? 'preflight' : launched.record ? 'error' : 'store-error';
    return skipped(code, `${decision.attack.name} on ${decision.host.name}: ${launched.reason}`);
  }
  return { kind: 'attacked', attackId: launched.record.id, attack: decision.attack.name, host: decision.host.name };
}
