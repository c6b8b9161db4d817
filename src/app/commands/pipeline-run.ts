import { isOpen, nextOpening } from '../../domain/business-hours.js';
import { type AttackRecord, isFinal, type SkipCode } from '../../domain/model.js';
import { checkParams } from '../../domain/params.js';
import { pickRequested } from '../../domain/picker.js';
import { refusalCode } from '../../domain/refusal.js';
import type { PipelineAnswer, PipelineRequest } from '../../ports/pipeline.js';
import { type PipelineStepAnswer, pipelineStepText, verdictText } from '../../words/command-replies.js';
import type { AppContext } from '../context.js';
import { auditCommand } from './commands.js';
import { stop } from './halt.js';

/** Exit codes of a pipeline step (docs/operations.md "Pipeline step"). */
export const EXIT = { ok: 0, runtime: 1, usage: 2, notRecovered: 3, refused: 4, failed: 5 } as const;

/** Refusals a pipeline should read as "the bot said no" (4); the others are the caller's mistake or a failure. */
const REFUSED: readonly SkipCode[] = ['halted', 'in-flight', 'closed', 'cooldown', 'deaf', 'unhealthy'];

function text(req: PipelineRequest): string {
  const params = Object.entries(req.params).map(([k, v]) => `${k}=${v}`);
  return ['run-once', req.attack, ...(req.host ? [req.host] : []), ...params].join(' ');
}

/**
 * A pipeline's `run-once ATTACK [HOST] [NAME=VALUE…]` through the same admission, announcement,
 * Stop button and verdict as a chat run-once, as `pipeline:<user>`, audited. Unlike a chat
 * run-once it keeps to business hours (a pipeline runs at any hour; people may not be there).
 * Returns once admitted (the answer's record) or refused (code 2, 4 or 5).
 */
export async function admitPipeline(
  ctx: Pick<AppContext, 'clock' | 'config' | 'hosts' | 'hours' | 'logger' | 'runner' | 'store'>,
  req: PipelineRequest,
): Promise<PipelineAnswer> {
  const actor = `pipeline:${req.user}`;
  const answer = await admit(ctx, req, actor);
  auditCommand(ctx, { text: text(req), actor, transport: 'control' }, 'run-once', answer.code === EXIT.ok ? 'ok' : 'refused', {
    text: answer.message,
  });
  return answer;
}

async function admit(
  ctx: Pick<AppContext, 'clock' | 'config' | 'hosts' | 'hours' | 'runner'>,
  req: PipelineRequest,
  actor: string,
): Promise<PipelineAnswer> {
  const { config } = ctx;
  const said = (code: number, a: PipelineStepAnswer, record?: AttackRecord): PipelineAnswer => ({
    code,
    message: pipelineStepText(a, config.timezone),
    ...(record ? { record } : {}),
  });
  const attack = config.attacks.find((a) => a.name === req.attack);
  if (!attack) {
    const known = config.attacks.map((a) => a.name);
    return said(EXIT.usage, { kind: 'unknown-name', what: 'attack', name: req.attack, known });
  }
  const hosts = ctx.hosts.all();
  const host = req.host === undefined ? undefined : hosts.find((h) => h.name === req.host);
  if (req.host !== undefined && !host) {
    const known = hosts.map((h) => h.name);
    return said(EXIT.usage, { kind: 'unknown-name', what: 'host', name: req.host, known });
  }
  const fit = pickRequested(config.attacks, hosts, { attack, host }, () => 0);
  if (fit.kind === 'none') return said(EXIT.usage, { kind: 'refused', refusal: fit.refusal });
  const checked = checkParams(attack, req.params);
  if (!checked.ok) return said(EXIT.usage, { kind: 'bad-params', problem: checked.problem });
  const now = ctx.clock.now();
  if (!isOpen(now, ctx.hours)) {
    return said(EXIT.refused, { kind: 'closed', opens: nextOpening(now, ctx.hours), zone: ctx.hours.timezone });
  }
  const launched = await ctx.runner.request({
    asker: 'user',
    trigger: { kind: 'user', user: actor },
    want: { attack, host, params: req.params },
    force: false,
  });
  if (launched.ok) return said(EXIT.ok, { kind: 'started', record: launched.record }, launched.record);
  const code = REFUSED.includes(refusalCode(launched.refusal)) ? EXIT.refused : launched.record ? EXIT.failed : EXIT.usage;
  return {
    code,
    message: pipelineStepText({ kind: 'refused', refusal: launched.refusal }, config.timezone),
    record: launched.record,
  };
}

/** How often the step's wait looks at the record. */
const POLL_MS = 500;

/**
 * Waits for the attack's end and verdict (the flight keeps its slot until the verdict is known),
 * then maps it to the step's exit code: 0 held or recovered (or no probes to judge by), 3 not
 * recovered, 5 failed, orphaned, cancelled or no verdict.
 */
export function awaitVerdict(
  ctx: Pick<AppContext, 'runner' | 'store' | 'timers'>,
  id: string,
): { done: Promise<PipelineAnswer>; cancel: () => void } {
  let timer: (() => void) | null = null;
  let cancelled = false;
  const done = new Promise<PipelineAnswer>((resolve) => {
    const look = () => {
      if (cancelled) return;
      const record = ctx.store.getAttack(id);
      const flying = ctx.runner.list().some((f) => f.id === id || f.legs.some((l) => l.id === id));
      if (record && isFinal(record.state) && !flying) {
        resolve(verdictAnswer(record));
        return;
      }
      timer = ctx.timers.after(POLL_MS, look);
    };
    look();
  });
  return {
    done,
    cancel: () => {
      cancelled = true;
      timer?.();
    },
  };
}

export function verdictAnswer(record: AttackRecord): PipelineAnswer {
  const line = verdictText(record);
  if (record.verdict === 'not-recovered') return { code: EXIT.notRecovered, message: line, record };
  if (record.state === 'completed' || record.state === 'reverted') {
    if (record.verdict === null || record.verdict === 'held' || record.verdict === 'recovered') {
      return { code: EXIT.ok, message: line, record };
    }
  }
  return { code: EXIT.failed, message: line, record };
}

/**
 * The step was interrupted (Ctrl-C, SIGTERM, its connection gone): a real `stop` by
 * `pipeline:<user>`. It reverts the attack and latches the halt, as a stop in chat does: the safe side.
 */
export function interruptPipeline(
  ctx: Pick<AppContext, 'clock' | 'config' | 'latch' | 'logger' | 'runner' | 'store'>,
  user: string,
): string {
  const actor = `pipeline:${user}`;
  const { reply, outcome, action } = stop(ctx, actor, 'the pipeline step was interrupted');
  auditCommand(ctx, { text: 'stop', actor, transport: 'control' }, 'stop', outcome, reply, action);
  return reply.text;
}
