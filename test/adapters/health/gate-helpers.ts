import { Writable } from 'node:stream';
import pino from 'pino';
import { createHealthGate } from '../../../src/adapters/health/gate.js';
import { healthProviderSchema } from '../../../src/config/health-schema.js';
import type { HealthReport, ProviderResult } from '../../../src/domain/model.js';

export const fixedClock = { now: () => Date.UTC(2025, 5, 2, 12, 0, 0) };

/** A pino logger that keeps every line, so tests can check what was (not) logged. */
export function capturingLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

export const silentLogger = pino({ level: 'silent' });

/** Validates raw provider configs exactly as config loading would, then builds the gate. */
export function gateFor(
  raw: readonly unknown[],
  opts: { env?: NodeJS.ProcessEnv; gateTimeoutMs?: number; logger?: pino.Logger } = {},
) {
  return createHealthGate({
    providers: raw.map((r) => healthProviderSchema.parse(r)),
    clock: fixedClock,
    logger: opts.logger ?? silentLogger,
    env: opts.env ?? {},
    gateTimeoutMs: opts.gateTimeoutMs ?? 30_000,
  });
}

/** Runs a gate holding one provider and returns that provider's result. */
export async function checkOne(raw: unknown, opts: Parameters<typeof gateFor>[1] = {}): Promise<ProviderResult> {
  const report: HealthReport = await gateFor([raw], opts).check();
  const result = report.results[0];
  if (!result || report.results.length !== 1) throw new Error(`expected one result, got ${JSON.stringify(report)}`);
  if (report.healthy !== result.healthy) throw new Error('report.healthy disagrees with its only result');
  return result;
}
