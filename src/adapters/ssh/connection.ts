import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import ssh2, { type AuthenticationType, Client, type ClientChannel, type ConnectConfig, type ParsedKey } from 'ssh2';
import type { SshSettings } from '../../config/config.js';
import type { HostDef } from '../../domain/model.js';
import { asCodedError, errorMessage } from '../../ports/errors.js';
import { SshError } from './errors.js';
import { type Endpoint, hostKeyError, mapHandshakeError } from './handshake-errors.js';
import {
  checkHostKey,
  hostFieldMatches,
  hostKeyAlgorithms,
  type KnownHostsEntry,
  knownKeyTypes,
  lookupName,
  parseKnownHosts,
} from './known-hosts.js';
import { routeTo } from './route.js';

export interface ConnectionDeps {
  readonly settings: SshSettings;
  readonly logger: Logger;
  /** Agent socket (SSH_AUTH_SOCK) used when settings.agent is on. */
  readonly agentSocket: string | undefined;
}

/** One authenticated SSH connection to a host (through its jump host, if any). */
export interface Connection {
  readonly host: string;
  /** Opens an exec channel; rejects with SSH_CHANNEL. Every channel gets an error listener. */
  exec(command: string): Promise<ClientChannel>;
  isOpen(): boolean;
  /** Resolves once the connection is gone, however it went. */
  readonly closed: Promise<void>;
  close(): void;
}

async function readKnownHosts(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (asCodedError(error).code === 'ENOENT') return '';
    throw new SshError('SSH_CONFIG', `cannot read known_hosts ${path}: ${errorMessage(error)}`, { cause: error });
  }
}

/**
 * The last known_hosts text and private key, parsed: the files are read for every connection (an
 * edit counts at once), but parsed again only when their text changed. Fifty hosts dialled at once
 * would otherwise parse and compile every known_hosts line fifty times on the bot's one thread.
 */
let knownCache: { text: string; entries: KnownHostsEntry[]; byName: Map<string, KnownHostsEntry[]> } | null = null;
let keyCache: { text: Buffer; key: ParsedKey } | null = null;

/** The known_hosts lines that name `name` (the only ones its verdict reads). */
function knownHostsFor(text: string, name: string): KnownHostsEntry[] {
  if (knownCache?.text !== text) knownCache = { text, entries: parseKnownHosts(text), byName: new Map() };
  let entries = knownCache.byName.get(name);
  if (!entries) {
    entries = knownCache.entries.filter((e) => hostFieldMatches(e.hosts, name));
    knownCache.byName.set(name, entries);
  }
  return entries;
}

function parsedKey(text: Buffer, path: string): ParsedKey {
  if (keyCache?.text.equals(text)) return keyCache.key;
  // ssh2 is CommonJS: its utils come through the default export.
  const parsed = ssh2.utils.parseKey(text);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || !key) {
    throw new SshError('SSH_CONFIG', `cannot use the private key ${path}: ${key ? key.message : 'no key in the file'}`);
  }
  if (!key.isPrivateKey()) throw new SshError('SSH_CONFIG', `the private key ${path} holds no private key`);
  keyCache = { text: Buffer.from(text), key };
  return key;
}

/** Connects one hop; the socket is the jump host's forwarded channel when there is one. */
async function dial(deps: ConnectionDeps, endpoint: Endpoint, sock?: ClientChannel): Promise<Client> {
  const { settings, logger } = deps;
  const name = lookupName(endpoint.address, endpoint.port);
  const known = knownHostsFor(await readKnownHosts(settings.knownHosts), name);
  const privateKey = settings.privateKey ? parsedKey(await readPrivateKey(settings.privateKey), settings.privateKey) : undefined;
  const agent = settings.agent && deps.agentSocket ? deps.agentSocket : undefined;
  if (!privateKey && !agent) {
    throw new SshError('SSH_AUTH', `${endpoint.label}: no credentials: set ssh.privateKey or run ssh-agent (SSH_AUTH_SOCK)`);
  }
  let refusal: SshError | null = null;
  const client = new Client();
  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const fail = (error: SshError) => {
      if (settled) return;
      settled = true;
      client.destroy();
      reject(error);
    };
    client.on('ready', () => {
      if (settled) return;
      settled = true;
      // Small request/response packets: without this, Nagle and delayed ACKs add ~40 ms to each.
      client.setNoDelay(true);
      resolve(client);
    });
    // Never without an error listener: a dropped socket must not crash the bot.
    client.on('error', (error) => {
      if (!settled) {
        fail(
          refusal
            ? new SshError(refusal.code, refusal.message, { cause: error, host: endpoint.host })
            : mapHandshakeError(endpoint, error),
        );
      } else logger.debug({ host: endpoint.label, err: errorMessage(error) }, 'ssh connection error');
    });
    client.on('close', () =>
      fail(refusal ?? new SshError('SSH_CONNECT', `${endpoint.label}: connection closed during the handshake`)),
    );
    const config: ConnectConfig = {
      host: endpoint.address,
      port: endpoint.port,
      username: endpoint.user,
      readyTimeout: settings.connectTimeout,
      keepaliveInterval: settings.keepaliveInterval,
      keepaliveCountMax: 3,
      algorithms: { serverHostKey: hostKeyAlgorithms(knownKeyTypes(known, name)) as never },
      // The key already parsed (ssh2 takes a parsed key here, not in `privateKey`); then the agent.
      authHandler: [
        ...(privateKey ? [{ type: 'publickey' as const, username: endpoint.user, key: privateKey }] : []),
        ...(agent ? ['agent' as AuthenticationType] : []),
      ] as never,
      hostVerifier: (key: Buffer) => {
        const verdict = checkHostKey(known, name, key);
        if (verdict.kind === 'ok') return true;
        refusal = hostKeyError(endpoint, settings.knownHosts, verdict, key);
        logger.warn({ host: endpoint.label, code: refusal.code }, refusal.message);
        return false;
      },
      ...(agent ? { agent } : {}),
      ...(sock ? { sock } : {}),
    };
    try {
      client.connect(config);
    } catch (error) {
      fail(new SshError('SSH_CONFIG', `${endpoint.label}: ${errorMessage(error)}`, { cause: error }));
    }
  });
}

async function readPrivateKey(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new SshError('SSH_CONFIG', `cannot read the private key ${path}: ${errorMessage(error)}`, { cause: error });
  }
}

function forward(jump: Client, endpoint: Endpoint, via: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      jump.forwardOut('127.0.0.1', 0, endpoint.address, endpoint.port, (error, stream) => {
        if (error) {
          reject(
            new SshError('SSH_CONNECT', `${endpoint.label}: jump host ${via} cannot reach it: ${errorMessage(error)}`, {
              cause: error,
            }),
          );
          return;
        }
        stream.on('error', () => {});
        resolve(stream);
      });
    } catch (error) {
      reject(new SshError('SSH_CONNECT', `${endpoint.label}: jump host ${via} closed: ${errorMessage(error)}`, { cause: error }));
    }
  });
}

/** Connects to a host, checking every hop's key against known_hosts. Rejects with a coded SshError. */
export async function openConnection(deps: ConnectionDeps, host: HostDef): Promise<Connection> {
  const route = routeTo(host, deps.settings);
  const target: Endpoint = {
    host: host.name,
    address: route.address,
    port: route.port,
    user: route.user,
    label: `${host.name} (${route.address}:${route.port})`,
  };
  const jumpDef = route.jump;
  let jump: Client | null = null;
  let client: Client;
  if (jumpDef) {
    const via = `${jumpDef.address}:${jumpDef.port}`;
    jump = await dial(deps, {
      host: host.name,
      address: jumpDef.address,
      port: jumpDef.port,
      user: jumpDef.user,
      label: `jump host ${via} for ${host.name}`,
    });
    try {
      const stream = await forward(jump, target, via);
      client = await dial(deps, { ...target, label: `${target.label} via ${via}` }, stream);
    } catch (error) {
      jump.end();
      throw error;
    }
  } else {
    client = await dial(deps, target);
  }
  return wrap(host.name, client, jump);
}

function wrap(host: string, client: Client, jump: Client | null): Connection {
  let open = true;
  const closed = new Promise<void>((resolve) => {
    const gone = () => {
      open = false;
      jump?.end();
      resolve();
    };
    client.once('close', gone);
    client.once('end', () => {
      open = false;
    });
    jump?.once('close', () => {
      open = false;
      client.destroy();
    });
  });
  return {
    host,
    closed,
    isOpen: () => open,
    exec: (command) =>
      new Promise<ClientChannel>((resolve, reject) => {
        const refuse = (error: unknown) =>
          reject(
            new SshError('SSH_CHANNEL', `${host}: cannot open a command channel: ${errorMessage(error)}`, {
              cause: error,
              host,
            }),
          );
        if (!open) {
          refuse(new Error('connection closed'));
          return;
        }
        try {
          client.exec(command, (error, channel) => {
            if (error) {
              refuse(error);
              return;
            }
            channel.on('error', () => {});
            channel.stderr.on('error', () => {});
            resolve(channel);
          });
        } catch (error) {
          refuse(error);
        }
      }),
    close: () => {
      if (!open) return;
      open = false;
      client.end();
      // A peer that never answers the disconnect must not keep the socket alive.
      setTimeout(() => client.destroy(), 2_000).unref();
    },
  };
}
