import type { Logger } from 'pino';
import { formatDuration } from '../../domain/duration.js';
import { mergeHosts } from '../../domain/host-merge.js';
import type { HostDef } from '../../domain/model.js';
import type { Clock } from '../../ports/clock.js';
import { errorMessage } from '../../ports/errors.js';
import type { HostDirectory, SourceStatus } from '../../ports/host-directory.js';
import type { InventorySource, SourceAnswer } from '../../ports/inventory-source.js';
import type { Cancel, Timers } from '../../ports/timers.js';

/** The static `hosts:` only: no inventory sources. */
export function staticDirectory(hosts: readonly HostDef[]): HostDirectory {
  const all = hosts.map((h) => (h.source ? h : { ...h, source: 'config' }));
  return { all: () => all, sources: () => [] };
}

interface SourceState {
  readonly source: InventorySource;
  /** The last good list; empty until the source first answers. */
  hosts: readonly HostDef[];
  notes: readonly string[];
  okAt: number | null;
  failingSince: number | null;
  error: string | null;
  /** The refresh under way, if any: never two at once for one source. */
  running: Promise<void> | null;
  abort: AbortController | null;
}

export interface InventoryDeps {
  readonly statics: readonly HostDef[];
  readonly sources: readonly InventorySource[];
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
}

/**
 * The static hosts plus each inventory source's last good list, refreshed in the background on each
 * source's interval. A failing source keeps its last good list (and says since when); one that never
 * answered gives no hosts. `all()` returns the merged list computed at the last refresh: a tick or a
 * stop never waits for a source.
 */
export class InventoryDirectory implements HostDirectory {
  private readonly states: SourceState[];
  private merged: readonly HostDef[];
  private mergeNotes: ReadonlyMap<string, readonly string[]> = new Map();
  private readonly cancels: Cancel[] = [];
  private stopped = false;

  constructor(private readonly deps: InventoryDeps) {
    this.states = deps.sources.map((source) => ({
      source,
      hosts: [],
      notes: [],
      okAt: null,
      failingSince: null,
      error: null,
      running: null,
      abort: null,
    }));
    this.merged = staticDirectory(deps.statics).all();
  }

  all(): readonly HostDef[] {
    return this.merged;
  }

  sources(): readonly SourceStatus[] {
    return this.states.map((s) => ({
      id: s.source.id,
      hosts: s.hosts.length,
      okAt: s.okAt,
      failingSince: s.failingSince,
      error: s.error,
      notes: [...s.notes, ...(this.mergeNotes.get(s.source.id) ?? [])],
    }));
  }

  /** Refreshes every source now and then on its interval; resolves when the first round has ended. */
  start(): Promise<void> {
    for (const s of this.states) {
      this.cancels.push(this.deps.timers.every(s.source.refreshMs, () => void this.refresh(s)));
    }
    return this.refreshAll();
  }

  /** Asks every source once (check-config, start); resolves when each has answered or timed out. */
  async refreshAll(): Promise<void> {
    await Promise.all(this.states.map((s) => this.refresh(s)));
  }

  /** No more refreshes; one under way is aborted (its child process killed, its request cancelled). */
  stop(): void {
    this.stopped = true;
    for (const cancel of this.cancels.splice(0)) cancel();
    for (const s of this.states) s.abort?.abort();
  }

  private refresh(s: SourceState): Promise<void> {
    if (this.stopped) return Promise.resolve();
    s.running ??= this.ask(s).finally(() => {
      s.running = null;
    });
    return s.running;
  }

  private async ask(s: SourceState): Promise<void> {
    const { source } = s;
    const abort = new AbortController();
    s.abort = abort;
    let timedOut = false;
    const cancel = this.deps.timers.after(source.timeoutMs, () => {
      timedOut = true;
      abort.abort();
    });
    let answer: SourceAnswer;
    try {
      answer = await source.list(abort.signal);
    } catch (error) {
      answer = { ok: false, reason: `failed: ${errorMessage(error)}` };
    } finally {
      cancel();
      s.abort = null;
    }
    if (this.stopped) return;
    if (timedOut) answer = { ok: false, reason: `no answer within ${formatDuration(source.timeoutMs)}` };
    const now = this.deps.clock.now();
    if (answer.ok) {
      if (s.failingSince !== null)
        this.deps.logger.info({ source: source.id, hosts: answer.hosts.length }, 'inventory source answers again');
      s.hosts = answer.hosts;
      s.notes = answer.notes;
      s.okAt = now;
      s.failingSince = null;
      s.error = null;
      this.remerge();
      return;
    }
    s.failingSince ??= now;
    s.error = answer.reason;
    this.deps.logger.warn(
      {
        source: source.id,
        reason: answer.reason,
        failingSince: new Date(s.failingSince).toISOString(),
        lastGood: s.okAt === null ? null : new Date(s.okAt).toISOString(),
        kept: s.hosts.length,
      },
      s.okAt === null
        ? 'inventory source has never answered: no hosts from it'
        : 'inventory source fails: its last good list is kept',
    );
  }

  private remerge(): void {
    const result = mergeHosts(
      this.deps.statics,
      this.states.map((s) => ({ source: s.source.id, hosts: s.hosts })),
    );
    this.merged = result.hosts;
    this.mergeNotes = result.notes;
  }
}
