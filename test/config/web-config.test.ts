import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { configProblems } from '../support/config-problems.js';
import { REPO, testConfig } from '../support/test-config.js';

const problems = configProblems;

describe('web config (the report archive)', () => {
  it('is on by default on loopback port 8484, as the shipped config says', () => {
    expect(testConfig({ web: undefined }).web).toEqual({ port: 8484, host: '127.0.0.1' });
    expect(loadConfig(join(REPO, 'config', 'chaoscat.yaml')).web).toEqual({ port: 8484, host: '127.0.0.1' });
  });

  it('port 0 turns it off; the host stays as given', () => {
    expect(testConfig({ web: { port: 0, host: '::1' } }).web).toEqual({ port: 0, host: '::1' });
  });

  it('names the field and what was expected for a bad port or an unknown key', () => {
    expect(problems(() => testConfig({ web: { port: 70000 } })).join('\n')).toMatch(/web\.port/);
    expect(problems(() => testConfig({ web: { port: 8484, bind: 'x' } })).join('\n')).toMatch(/web.*bind/);
  });

  it('web.publicUrl names where people reach it; anything but an http(s) URL is refused by field', () => {
    expect(testConfig({ web: { publicUrl: 'https://chaoscat.example.com/' } }).web).toMatchObject({
      publicUrl: 'https://chaoscat.example.com/',
    });
    expect(problems(() => testConfig({ web: { publicUrl: 'chaoscat.example.com' } })).join('\n')).toMatch(
      /web\.publicUrl.*http:\/\/ or https:\/\//,
    );
  });
});

describe('metrics config', () => {
  it('port 0 means off, as web.port 0 does: no port reaches the bot', () => {
    expect(testConfig({ metrics: { port: 0 } }).metrics).toEqual({ host: '127.0.0.1' });
    expect(testConfig({ metrics: { port: 9464 } }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(problems(() => testConfig({ metrics: { port: -1 } })).join('\n')).toMatch(/metrics\.port/);
  });
});
