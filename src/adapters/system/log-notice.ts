/**
 * One line for a person at the console from a JSON log record (warnings and errors): the level in
 * words, the message and the error's own message, and where the whole record is. Null for a line
 * that is not a log record.
 */
export function noticeLine(jsonLine: string, logFile: string): string | null {
  let record: { level?: unknown; msg?: unknown; err?: { message?: unknown }; reason?: unknown };
  try {
    record = JSON.parse(jsonLine);
  } catch {
    return null;
  }
  if (typeof record !== 'object' || record === null || typeof record.level !== 'number') return null;
  const word = record.level >= 60 ? 'fatal' : record.level >= 50 ? 'error' : 'warning';
  const msg = typeof record.msg === 'string' ? record.msg : '(no message)';
  const detail =
    typeof record.err?.message === 'string' ? record.err.message : typeof record.reason === 'string' ? record.reason : '';
  const text = detail && !msg.includes(detail) ? `${msg}: ${detail}` : msg;
  return `! ${word}: ${oneLine(text)} (details in ${logFile})`;
}

/** Flattened; a long one loses its middle (a message ends with what it means: "no hosts from it"). */
function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 121)}…${flat.slice(-120)}` : flat;
}

/** Notices written before the console can show them are kept, then shown in order once it can. */
export class NoticeBoard {
  private sink: ((line: string) => void) | null = null;
  private readonly waiting: string[] = [];

  constructor(private readonly logFile: string) {}

  /** The logger's notice stream: a JSON line in. */
  readonly push = (jsonLine: string): void => {
    const line = noticeLine(jsonLine, this.logFile);
    if (line === null) return;
    if (this.sink) this.sink(line);
    else if (this.waiting.length < 100) this.waiting.push(line);
  };

  attach(sink: (line: string) => void): void {
    this.sink = sink;
    for (const line of this.waiting.splice(0)) sink(line);
  }
}
