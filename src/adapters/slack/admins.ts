import type { Logger } from 'pino';
import type { Authorizer } from '../../ports/chat.js';
import { systemClock } from '../system/clock.js';
import type { SlackApi } from './api.js';

export interface AdminSettings {
  readonly admins: readonly string[];
  readonly adminGroups: readonly string[];
}

interface Members {
  readonly users: ReadonlySet<string>;
  readonly fetchedAt: number;
}

export const GROUP_CACHE_MS = 5 * 60_000;

/**
 * Admins are the users in `slack.admins` and the members of the user groups in `slack.adminGroups`.
 * Group members come from usergroups.users.list, cached; when Slack cannot answer, the last list
 * known is used, and with none known the group grants nothing (fail closed). Never throws.
 */
export class SlackAdmins implements Authorizer {
  private readonly users: ReadonlySet<string>;
  private readonly cache = new Map<string, Members>();
  private readonly refreshing = new Map<string, Promise<ReadonlySet<string> | null>>();

  constructor(
    readonly settings: AdminSettings,
    private readonly api: SlackApi,
    private readonly logger: Logger,
    private readonly cacheMs = GROUP_CACHE_MS,
    /** The group cache's clock: the transport passes its injected one. */
    private readonly now: () => number = systemClock.now,
  ) {
    this.users = new Set(settings.admins);
  }

  async isAdmin(userId: string): Promise<boolean> {
    try {
      if (this.users.has(userId)) return true;
      const groups = await Promise.all(this.settings.adminGroups.map((g) => this.members(g)));
      return groups.some((members) => members?.has(userId) ?? false);
    } catch (error) {
      this.logger.error({ err: error, userId }, 'admin check failed; denying');
      return false;
    }
  }

  describeAdmins(): string {
    const who = [...this.settings.admins.map((u) => `<@${u}>`), ...this.settings.adminGroups.map((g) => `<!subteam^${g}>`)];
    return who.length > 0
      ? `Admins: ${who.join(', ')}.`
      : 'No admins are configured (slack.admins, slack.adminGroups in the config).';
  }

  private async members(group: string): Promise<ReadonlySet<string> | null> {
    const cached = this.cache.get(group);
    if (cached && this.now() - cached.fetchedAt < this.cacheMs) return cached.users;
    let pending = this.refreshing.get(group);
    if (!pending) {
      pending = this.fetch(group).finally(() => this.refreshing.delete(group));
      this.refreshing.set(group, pending);
    }
    return pending;
  }

  private async fetch(group: string): Promise<ReadonlySet<string> | null> {
    const result = await this.api.call('usergroups.users.list', { usergroup: group }, { attempts: 2 });
    const users = result.ok ? result.data.users : undefined;
    if (Array.isArray(users)) {
      const set = new Set(users.filter((u): u is string => typeof u === 'string'));
      this.cache.set(group, { users: set, fetchedAt: this.now() });
      return set;
    }
    const why = result.ok ? 'no user list in the answer' : result.error;
    const stale = this.cache.get(group);
    if (stale) {
      this.logger.warn({ group, error: why }, 'cannot refresh admin group members; using the last list known');
      return stale.users;
    }
    this.logger.error({ group, error: why }, 'cannot read admin group members; its members are not admins for now');
    return null;
  }
}
