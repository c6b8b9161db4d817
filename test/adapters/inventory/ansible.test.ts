import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleError, ansibleSource } from '../../../src/adapters/inventory/ansible.js';
import { createInventorySources } from '../../../src/adapters/inventory/index.js';
import type { HostDef } from '../../../src/domain/model.js';
import { tempDir } from '../../support/cleanup.js';
import { eventually } from '../../support/eventually.js';
import { testConfig } from '../../support/test-config.js';

const ANSIBLE_INVENTORY = '/usr/bin/ansible-inventory';

const YAML_INVENTORY = `all:
  children:
    prod:
      children:
        web:
          vars:
            tier: frontend
          hosts:
            web-1:
              ansible_host: 10.0.0.11
              ansible_port: 2222
              ansible_user: deploy
              process: nginx
            web-2:
              ansible_host: 10.0.0.12
        db:
          hosts:
            db-1:
              ansible_host: db1.example.com
              unit: postgresql.service
              replicas: 3
              tuning: { shared_buffers: 1GB }
              motd: "hello; rm -rf /"
    lab:
      hosts:
        lab-1: {}
`;

const INI_INVENTORY = `[web]
web-1 ansible_host=10.0.0.11 ansible_port=2222 process=nginx
web-2 ansible_host=10.0.0.12

[db]
db-1 ansible_host=db1.example.com ansible_user=postgres unit=postgresql.service

[prod:children]
web
db
`;

function inventoryFile(name: string, text: string): string {
  const file = join(tempDir('chaoscat-inv-'), name);
  writeFileSync(file, text);
  return file;
}

const source = (path: string, groups: string[] = [], user?: string) =>
  ansibleSource({ source: path, groups, user, refreshMs: 600_000, timeoutMs: 60_000 });

function byName(hosts: readonly HostDef[]): Record<string, HostDef> {
  return Object.fromEntries(hosts.map((h) => [h.name, h]));
}

describe('Ansible inventories read through the real ansible-inventory', () => {
  it('needs ansible-core installed', () => {
    expect(existsSync(ANSIBLE_INVENTORY), 'install the Debian package ansible-core').toBe(true);
  });

  it('a YAML inventory: groups (and the groups above them) become tags; ansible_host/port/user; plain string vars', async () => {
    const file = inventoryFile('hosts.yaml', YAML_INVENTORY);
    const answer = await source(file).list(AbortSignal.timeout(60_000));
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const hosts = byName(answer.hosts);
    const id = `ansible:${file}`;
    expect(Object.keys(hosts).sort()).toEqual(['db-1', 'lab-1', 'web-1', 'web-2']);
    expect(hosts['web-1']).toEqual({
      name: 'web-1',
      address: '10.0.0.11',
      port: 2222,
      user: 'deploy',
      tags: ['prod', 'web'],
      vars: { process: 'nginx', tier: 'frontend' },
      source: id,
    });
    // Group vars reach the hosts of the group, as Ansible merges them.
    expect(hosts['web-2']).toEqual({
      name: 'web-2',
      address: '10.0.0.12',
      port: 22,
      tags: ['prod', 'web'],
      vars: { tier: 'frontend' },
      source: id,
    });
    // Not plain strings (a number, a map, a string with shell characters): left out and said so.
    expect(hosts['db-1']).toMatchObject({
      address: 'db1.example.com',
      tags: ['db', 'prod'],
      vars: { unit: 'postgresql.service' },
    });
    expect(answer.notes).toEqual(['host db-1: vars left out (not plain strings): motd, replicas, tuning']);
    // No ansible_host: the inventory name is the address, as Ansible itself would connect.
    expect(hosts['lab-1']).toMatchObject({ address: 'lab-1', port: 22, tags: ['lab'] });
  });

  it('an INI inventory gives the same hosts, ports and vars (INI values are strings to Ansible)', async () => {
    const file = inventoryFile('hosts.ini', INI_INVENTORY);
    const answer = await source(file).list(AbortSignal.timeout(60_000));
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const hosts = byName(answer.hosts);
    expect(hosts['web-1']).toMatchObject({ address: '10.0.0.11', port: 2222, tags: ['prod', 'web'], vars: { process: 'nginx' } });
    expect(hosts['web-1']?.user).toBeUndefined();
    expect(hosts['db-1']).toMatchObject({
      address: 'db1.example.com',
      port: 22,
      user: 'postgres',
      tags: ['db', 'prod'],
      vars: { unit: 'postgresql.service' },
    });
  });

  it('groups: only the hosts in those groups (or their child groups); the source user when ansible_user is unset', async () => {
    const file = inventoryFile('hosts.yaml', YAML_INVENTORY);
    const answer = await source(file, ['web', 'nosuch'], 'chaos').list(AbortSignal.timeout(60_000));
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.hosts.map((h) => [h.name, h.user]).sort()).toEqual([
      ['web-1', 'deploy'],
      ['web-2', 'chaos'],
    ]);
    expect(answer.notes).toContain('group nosuch is not in the inventory');
    const prod = await source(file, ['prod']).list(AbortSignal.timeout(60_000));
    expect(prod.ok && prod.hosts.map((h) => h.name).sort()).toEqual(['db-1', 'web-1', 'web-2']);
  });

  it('a host whose address or user could be shell text is skipped with the reason', async () => {
    const file = inventoryFile(
      'hosts.yaml',
      `all:
  hosts:
    good-1: { ansible_host: 10.0.0.1 }
    evil-1: { ansible_host: "10.0.0.2; reboot" }
    evil-2: { ansible_host: 10.0.0.3, ansible_user: "$(id)" }
    evil-3: { ansible_host: "-oProxyCommand=x" }
    templated: { ansible_host: "{{ lookup('env', 'HOME') }}" }
`,
    );
    const answer = await source(file).list(AbortSignal.timeout(60_000));
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.hosts.map((h) => h.name)).toEqual(['good-1']);
    expect(answer.notes).toEqual([
      'host evil-1: address "10.0.0.2; reboot" is not a host name or IP address; skipped',
      'host evil-2: user "$(id)" is not a plain login name; skipped',
      'host evil-3: address "-oProxyCommand=x" is not a host name or IP address; skipped',
      `host templated: address "{{ lookup('env', 'HOME') }}" is not a host name or IP address; skipped`,
    ]);
  });

  it("kubespray's ansible_ssh_host/port/user are read as Ansible's ssh connection reads them (the last name set wins)", async () => {
    const file = inventoryFile(
      'inventory.ini',
      `[kube_node]
node3 ansible_ssh_host=10.0.0.23 ansible_ssh_port=2203 ansible_ssh_user=core
node4 ansible_host=10.0.0.99 ansible_ssh_host=10.0.0.24 ansible_port=2299 ansible_ssh_port=2204
node5 ansible_host=10.0.0.25
`,
    );
    const answer = await source(file).list(AbortSignal.timeout(60_000));
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const hosts = byName(answer.hosts);
    expect([hosts.node3?.address, hosts.node3?.port, hosts.node3?.user]).toEqual(['10.0.0.23', 2203, 'core']);
    expect([hosts.node4?.address, hosts.node4?.port]).toEqual(['10.0.0.24', 2204]);
    expect([hosts.node5?.address, hosts.node5?.port]).toEqual(['10.0.0.25', 22]);
    expect(answer.notes).toEqual([]);
  });

  it('a host Ansible reaches some other way (local connection, a jump host, its own key) is skipped with the reason', async () => {
    const file = inventoryFile(
      'hosts.yaml',
      `all:
  hosts:
    plain: { ansible_host: 10.0.0.1, ansible_connection: ssh }
    here: { ansible_connection: local }
    behind: { ansible_host: 10.0.0.2, ansible_ssh_common_args: "-o ProxyJump=bastion" }
    keyed: { ansible_host: 10.0.0.3, ansible_ssh_private_key_file: /home/a/.ssh/other }
`,
    );
    const answer = await source(file).list(AbortSignal.timeout(60_000));
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.hosts.map((h) => h.name)).toEqual(['plain']);
    expect(answer.notes).toEqual([
      'host here: ansible_connection=local is not an SSH login; skipped',
      'host behind: ansible_ssh_common_args sets extra ssh arguments (a jump host or proxy, perhaps), which ChaosCat does not honour; skipped',
      'host keyed: ansible_ssh_private_key_file sets its own private key (ChaosCat logs in with ssh.privateKey), which ChaosCat does not honour; skipped',
    ]);
  });

  it.each([
    ['a missing file', (dir: string) => join(dir, 'nothere.yaml'), /ansible-inventory failed \(exit \d+\): /],
    [
      'malformed YAML',
      (dir: string) => {
        const file = join(dir, 'bad.yaml');
        writeFileSync(file, 'all:\n  hosts: [a\n');
        return file;
      },
      /ansible-inventory failed \(exit \d+\): Completely failed to parse inventory source/,
    ],
  ])('%s is a failure, never an empty inventory', async (_what, make, reason) => {
    const answer = await source(make(tempDir('chaoscat-inv-'))).list(AbortSignal.timeout(60_000));
    expect(answer).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('a slow dynamic inventory is killed when the refresh is aborted (with the processes it started)', async () => {
    const dir = tempDir('chaoscat-inv-');
    const pidFile = join(dir, 'script.pid');
    const script = join(dir, 'slow.sh');
    writeFileSync(script, `#!/bin/sh\necho $$ > ${pidFile}\nsleep 300\n`);
    chmodSync(script, 0o755);
    const abort = new AbortController();
    const answer = source(script).list(abort.signal);
    await eventually(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 'the inventory script');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    abort.abort();
    expect(await answer).toEqual({ ok: false, reason: 'aborted' });
    await eventually(() => !alive(pid), 'the inventory script gone');
  });

  it("a dynamic inventory script runs with our environment, minus the bot's own secrets", async () => {
    const dir = tempDir('chaoscat-inv-');
    const envFile = join(dir, 'env.txt');
    const script = join(dir, 'dynamic.sh');
    writeFileSync(script, `#!/bin/sh\nenv > ${envFile}\necho '{"_meta":{"hostvars":{}},"web":{"hosts":["web-1"]}}'\n`);
    chmodSync(script, 0o755);
    const config = testConfig({
      health: [{ kind: 'prometheus', url: 'http://127.0.0.1:1', query: 'up == 0', tokenEnv: 'PROM_HEALTH_TOKEN' }],
      inventory: [
        { kind: 'ansible', source: script },
        { kind: 'prometheus', url: 'http://127.0.0.1:1', tokenEnv: 'PROM_INVENTORY_TOKEN' },
      ],
    });
    const [dynamic] = createInventorySources(config, {
      ...process.env,
      SLACK_BOT_TOKEN: 'xoxb-secret',
      SLACK_APP_TOKEN: 'xapp-secret',
      PROM_HEALTH_TOKEN: 'health-secret',
      PROM_INVENTORY_TOKEN: 'inventory-secret',
      AWS_PROFILE: 'chaos-readonly',
    });
    const answer = await dynamic?.list(AbortSignal.timeout(60_000));
    expect(answer).toMatchObject({ ok: true, hosts: [{ name: 'web-1', tags: ['web'] }] });
    const env = readFileSync(envFile, 'utf8');
    expect(env).toContain('AWS_PROFILE=chaos-readonly');
    expect(env).not.toMatch(/SLACK_BOT_TOKEN|SLACK_APP_TOKEN|PROM_HEALTH_TOKEN|PROM_INVENTORY_TOKEN|secret/);
  });

  it('the program missing says what to install', async () => {
    const answer = await ansibleSource({
      source: '/dev/null',
      groups: [],
      refreshMs: 1,
      timeoutMs: 1,
      command: '/nonexistent/ansible-inventory',
    }).list(AbortSignal.timeout(5_000));
    expect(answer).toEqual({
      ok: false,
      reason: '/nonexistent/ansible-inventory not found: install Ansible (Debian: ansible-core)',
    });
  });
});

describe('ansibleError', () => {
  it('takes the ERROR! line over the warnings', () => {
    expect(ansibleError('[WARNING]: x\nERROR! No inventory was parsed, please check\n')).toBe(
      'No inventory was parsed, please check',
    );
    expect(ansibleError('')).toBe('no message');
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2]?.startsWith('Z');
  } catch {
    return false;
  }
}
