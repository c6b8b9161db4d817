import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseCommand } from '../../domain/command-parser.js';
import type {
  Announcer,
  Authorizer,
  ChatEvent,
  ChatTransport,
  Hearing,
  Inbound,
  Posted,
  Reply,
  TeamChat,
} from '../../ports/chat.js';
import { errorMessage } from '../../ports/errors.js';
import { eventText } from '../../words/announcements.js';
import { replyWhole } from '../../words/table.js';
import { type NameOf, plainText } from '../../words/tokens.js';

export interface ConsoleOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly timezone: string;
  readonly dryRun: boolean;
  /** Handles one command; lines are handled one after another, in order. */
  readonly handle: (inbound: Inbound) => Promise<Reply>;
  /** Called once, after the last line was handled, when input ends (or the terminal went away). */
  readonly onEnd: () => void;
  /** Told when the terminal failed (EIO), before onEnd; for the log. */
  readonly onInputError?: (error: Error) => void;
  /** Where reply attachments (the report's chart) are written; their paths are printed. */
  readonly attachmentsDir?: string;
  /** Lines printed under the banner at start (where the report archive is, or why it is not). */
  readonly notes?: readonly string[];
  /** People's display names where known (a Slack id reads as `@name`, else `@U…`). */
  readonly nameOf?: NameOf;
}

/**
 * The app's text for a terminal: a mention token (`<@U0123ABCD>`, which Slack renders as the
 * person's name) becomes the plain id `@U0123ABCD`, and Slack's *bold* markers go.
 */
export function consoleText(text: string, nameOf?: NameOf): string {
  return plainText(text, nameOf).replace(/\*([^*\n]+)\*/g, '$1');
}

/** Renders a reply for a terminal: the text, then any preformatted block and tables, indented. */
export function renderReply(reply: Reply, nameOf?: NameOf): string {
  const { text, body } = replyWhole(reply, nameOf);
  return body ? `${consoleText(text, nameOf)}\n${consoleText(body, nameOf).replace(/^/gm, '  ')}` : consoleText(text, nameOf);
}

/**
 * The console chat (like Hubot's shell adapter): one command a line from stdin, optionally prefixed
 * by `@chaoscat`; replies and announcements on stdout. The local operator is an admin.
 */
export class ConsoleTransport implements ChatTransport {
  private rl: Interface | null = null;
  private open = false;
  private queue: Promise<void> = Promise.resolve();
  private endSeen = false;
  private outputBroken = false;
  private readonly interactive: boolean;
  /** The prompt is on screen, waiting for a line (not while a command runs). */
  private prompting = false;

  constructor(private readonly options: ConsoleOptions) {
    this.interactive = Boolean((options.input as { isTTY?: boolean }).isTTY);
  }

  async start(): Promise<void> {
    const { input, output } = this.options;
    this.open = true;
    this.rl = createInterface({ input, output: this.interactive ? output : undefined, terminal: this.interactive });
    this.rl.setPrompt('chaoscat> ');
    this.print(
      `ChaosCat console — ${this.options.dryRun ? 'DRY RUN: hosts are never touched' : 'LIVE: attacks run on real hosts'}. Type \`help\`; Ctrl-D quits.`,
    );
    for (const note of this.options.notes ?? []) this.print(note);
    this.prompt();
    this.rl.on('line', (line) => {
      // A person at the terminal must be able to stop while a run-once still waits on health or
      // pre-flight: `stop` jumps the queue. Piped input is a script and keeps its order.
      if (this.interactive && parseCommand(line).kind === 'stop') {
        void this.handleLine(line);
        return;
      }
      this.queue = this.queue.then(() => this.handleLine(line));
    });
    this.rl.on('close', () => this.ended());
    // A terminal that goes away (the window closed, the SSH session dropped) fails reads and writes
    // with EIO: that is the end of input, not a crash, so the attacks in flight are still reverted.
    this.rl.on('error', (error) => this.ended(error));
    input.on('error', (error) => this.ended(error));
    output.on('error', (error) => {
      this.outputBroken = true;
      this.ended(error);
    });
  }

  private ended(error?: Error): void {
    this.open = false;
    this.prompting = false;
    if (this.endSeen) return;
    this.endSeen = true;
    if (error) this.options.onInputError?.(error);
    this.queue = this.queue.then(() => this.options.onEnd());
  }

  private async handleLine(line: string): Promise<void> {
    this.prompting = false;
    if (line.trim() === '') return this.prompt();
    const reply = await this.options.handle({ text: line, actor: 'console', transport: 'console' });
    this.print(renderReply(reply, this.options.nameOf));
    this.saveAttachments(reply);
    this.prompt();
  }

  private saveAttachments(reply: Reply): void {
    for (const a of reply.attachments ?? []) {
      const dir = this.options.attachmentsDir;
      if (!dir) {
        this.print(`  (${a.title}: not saved, no attachments directory)`);
        continue;
      }
      try {
        mkdirSync(dir, { recursive: true });
        const path = join(dir, basename(a.filename));
        writeFileSync(path, a.data);
        this.print(`  ${a.title}: ${path}`);
      } catch (error) {
        this.print(`  (${a.title}: cannot save: ${errorMessage(error)})`);
      }
    }
  }

  private prompt(): void {
    if (this.interactive && this.open && this.rl) {
      this.rl.prompt();
      this.prompting = true;
    }
  }

  /**
   * A line that arrives on its own (a warning from the log, an announcement): on a terminal
   * waiting at the prompt it goes above the prompt, which is drawn again with what was typed.
   */
  notice(text: string): void {
    const { output } = this.options;
    if (!this.prompting || !this.rl || this.outputBroken || output.destroyed || !output.writable) {
      this.print(text);
      return;
    }
    clearLine(output, 0);
    cursorTo(output, 0);
    output.write(`${text}\n`);
    this.rl.prompt(true);
  }

  print(text: string): void {
    const { output } = this.options;
    if (this.outputBroken || output.destroyed || !output.writable) return;
    output.write(`${text}\n`);
  }

  async announce(event: ChatEvent): Promise<void> {
    this.announceAs(event, this.options.timezone, null);
  }

  private announceAs(event: ChatEvent, timezone: string, label: string | null): void {
    this.notice(
      `» ${label ? `[${label}] ` : ''}${consoleText(eventText(event, timezone), this.options.nameOf).replace(/\n/g, '\n  ')}`,
    );
    if (event.kind === 'report') this.saveAttachments(event.reply);
  }

  /** Printed like any announcement; not ok when the output can no longer be written (closed, EPIPE). */
  async announceStart(event: Extract<ChatEvent, { kind: 'attack-started' }>): Promise<Posted> {
    return this.startAs(event, this.options.timezone, null);
  }

  private startAs(event: Extract<ChatEvent, { kind: 'attack-started' }>, timezone: string, label: string | null): Posted {
    const why = this.unwritable();
    if (why) return { ok: false, reason: why };
    try {
      this.announceAs(event, timezone, label);
    } catch (error) {
      return { ok: false, reason: `cannot write to the console: ${errorMessage(error)}` };
    }
    return { ok: true };
  }

  /** The same terminal for every team; each announcement names its team when there are several. */
  forTeam(team: TeamChat): Announcer & Authorizer {
    return {
      announce: async (event) => this.announceAs(event, team.timezone, team.label),
      announceStart: async (event) => this.startAs(event, team.timezone, team.label),
      isAdmin: () => this.isAdmin(),
      describeAdmins: () => this.describeAdmins(),
    };
  }

  /** Why the output cannot take a line, or null when it can. */
  private unwritable(): string | null {
    const { output } = this.options;
    if (output.errored) return `the console output failed: ${output.errored.message}`;
    if (output.destroyed || output.writableEnded || !output.writable) return 'the console output is closed';
    return null;
  }

  hearing(): Hearing {
    return this.open ? { ok: true } : { ok: false, reason: 'console input is closed' };
  }

  async isAdmin(): Promise<boolean> {
    return true;
  }

  describeAdmins(): string {
    return 'The console operator is an admin.';
  }

  async stop(): Promise<void> {
    this.close();
  }

  close(): void {
    try {
      this.rl?.close();
    } catch (error) {
      // Restoring a terminal that is gone throws EIO: it is closed all the same.
      this.ended(error as Error);
    }
  }
}
