import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger, visibleInLog } from '../../../src/adapters/system/logger.js';
import { tempDir } from '../../support/cleanup.js';
import { eventually } from '../../support/eventually.js';

describe('logs show typed text escaped', () => {
  it('escapes bidi and control characters in the message and in fields, redaction still applies', async () => {
    const file = join(tempDir(), 'chaoscat.log');
    const logger = createLogger({ file });
    logger.warn({ reason: 'deploy \u202etxt.exe', nested: { names: ['a\u2066b'] }, token: 'xoxb-secret' }, 'stop by \u202eU1');
    await eventually(() => existsSync(file) && readFileSync(file, 'utf8').endsWith('\n'), 'the log line');
    // Close the file before the temp dir goes.
    const stream = (logger as unknown as Record<symbol, NodeJS.EventEmitter & { end(): void }>)[pino.symbols.streamSym];
    await new Promise((resolve) => {
      stream?.once('close', resolve);
      stream?.end();
    });
    const line = readFileSync(file, 'utf8');
    expect(line).not.toMatch(/[\u202e\u2066]/);
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(entry.msg).toBe('stop by \\u202eU1');
    expect(entry.reason).toBe('deploy \\u202etxt.exe');
    expect(entry.nested).toEqual({ names: ['a\\u2066b'] });
    expect(entry.token).toBe('[redacted]');
  });

  it('leaves errors to their serializer and keeps line breaks', () => {
    const error = new Error('x');
    expect(visibleInLog({ err: error })).toEqual({ err: error });
    expect(visibleInLog('a\nb\u202e')).toBe('a\nb\\u202e');
  });
});
