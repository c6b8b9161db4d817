/** The lines the wrapper and the halt print on stdout (docs/wrapper-protocol.md). */
export type WrapperLine =
  | { readonly kind: 'pgid'; readonly pgid: number }
  | { readonly kind: 'error'; readonly text: string }
  | { readonly kind: 'attack-exit'; readonly code: number }
  | {
      readonly kind: 'end';
      readonly attack: number;
      readonly rollback: number;
      /** Whether nothing of the attack was left after the wrapper's stop. */
      readonly stopped: boolean;
      readonly dropped: boolean;
    }
  | { readonly kind: 'other'; readonly text: string };

function fields(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of text.trim().split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) map.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return map;
}

function int(value: string | undefined): number | null {
  return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : null;
}

export function parseWrapperLine(line: string): WrapperLine {
  if (line.startsWith('CHAOSCAT_PGID=')) {
    const pgid = int(line.slice('CHAOSCAT_PGID='.length).trim());
    if (pgid !== null && pgid > 1) return { kind: 'pgid', pgid };
  } else if (line.startsWith('CHAOSCAT_ERROR=')) {
    return { kind: 'error', text: line.slice('CHAOSCAT_ERROR='.length) };
  } else if (line.startsWith('CHAOSCAT_ATTACK_EXIT=')) {
    const code = int(line.slice('CHAOSCAT_ATTACK_EXIT='.length).trim());
    if (code !== null) return { kind: 'attack-exit', code };
  } else if (line.startsWith('CHAOSCAT_END ')) {
    const f = fields(line.slice('CHAOSCAT_END '.length));
    const attack = int(f.get('attack'));
    const rollback = int(f.get('rollback'));
    if (attack !== null && rollback !== null) {
      return { kind: 'end', attack, rollback, stopped: f.get('stopped') === '0', dropped: f.get('dropped') === '1' };
    }
  }
  return { kind: 'other', text: line };
}

export interface HaltReport {
  /** Processes of the attack still alive after the halt. */
  readonly remaining: number;
  /** The rollback's exit status, or null when no rollback could run (attack unknown). */
  readonly rollback: number | null;
  /** none: no wrapper was running; waited: it finished during the halt; stuck: it did not finish. */
  readonly wrapper: 'none' | 'waited' | 'stuck';
  /** When the halt ran the rollback and it failed: the last lines of its output (rollbackTail). */
  readonly rollbackOutput: string | null;
}

const ROLLBACK_OUTPUT = 'CHAOSCAT_ROLLBACK_OUTPUT=';

/** The last lines of a rollback's output, small enough for a chat message: 10 lines, 2,000 characters. */
export function rollbackTail(text: string, maxLines = 10, maxChars = 2_000): string {
  const lines = text.replace(/\r$/gm, '').trimEnd().split('\n');
  const tail = lines.slice(-maxLines).join('\n');
  return tail.length > maxChars ? `…${tail.slice(-(maxChars - 1))}` : tail;
}

/**
 * Finds the CHAOSCAT_HALT line in the halt's stdout, and the rollback's output, which the halt sends
 * base64-encoded on a line of its own (CHAOSCAT_ROLLBACK_OUTPUT=) so nothing else can be taken for it.
 */
export function parseHaltOutput(stdout: string): HaltReport | null {
  const lines = stdout.split('\n').map((l) => l.replace(/\r$/, ''));
  const line = lines.find((l) => l.startsWith('CHAOSCAT_HALT '));
  if (!line) return null;
  const f = fields(line.slice('CHAOSCAT_HALT '.length));
  const remaining = int(f.get('remaining'));
  const wrapper = f.get('wrapper');
  if (remaining === null || (wrapper !== 'none' && wrapper !== 'waited' && wrapper !== 'stuck')) return null;
  const output = lines.find((l) => l.startsWith(ROLLBACK_OUTPUT));
  const rollbackOutput =
    output === undefined
      ? null
      : rollbackTail(Buffer.from(output.slice(ROLLBACK_OUTPUT.length).trim(), 'base64').toString('utf8'));
  return { remaining, rollback: int(f.get('rollback')), wrapper, rollbackOutput };
}

/** Splits a byte stream into lines, keeping a partial last line for the next chunk. */
export class LineSplitter {
  private rest = '';
  constructor(private readonly maxLine = 4096) {}

  push(chunk: Buffer | string): string[] {
    this.rest += chunk.toString();
    // A pty on the way (sudo on a terminal) turns \n into \r\n.
    const lines = this.rest.split('\n').map((l) => l.replace(/\r$/, ''));
    this.rest = lines.pop() ?? '';
    if (this.rest.length > this.maxLine) {
      lines.push(this.rest);
      this.rest = '';
    }
    return lines;
  }
}
