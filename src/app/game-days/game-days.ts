import {
  type GameDayDef,
  type GameDayNotice,
  type GameDaySkip,
  isApproved,
  noticeAt,
  startCheck,
} from '../../domain/game-day.js';
import { nextOccurrence } from '../../domain/game-day-schedule.js';
import { quietFor, type UpcomingDrill } from '../../domain/schedule-draw.js';
import type { Announcer, Reply } from '../../ports/chat.js';
import { errorMessage } from '../../ports/errors.js';
import type { Cancel } from '../../ports/timers.js';
import { gameDaySkipText } from '../../words/game-day.js';
import { approve, type GameDayView, nextLine, skip } from './game-day-commands.js';
import type { GameDaysDeps } from './game-days-deps.js';

/** Timers are re-armed at least this often: a long wait never overflows a timer, and a clock jump is noticed. */
const MAX_WAIT_MS = 3_600_000;
/** A start found this late (the bot was asleep or down) is skipped, not run late. */
export const LATE_MS = 5 * 60_000;

export type { GameDaysDeps } from './game-days-deps.js';

/**
 * One team's game days: posts each occurrence's notice `announce` ahead, collects approvals and
 * skips, and at the start asks the runner for the drill (whose gates still apply: halt, in flight,
 * hearing, health) or says in the channel why it was skipped. Driven by the injected timers.
 */
export class GameDays {
  /** The next start of each game day (epoch ms). */
  private readonly upcoming = new Map<string, number>();
  private timer: Cancel | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(private readonly deps: GameDaysDeps) {}

  get defs(): readonly GameDayDef[] {
    return this.deps.config.gameDays;
  }

  /** Starts the timers; occurrences announced before a restart keep their approvals. */
  start(): void {
    if (this.defs.length === 0) return;
    this.stopped = false;
    const now = this.deps.clock.now();
    for (const def of this.defs) {
      // An occurrence announced before a restart and not yet due is the one still to come.
      const kept = this.deps.store.announced().find((o) => o.name === def.name && o.at > now);
      const at = kept?.at ?? nextOccurrence(def.cron, now, this.deps.config.timezone);
      if (at !== null) this.upcoming.set(def.name, at);
    }
    this.wake();
  }

  /**
   * The approved occurrence whose quiet period (`quietBefore`, default the cooldown) meets [from, to]:
   * the scheduler yields to it. A game day that needs no approval is approved; one skipped is not.
   */
  quietFor(from: number, to: number): { name: string; at: number } | null {
    const { config, store } = this.deps;
    const drills: UpcomingDrill[] = [];
    for (const def of this.defs) {
      const at = this.upcoming.get(def.name);
      if (at === undefined) continue;
      const occurrence = store.occurrence(def.name, at);
      const approved =
        occurrence?.state !== 'skipped' &&
        occurrence?.state !== 'started' &&
        isApproved(def.approvals, occurrence?.approvedBy ?? []);
      drills.push({ name: def.name, at, approved, quietBeforeMs: def.quietBeforeMs ?? config.schedule.cooldown });
    }
    return quietFor(drills, from, to);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.();
    this.timer = null;
  }

  /** Resolves once the work in progress (a notice, a start) is done: for tests. */
  idle(): Promise<void> {
    return this.running;
  }

  /** Runs what is due now (notices, starts, missed occurrences), then re-arms. Serialised. */
  private wake(): void {
    this.timer?.();
    this.timer = null;
    this.running = this.running
      .then(() => this.due())
      .catch((error) => this.deps.logger.error({ err: error }, 'game days failed'))
      .then(() => this.arm());
  }

  private arm(): void {
    if (this.stopped) return;
    const now = this.deps.clock.now();
    let next = now + MAX_WAIT_MS;
    for (const def of this.defs) {
      const at = this.upcoming.get(def.name);
      if (at === undefined) continue;
      const notice = noticeAt(def, at);
      next = Math.min(next, notice > now ? notice : at);
    }
    this.timer = this.deps.timers.after(Math.max(0, next - now), () => this.wake());
  }

  private async due(): Promise<void> {
    const { clock, store } = this.deps;
    const now = clock.now();
    for (const missed of store.announced()) {
      if (missed.at > now - LATE_MS || missed.at === this.upcoming.get(missed.name)) continue;
      this.settle(missed.name, missed.at, { kind: 'not-running' });
    }
    for (const def of this.defs) {
      const at = this.upcoming.get(def.name);
      if (at === undefined) continue;
      if (now >= at) {
        this.upcoming.delete(def.name);
        const next = nextOccurrence(def.cron, Math.max(at, now), this.deps.config.timezone);
        if (next !== null) this.upcoming.set(def.name, next);
        if (now - at > LATE_MS) {
          this.settle(def.name, at, { kind: 'late', minutes: Math.round((now - at) / 60_000) });
        } else {
          await this.begin(def, at);
        }
      } else if (now >= noticeAt(def, at) && !store.occurrence(def.name, at)) {
        await this.announce(def, at);
      }
    }
  }

  private notice(def: GameDayDef, at: number, approvedBy: readonly string[]): GameDayNotice {
    const { config } = this.deps;
    return {
      name: def.name,
      attack: def.attack,
      at,
      timezone: config.timezone,
      params: def.params,
      blast: def.blast,
      approvals: def.approvals,
      approvedBy,
      dryRun: config.dryRun,
    };
  }

  private async announce(def: GameDayDef, at: number): Promise<void> {
    try {
      this.deps.store.announce(def.name, at, this.deps.clock.now());
    } catch (error) {
      // No record, no approvals to keep: no notice with buttons. Tried again at the next wake (within the hour).
      this.deps.logger.error({ err: error, name: def.name }, 'cannot record the game-day notice');
      await this.say({
        kind: 'notice',
        notice: { kind: 'game-day-unrecorded', name: def.name, at, error: errorMessage(error) },
      });
      return;
    }
    await this.say({ kind: 'game-day-notice', notice: this.notice(def, at, []) });
  }

  private async begin(def: GameDayDef, at: number): Promise<void> {
    const { store, config } = this.deps;
    let check: ReturnType<typeof startCheck>;
    try {
      if (!store.occurrence(def.name, at)) store.announce(def.name, at, this.deps.clock.now());
      check = startCheck(def, store.occurrence(def.name, at) ?? null);
    } catch (error) {
      // Without its record nothing says it was approved: fail closed, and say so.
      this.deps.logger.error({ err: error, name: def.name }, 'cannot read the game day');
      await this.say({
        kind: 'notice',
        notice: { kind: 'game-day-skipped', name: def.name, at, skip: { kind: 'unreadable', cause: errorMessage(error) } },
      });
      return;
    }
    if (!check.ok) {
      this.settle(def.name, at, check.skip);
      return;
    }
    const attack = config.attacks.find((a) => a.name === def.attack);
    if (!attack) {
      this.settle(def.name, at, { kind: 'gone', attack: def.attack });
      return;
    }
    const launched = await this.deps.runner.request({
      asker: 'schedule',
      trigger: { kind: 'game-day', name: def.name },
      window: 'game-day',
      want: {
        attack,
        params: { ...def.params },
        ...(def.blast ? { blast: { ...def.blast } } : {}),
      },
    });
    if (!launched.ok) {
      this.settle(def.name, at, { kind: 'refused', refusal: launched.refusal });
      return;
    }
    try {
      store.settle(def.name, at, 'started', `#${launched.record.id}`);
    } catch (error) {
      // The drill runs (its own row says so); only the game day's bookkeeping is behind.
      this.deps.logger.error({ err: error, name: def.name }, 'cannot record that the game day started');
    }
  }

  /** A final state, said in the channel: a skipped drill always says why. */
  private settle(name: string, at: number, skip: GameDaySkip): void {
    try {
      // The store keeps the words as told, for `status` and the archive.
      if (!this.deps.store.settle(name, at, 'skipped', gameDaySkipText(skip, this.deps.config.timezone))) return;
    } catch (error) {
      this.deps.logger.error({ err: error, name }, 'cannot record the game-day outcome');
    }
    void this.say({ kind: 'notice', notice: { kind: 'game-day-skipped', name, at, skip } });
  }

  private async say(event: Parameters<Announcer['announce']>[0]): Promise<void> {
    await this.deps.announcer.announce(event).catch((error) => this.deps.logger.warn({ err: error }, 'announce failed'));
  }

  /** The next game day to start, with its approvals: for `status`. */
  nextLine(): string | null {
    return nextLine(this.view());
  }

  /** `approve NAME`: an admin's approval of the announced occurrence, counted once per admin. */
  approve(user: string, name: string, at?: number): Promise<{ reply: Reply; outcome: string }> {
    return approve(this.view(), user, name, at);
  }

  /** `skip NAME`: an admin cancels the announced occurrence (the next one is announced as usual). */
  skip(user: string, name: string, at?: number): Promise<{ reply: Reply; outcome: string }> {
    return skip(this.view(), user, name, at);
  }

  private view(): GameDayView {
    return { deps: this.deps, defs: this.defs, upcoming: this.upcoming };
  }
}
