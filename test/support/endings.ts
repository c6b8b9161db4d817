import type { LaunchResult } from '../../src/app/engine/attack-runner.js';
import type { ChatEvent } from '../../src/ports/chat.js';
import type { AuditEntry, Store } from '../../src/ports/store.js';
import type { Harness } from './bot-harness.js';

/**
 * Every launch the harness's runner answers from now on (a run-once, a tick), in the order they
 * settle: what a refusal said as data (its SkipCode), whatever words the reply put it in.
 */
export function launches(h: Harness): LaunchResult[] {
  const runner = h.bot.context.runner;
  const seen: LaunchResult[] = [];
  const request = runner.request.bind(runner);
  runner.request = async (req) => {
    const result = await request(req);
    seen.push(result);
    return result;
  };
  return seen;
}

/** The chat events of one kind, in the order they were told. */
export function eventsOf<K extends ChatEvent['kind']>(h: Harness, kind: K): Extract<ChatEvent, { kind: K }>[] {
  return h.chat.events.filter((e): e is Extract<ChatEvent, { kind: K }> => e.kind === kind);
}

/** The ids of the attacks a stop's `halted` event said it reverts, one list per stop that latched. */
export function reverting(h: Harness): string[][] {
  return eventsOf(h, 'halted').map((e) => e.reverting.map((r) => r.id));
}

/** The audit outcomes of one command, oldest first (ok, refused, invalid, error). */
export function audited(h: Harness, command: string): string[] {
  return h.store
    .auditBetween(0, Number.MAX_SAFE_INTEGER)
    .filter((a) => a.command === command)
    .map((a) => a.outcome);
}

/** The audit rows of one command in one store (a team's, in a fleet), oldest first: outcome, actor, action. */
export function auditRows(store: Pick<Store, 'auditBetween'>, command: string): AuditEntry[] {
  return store.auditBetween(0, Number.MAX_SAFE_INTEGER).filter((a) => a.command === command);
}
