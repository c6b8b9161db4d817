import { type ChildProcess, spawn } from 'node:child_process';
import { deferCleanup, tempDir } from './cleanup.js';
import { eventually } from './eventually.js';
import { REPO } from './test-config.js';

/** Slack variables the test machine may hold are cleared: each test says which ones it sets. */
const NO_SLACK = { SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: '', SLACK_API_URL: '' };

/**
 * Node 22+'s compile cache (bin/chaoscat.js enables it) in a dir of this run, removed with it: the
 * machine's /tmp/node-compile-cache is left as the tests found it.
 */
let compileCache: string | undefined;
function botEnv(): Record<string, string> {
  compileCache ??= tempDir('chaoscat-compile-cache-');
  return { ...NO_SLACK, NODE_COMPILE_CACHE: compileCache };
}

/** How `npm start` runs the bot: the TypeScript sources through tsx. */
export const SOURCE_ENTRY: readonly string[] = ['--import', 'tsx', 'src/main.ts'];

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Kills the bot (by its own PID) if it still runs when the test file ends, e.g. after a failed assertion. */
function killAfterTestFile(child: ChildProcess): void {
  deferCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  });
}

/**
 * Runs the real bot (`node --import tsx src/main.ts ...`, or `node ENTRY...` such as the compiled
 * bin/chaoscat.js), feeding `input` on stdin.
 */
export function runBot(
  args: string[],
  input: string,
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
  entry: readonly string[] = SOURCE_ENTRY,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...entry, ...args], {
      cwd: REPO,
      env: { ...process.env, ...botEnv(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    killAfterTestFile(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bot did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

export interface LiveBot {
  readonly child: import('node:child_process').ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Sends one console line. */
  say(line: string): void;
  /** Waits until stdout matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the real bot and keeps its stdin open; resolves once the console banner is printed (or,
 * with `readyOnStderr`, once stderr matches it — the Slack transport says there when it connected).
 */
export async function startBot(args: string[], env: NodeJS.ProcessEnv = {}, readyOnStderr?: RegExp): Promise<LiveBot> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: REPO,
    env: { ...process.env, ...botEnv(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  killAfterTestFile(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const bot: LiveBot = {
    child,
    stdout: () => out,
    stderr: () => err,
    say: (line) => child.stdin.write(`${line}\n`),
    exited,
    waitFor: async (pattern, timeoutMs = 30_000) => {
      let done = false;
      void exited.then(() => {
        done = true;
      });
      // Output that came just before the exit still counts.
      const giveUp = () => (done && !pattern.test(out) ? 'the bot exited' : undefined);
      await eventually(() => pattern.test(out), `${pattern} on stdout`, { timeoutMs, everyMs: 20, giveUp }).catch(
        (error: Error) => {
          throw new Error(`${error.message}\nstdout:\n${out}\nstderr:\n${err}`);
        },
      );
    },
  };
  if (!readyOnStderr) {
    await bot.waitFor(/ChaosCat console/);
    return bot;
  }
  const giveUp = () => (child.exitCode === null ? undefined : `the bot exited with ${child.exitCode}`);
  await eventually(() => readyOnStderr.test(err), `the bot to be ready (${readyOnStderr} on stderr)`, {
    timeoutMs: 30_000,
    everyMs: 20,
    giveUp,
  }).catch((error: Error) => {
    throw new Error(`${error.message}\nstdout:\n${out}\nstderr:\n${err}`);
  });
  return bot;
}
