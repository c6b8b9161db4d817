import { describe, expect, it } from 'vitest';
import { formatMatcher, matches, matchesAll, parseMatcher } from '../../src/domain/label-matchers.js';

function parse(text: string) {
  const parsed = parseMatcher(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.matcher;
}

describe('alertmanager matchers', () => {
  it.each([
    ['severity="critical"', { severity: 'critical' }, true],
    ['severity="critical"', { severity: 'warning' }, false],
    ['severity="critical"', {}, false],
    ['severity!="critical"', { severity: 'warning' }, true],
    ['severity!="critical"', {}, true],
    ['severity!="critical"', { severity: 'critical' }, false],
    ['severity=~"critical|page"', { severity: 'page' }, true],
    ['severity=~"critical|page"', { severity: 'critical' }, true],
    ['severity=~"crit"', { severity: 'critical' }, false],
    ['severity=~"critical|page"', { severity: 'pager' }, false],
    ['severity=~".*"', {}, true],
    ['severity!~"info|none"', { severity: 'critical' }, true],
    ['severity!~"info|none"', { severity: 'info' }, false],
    ['team=~""', {}, true],
    ['severity=~"(?i)critical"', { severity: 'CRITICAL' }, true],
    ['severity=~"crit.*"', { severity: 'crit\nical' }, false],
    ['severity=critical', { severity: 'critical' }, true],
    ['{severity="critical"}', { severity: 'critical' }, true],
    [' service = "api" ', { service: 'api' }, true],
    ['msg="say \\"hi\\""', { msg: 'say "hi"' }, true],
  ] as const)('%s against %j → %s (regexes anchored as in Alertmanager)', (text, labels, expected) => {
    expect(matches(parse(text), labels)).toBe(expected);
  });

  it('requires every matcher to match', () => {
    const ms = [parse('severity="critical"'), parse('service="api"')];
    expect(matchesAll(ms, { severity: 'critical', service: 'api' })).toBe(true);
    expect(matchesAll(ms, { severity: 'critical', service: 'db' })).toBe(false);
    expect(matchesAll([], { anything: 'x' })).toBe(true);
  });

  it.each([
    'severity',
    'severity=="x"',
    '9lives="x"',
    'a="unterminated',
    'a=~"("',
    'a="bad \\q escape"',
    'a=x"y',
  ])('rejects %s with a message that quotes it', (text) => {
    const parsed = parseMatcher(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(text);
  });

  it('formats a matcher the way Alertmanager filter= parses it, escaping quotes', () => {
    expect(formatMatcher(parse('severity=~"critical|page"'))).toBe('severity=~"critical|page"');
    expect(formatMatcher(parse('msg="say \\"hi\\""'))).toBe('msg="say \\"hi\\""');
    expect(formatMatcher(parse('a!=b'))).toBe('a!="b"');
  });
});
