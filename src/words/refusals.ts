/**
 * Why an attack did not start, in words, from the refusal's data (domain/refusal.ts): one sentence
 * fragment each, which replies, ticks and notices wrap ("Not starting: …."). Every kind renders;
 * test/words/refusals.test.ts sweeps them. Why a started attack was cut short (`abortText`) is told
 * here too: a gate's abort is told by its refusal, a cancelled refusal by its abort.
 */
import { formatDuration } from '../domain/duration.js';
import { type AttackRecord, failingText, type Halt } from '../domain/model.js';
import { type AbortWhy, type KeptRefusal, type Refusal, refusalCode, type Unfit } from '../domain/refusal.js';
import { paramProblemText } from './arg-problems.js';
import { shutdownText } from './common.js';
import { who } from './format.js';
import { type InFlight, inFlightText } from './halt-replies.js';
import { faultLeftText } from './host-ends.js';
import { when } from './tokens.js';

/** Who latched the halt, when, and why. */
export function haltText(halt: Halt, timezone: string): string {
  return `halted by ${who(halt.by)} at ${when(halt.at, timezone)}${halt.reason ? `: ${halt.reason}` : ''}`;
}

function unfitText(u: Unfit): string {
  switch (u.kind) {
    case 'tags':
      return `targets tags ${u.tags.join(', ')}`;
    case 'names':
      return `targets names ${u.names}`;
    case 'excluded':
      return `excludes ${u.exclude.join(', ')}`;
    case 'host-vars':
      return `needs host vars ${u.vars.join(', ')}`;
  }
}

const NO_ATTACK = {
  'no-weight': 'no attack has a weight above 0',
  'not-drawn': 'no attack could be drawn',
  'none-fits': 'no attack with a weight above 0 fits any configured host',
} as const;

/** Why an attack was cut short, in a few words: "stopped by <@U1>: deploy", "health check failed: api: HTTP 500". */
export function abortText(why: AbortWhy, timezone: string): string {
  switch (why.kind) {
    case 'stopped':
      // A halt found latched after a wait is told as the gate tells it (with when it was latched).
      return why.at === undefined
        ? `stopped by ${who(why.by)}${why.note ? `: ${why.note}` : ''}`
        : haltText({ by: why.by, at: why.at, reason: why.note }, timezone);
    case 'health':
      return `health check failed: ${why.failing}`;
    case 'deviation':
      return `steady state deviated: ${why.failing}`;
    case 'deaf':
      return why.forMs === null
        ? `cannot hear stop: ${why.why}`
        : `could not hear \`stop\` for ${formatDuration(why.forMs)} (${why.why})`;
    case 'shutdown':
      return shutdownText(why.signal);
    case 'gate':
      return refusalText(why.refusal, timezone);
    case 'start-failed':
      return `could not start ${why.failures.join('; ')}`;
  }
}

/** A refusal in words; one an earlier version kept as words alone (`told`) is told as it was. */
export function refusalText(r: KeptRefusal, timezone: string): string {
  switch (r.kind) {
    case 'told':
      return r.text;
    case 'halted':
      return haltText(r.halt, timezone);
    case 'in-flight':
      return 'an attack is in flight';
    case 'closed':
      return `outside business hours: ${r.opens === null ? 'not in the next two weeks' : `opens ${when(r.opens, timezone, 'ccc HH:mm')}`}`;
    case 'cooldown':
      return `cooldown until ${when(r.until, timezone)}`;
    case 'quiet': {
      const reach = r.attack ? `: ${r.attack} and its cooldown would reach into it` : '';
      return `quiet before game day ${r.gameDay} at ${when(r.at, timezone)}${reach}`;
    }
    case 'deaf':
      return `cannot hear stop: ${r.cause}`;
    case 'unhealthy':
      return `unhealthy: ${failingText(r.failing)}`;
    case 'not-steady':
      return `the steady state does not hold before the attack (${failingText(r.failing)})`;
    case 'no-attack':
      return NO_ATTACK[r.why];
    case 'no-host':
      return r.attack === null
        ? 'no host matches the targets of any attack with a weight above 0'
        : `no host matches ${r.attack}`;
    case 'unfit':
      return `${r.attack} does not run on ${r.host} (it ${unfitText(r.why)})`;
    case 'invalid':
      return paramProblemText(r.problem);
    case 'fault-remains':
      return `pre-flight: ${r.left.map((l) => faultLeftText(l, timezone)).join('; ')}; not attacking a host where an earlier fault may remain`;
    case 'preflight':
      return `pre-flight${r.host ? ` on ${r.host}` : ''}: ${r.cause}`;
    case 'announce':
      return `the announcement could not be posted (${r.cause}); no announcement, no attack`;
    case 'store':
      return r.what === null ? r.cause : `cannot record the ${r.what === 'health' ? 'health check' : 'attack'}: ${r.cause}`;
    case 'cancelled':
      return r.why ? abortText(r.why, timezone) : 'stopped';
    case 'stopped': {
      const each = r.hosts.length > 1 ? " (each host's result follows as it arrives)" : '';
      return `${r.why ? abortText(r.why, timezone) : 'stopped'}; it had started on ${r.hosts.join(', ')} and is being reverted${each}`;
    }
    case 'start-failed': {
      const failed = r.single && !r.reverting ? `could not start: ${r.failures[0]}` : `could not start ${r.failures.join('; ')}`;
      return r.reverting ? `${failed}; the hosts that started it are being reverted` : failed;
    }
    case 'error':
      return `${r.during === 'tick' ? 'tick failed' : 'error'}: ${r.cause}`;
  }
}

/**
 * A person's run-once that did not start, as the reply says it: the refusal, what to do about it
 * where something can be done, and the attack's row when it had one. `inFlight` names what holds
 * the slot (for `in-flight`).
 */
export function notStartedText(
  a: { readonly refusal: Refusal; readonly record: AttackRecord | null; readonly inFlight: readonly InFlight[] },
  timezone: string,
): string {
  const reason = refusalText(a.refusal, timezone);
  const id = a.record ? ` (#${a.record.id})` : '';
  const what = a.record ? `${a.record.attack} on ${a.record.host}` : 'the attack';
  switch (refusalCode(a.refusal)) {
    case 'halted':
      return `Not starting: ${reason}. An admin can \`start\` to resume.`;
    case 'in-flight':
      return `Not starting: an attack is in flight (${inFlightText(a.inFlight)}). One at a time.`;
    case 'unhealthy':
      return `Not starting: ${reason}. An admin may add \`--force\` to skip the health gate for this attack's whole life.`;
    case 'cancelled':
      // The reason says who or what cancelled it ("stopped by …", deafness, a shutdown).
      return `Cancelled${id}: ${reason}.`;
    case 'stopped':
      return `Reverting${id} ${what}: ${reason}.`;
    case 'deaf':
    case 'no-attack':
    case 'no-host':
    case 'closed':
    case 'cooldown':
      return `Not starting: ${reason}.`;
    default:
      return `${what} did not start${id}: ${reason}`;
  }
}
