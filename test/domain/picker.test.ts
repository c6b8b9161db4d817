import { describe, expect, it } from 'vitest';
import type { AttackDef, HostDef } from '../../src/domain/model.js';
import { eligibleHosts, pickAttack, pickWeighted } from '../../src/domain/picker.js';
import { SeededRandom } from '../support/fakes.js';

function attack(name: string, weight: number, targets: string[] = [], hostVars: string[] = []): AttackDef {
  return {
    name,
    description: name,
    weight,
    durationMs: 1000,
    targets,
    requires: [],
    sudo: false,
    params: {},
    hostVars,
    run: 'true',
    rollback: 'true',
    file: `${name}.yaml`,
    probes: [],
    recoveryMs: null,
    abortOnDeviation: false,
  };
}
function host(name: string, tags: string[], vars: Record<string, string> = {}): HostDef {
  return { name, address: '127.0.0.1', port: 22, tags, vars };
}

const hosts = [host('web-1', ['web']), host('web-2', ['web'], { process: 'nginx' }), host('db-1', ['db'])];

describe('picker', () => {
  it('draws attacks in proportion to their weights (seeded, within tolerance)', () => {
    const attacks = [attack('a', 10), attack('b', 30), attack('c', 60), attack('never', 0)];
    const rng = new SeededRandom(42);
    const counts: Record<string, number> = {};
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const pick = pickAttack(attacks, hosts, () => rng.next());
      if (pick.kind !== 'pick') throw new Error('expected a pick');
      counts[pick.attack.name] = (counts[pick.attack.name] ?? 0) + 1;
    }
    expect((counts.a ?? 0) / n).toBeCloseTo(0.1, 1);
    expect((counts.b ?? 0) / n).toBeCloseTo(0.3, 1);
    expect((counts.c ?? 0) / n).toBeCloseTo(0.6, 1);
    expect(counts.never).toBeUndefined();
  });

  it('never draws weight 0, even at the edges of the random range', () => {
    const attacks = [attack('zero', 0), attack('one', 1), attack('zero2', 0)];
    for (const r of [0, 0.5, 0.999999]) expect(pickWeighted(attacks, (a) => a.weight, r)?.name).toBe('one');
    expect(pickWeighted([attack('z', 0)], (a) => a.weight, 0.5)).toBeUndefined();
  });

  it('picks only hosts matching the attack targets', () => {
    const rng = new SeededRandom(7);
    for (let i = 0; i < 500; i++) {
      const pick = pickAttack([attack('db-only', 1, ['db'])], hosts, () => rng.next());
      expect(pick.kind === 'pick' && pick.host.name).toBe('db-1');
    }
  });

  it('an attack needing a host var only goes to hosts that define it', () => {
    expect(eligibleHosts(attack('kill', 1, ['web'], ['process']), hosts).map((h) => h.name)).toEqual(['web-2']);
  });

  it('spreads over every eligible host', () => {
    const rng = new SeededRandom(3);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const pick = pickAttack([attack('web', 1, ['web'])], hosts, () => rng.next());
      if (pick.kind === 'pick') seen.add(pick.host.name);
    }
    expect([...seen].sort()).toEqual(['web-1', 'web-2']);
  });

  it('says why when nothing can be drawn', () => {
    expect(pickAttack([attack('z', 0)], hosts, () => 0.5)).toMatchObject({
      kind: 'none',
      refusal: { kind: 'no-attack', why: 'no-weight' },
    });
    expect(pickAttack([attack('x', 5, ['cache'])], hosts, () => 0.5)).toMatchObject({
      kind: 'none',
      refusal: { kind: 'no-host', attack: null },
    });
  });
});

describe('target selectors', () => {
  const fleet = [
    host('web-1', ['web']),
    host('web-2', ['web']),
    host('web-canary', ['web', 'canary']),
    host('webby', ['web']),
    host('db-1', ['db']),
  ];
  const names = (a: AttackDef) => eligibleHosts(a, fleet).map((h) => h.name);
  it.each<[string, Partial<AttackDef>, string[]]>([
    ['no selector: every host', {}, ['web-1', 'web-2', 'web-canary', 'webby', 'db-1']],
    ['tags', { targets: ['db'] }, ['db-1']],
    ['an anchored name pattern', { names: '^web-[0-9]+$' }, ['web-1', 'web-2']],
    ['tags and names both hold', { targets: ['db'], names: '^web-[0-9]+$' }, []],
    ['exclude by name', { targets: ['web'], exclude: ['webby'] }, ['web-1', 'web-2', 'web-canary']],
    ['exclude by tag', { targets: ['web'], exclude: ['canary'] }, ['web-1', 'web-2', 'webby']],
    ['all three', { targets: ['web'], names: '^web-.*$', exclude: ['web-canary'] }, ['web-1', 'web-2']],
  ])('%s', (_name, selector, expected) => {
    expect(names({ ...attack('a', 1), ...selector })).toEqual(expected);
  });

  it('a drawn attack selecting by name is drawn only if a host matches its name', () => {
    const onlyCanary = { ...attack('canary-only', 1, ['web']), names: '^web-canary$' };
    const none = { ...attack('nobody', 1, ['web']), names: '^nope$' };
    const pick = pickAttack([none, onlyCanary], fleet, () => 0);
    expect(pick.kind === 'pick' && [pick.attack.name, pick.host.name]).toEqual(['canary-only', 'web-canary']);
  });
});

describe('pickAttack with hosts hit within the host cooldown', () => {
  const all = attack('all', 1);
  const web = attack('web-only', 1, ['web']);
  it.each([
    ['keeps off recent hosts', [all], new Set(['web-1', 'web-2']), 0.99, 'db-1', undefined],
    ['draws only attacks with a rested host', [web, all], new Set(['web-1', 'web-2']), 0, 'db-1', undefined],
    ['all hit: the same host again, said in the note', [web], new Set(['web-1', 'web-2']), 0, 'web-1', /every eligible host/],
    ['no recent host: as before', [all], new Set<string>(), 0, 'web-1', undefined],
  ] as const)('%s', (_what, attacks, recent, r, expected, note) => {
    const pick = pickAttack(attacks, hosts, () => r, recent);
    expect(pick).toMatchObject({ kind: 'pick', host: { name: expected } });
    if (pick.kind === 'pick') {
      if (note) expect(pick.note).toMatch(note);
      else expect(pick.note).toBeUndefined();
    }
  });
});
