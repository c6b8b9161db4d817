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
}

/** Finds the CHAOSCAT_HALT line in the halt's stdout. */
export function parseHaltOutput(stdout: string): HaltReport | null {
  const line = stdout
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .find((l) => l.startsWith('CHAOSCAT_HALT '));
  if (!line) return null;
  const f = fields(line.slice('CHAOSCAT_HALT '.length));
  const remaining = int(f.get('remaining'));
  const wrapper = f.get('wrapper');
  if (remaining === null || (wrapper !== 'none' && wrapper !== 'waited' && wrapper !== 'stuck')) return null;
  return { remaining, rollback: int(f.get('rollback')), wrapper };
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
