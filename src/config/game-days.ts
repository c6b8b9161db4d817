import cron from 'node-cron';
import type { GameDayDef } from '../domain/game-day.js';
import type { CronFields } from '../domain/game-day-schedule.js';
import type { AttackDef } from '../domain/model.js';
import { checkParams } from '../domain/params.js';
import { paramProblemText } from '../words/arg-problems.js';
import type { GameDayRaw } from './game-day-schema.js';

/** node-cron's expansion of a five-field expression, or why it cannot be a game day's `at:`. */
export function cronFields(at: string): CronFields | string {
  const expected = `expected a five-field cron expression (minute hour day month weekday) such as "0 14 * * fri", got "${at}"`;
  const fields = at.trim().split(/\s+/);
  if (fields.length !== 5 || !cron.validate(at)) return expected;
  const parsed = cron.parse(at);
  const numbers = (list: readonly (number | string)[]) => (list.every((v) => typeof v === 'number') ? (list as number[]) : null);
  const dayOfMonth = numbers(parsed.dayOfMonth);
  const weekday = numbers(parsed.dayOfWeek);
  if (!dayOfMonth || !weekday) return `${expected} (L, W and # are not supported for game days)`;
  return { minute: parsed.minute, hour: parsed.hour, dayOfMonth, month: parsed.month, weekday };
}

export interface GameDayScope {
  /** `gameDays` or `teams[2].gameDays`, for messages. */
  readonly field: string;
  /** The attacks this team may run. */
  readonly attacks: readonly AttackDef[];
  /** Users who are admins of this team by id; with admin groups the number is not known at load. */
  readonly admins: readonly string[];
  readonly adminGroups: readonly string[];
}

/**
 * The game days of one team, each checked against the attacks the team may run: the cron, the
 * attack, its parameter names, the notice ahead of the start and the approvals the admins can
 * give. Problems name the field and what was expected.
 */
export function resolveGameDays(
  raw: readonly GameDayRaw[],
  scope: GameDayScope,
  at: (field: string, message: string) => void,
): GameDayDef[] {
  const seen = new Map<string, number>();
  const out: GameDayDef[] = [];
  raw.forEach((g, i) => {
    const field = (f: string) => `${scope.field}[${i}].${f}`;
    const problems: string[] = [];
    const say = (f: string, message: string) => {
      problems.push(message);
      at(field(f), message);
    };
    const earlier = seen.get(g.name);
    if (earlier !== undefined) say('name', `"${g.name}" is already the name of ${scope.field}[${earlier}]; names must be unique`);
    seen.set(g.name, i);
    const fields = cronFields(g.at);
    if (typeof fields === 'string') say('at', fields);
    const attack = scope.attacks.find((a) => a.name === g.attack);
    if (!attack) {
      const known = scope.attacks.map((a) => a.name).join(', ') || '(none)';
      say('attack', `no attack "${g.attack}" is available here; known: ${known}`);
    } else {
      // Names and bounds as run-once checks them: a drill that would be refused at its start is refused at load.
      for (const [name, value] of Object.entries(g.params)) {
        const checked = checkParams(attack, { [name]: value });
        if (!checked.ok) say(`params.${name}`, paramProblemText(checked.problem));
      }
    }
    const canApprove = scope.adminGroups.length > 0 ? Number.POSITIVE_INFINITY : Math.max(1, new Set(scope.admins).size);
    if (g.approvals > canApprove) {
      say(
        'approvals',
        `${g.approvals} approvals needed but only ${canApprove} admin(s) can approve (slack.admins and the team's admins)`,
      );
    }
    if (problems.length > 0 || typeof fields === 'string') return;
    out.push({
      name: g.name,
      at: g.at,
      cron: fields,
      attack: g.attack,
      params: g.params,
      blast: g.blastRadius === undefined ? undefined : definedOnly(g.blastRadius),
      announceMs: g.announce,
      approvals: g.approvals,
      ...(g.quietBefore !== undefined ? { quietBeforeMs: g.quietBefore } : {}),
    });
  });
  return out;
}

function definedOnly(b: { count?: number | undefined; percent?: number | undefined }): { count?: number; percent?: number } {
  return {
    ...(b.count !== undefined ? { count: b.count } : {}),
    ...(b.percent !== undefined ? { percent: b.percent } : {}),
  };
}
