import type { SshSettings } from '../../config/config.js';
import type { HostDef } from '../../domain/model.js';

/** One SSH hop as the bot logs in to it. */
export interface Hop {
  readonly user: string;
  readonly address: string;
  readonly port: number;
}

/** How the bot reaches a host: the host itself and, when configured, the jump host in front of it. */
export interface Route extends Hop {
  readonly jump: Hop | null;
}

/**
 * The user is the host's own, else ssh.user; the jump host is the host's own, else ssh.jumpHost, and
 * logs in as its own user, else the host's. One function, so that a command printed for a person
 * (manual-rollback.ts) reaches the host exactly as the bot's connection does.
 */
export function routeTo(host: HostDef, settings: Pick<SshSettings, 'user' | 'jumpHost'>): Route {
  const user = host.user ?? settings.user;
  const jump = host.jumpHost ?? settings.jumpHost;
  return {
    user,
    address: host.address,
    port: host.port,
    jump: jump ? { user: jump.user ?? user, address: jump.address, port: jump.port } : null,
  };
}
