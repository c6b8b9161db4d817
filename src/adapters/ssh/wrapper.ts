import { REMOTE_LIB } from './remote-lib.js';
import { checkAttackId, exportLines, shellQuote, writeFileBuiltin } from './shell.js';

/** Seconds between the deadline's SIGTERM and SIGKILL (timeout --kill-after). */
export const KILL_AFTER_S = 5;
/** A rollback that takes longer than this is killed and counts as failed. */
export const ROLLBACK_TIMEOUT_S = 60;
/** A full PATH: tc, iptables and friends live in sbin, which a non-root login lacks. */
export const REMOTE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The line the bot writes on the attack's stdin to stop it (a halt over the attack's own channel). */
export const HALT_LINE = 'CHAOSCAT_HALT';
/** Commands the wrapper itself needs on every host (pre-flight checks them). */
export const WRAPPER_REQUIRES = ['base64', 'setsid', 'timeout', 'grep', 'awk', 'sed', 'cut', 'mktemp', 'sleep', 'tail'] as const;

export interface WrapperSpec {
  readonly id: string;
  readonly env: Readonly<Record<string, string>>;
  readonly run: string;
  readonly rollback: string;
  readonly sudo: boolean;
  readonly durationS: number;
}

/**
 * `/tmp/chaoscat-<id>/manual.sh`: what the wrapper (or the halt) leaves beside the attack's `env.sh`
 * and `rollback.sh` when the rollback failed, for a person to run (manualRollbackCommand). It runs the
 * rollback with the attack's environment, says its status, and removes the directory once it worked.
 * No timeout: a person is watching.
 */
export function manualScript(id: string): string {
  const dir = `/tmp/chaoscat-${checkAttackId(id)}`;
  return `# ChaosCat: the rollback of attack ${id}, run by hand (docs/wrapper-protocol.md)
export PATH=${REMOTE_PATH}:$PATH
cd /tmp || cd /
( . ${dir}/env.sh && /bin/sh ${dir}/rollback.sh ) </dev/null
cc_rc=$?
echo "chaoscat: the rollback of attack ${id} exited with status $cc_rc" >&2
[ "$cc_rc" != 0 ] || rm -rf ${dir}
exit "$cc_rc"
`;
}

export function workDir(id: string): string {
  return `/tmp/chaoscat-${checkAttackId(id)}`;
}

/** How run, rollback and stop are started: through `sudo -n` for attacks that need root. */
export function runAs(sudo: boolean): string {
  return sudo ? 'sudo -n /bin/sh' : '/bin/sh';
}

export function envScript(env: Readonly<Record<string, string>>): string {
  return `export PATH=${REMOTE_PATH}\n${exportLines(env)}\n`;
}

/**
 * The wrapper (docs/wrapper-protocol.md). It runs as the SSH user with the channel as stdin:
 * 1. writes the attack's files to /tmp/chaoscat-<id> (mode 700);
 * 2. starts the attack in a session of its own under `timeout -k`, so the host ends it at its
 *    deadline even if the bot is gone, and prints CHAOSCAT_PGID=<pgid>;
 * 3. watches stdin: the halt line (the bot stops it) or EOF (the bot closed it or the connection
 *    dropped) kills the attack;
 * 4. once the attack ended, however it ended: kills what is left of it, runs the rollback, prints
 *    CHAOSCAT_END and removes its directory (unless a halt is in progress: the halt removes it).
 *
 * Over 80 lines on purpose: it is one shell script, read top to bottom as the host runs it.
 */
export function wrapperScript(spec: WrapperSpec): string {
  const dir = workDir(spec.id);
  const as = runAs(spec.sudo);
  const durationS = Math.max(1, Math.ceil(spec.durationS));
  // What starts, stops and rolls back the attack. A sudo attack needs them as files (sudoers names
  // `/bin/sh /tmp/chaoscat-*`). An attack of the wrapper's own user runs them inline: no file to
  // write and no /bin/sh to start per stop and rollback, which counts when fifty hosts start and
  // stop at once. In the launch lines $1 is the attack's directory; the marker is in the
  // environment already, except under sudo, which clears it: launch.sh sets it again.
  const launchLines = [
    '. "$1/env.sh"',
    ...(spec.sudo ? [`export CHAOSCAT_RUN='${spec.id}'`] : []),
    'cd /tmp || cd /',
    `exec timeout -k ${KILL_AFTER_S} ${durationS} /bin/sh "$1/attack.sh"`,
  ];
  // The wrapper ignores SIGPIPE once the attack runs (its writes to a dropped channel must not kill
  // it); the rollback gets the default back. (sudo would carry an ignored one over: a subshell resets it.)
  const undoLines = ['. "$CC_DIR/env.sh"', 'cd /tmp || cd /', `timeout -k 5 ${ROLLBACK_TIMEOUT_S} /bin/sh "$CC_DIR/rollback.sh"`];
  const stopLines = ['{ read -r CC_PGID < "$CC_DIR/pgid"; } 2>/dev/null || CC_PGID=', 'cc_stop'];
  const files = spec.sudo
    ? [
        writeFileBuiltin('"$CC_DIR/lib.sh"', REMOTE_LIB),
        writeFileBuiltin('"$CC_DIR/launch.sh"', `set -- "${dir}"\n${launchLines.join('\n')}\n`),
        writeFileBuiltin('"$CC_DIR/undo.sh"', `CC_DIR=${dir}\n${undoLines.join('\n')}\n`),
        writeFileBuiltin('"$CC_DIR/stop.sh"', `CC_ID='${spec.id}'\nCC_DIR=${dir}\n. "$CC_DIR/lib.sh"\n${stopLines.join('\n')}\n`),
      ].join('\n')
    : '';
  const launch = spec.sudo ? `exec ${as} "$1/launch.sh"` : launchLines.join('; ');
  const undo = spec.sudo ? `( trap - PIPE; exec ${as} "$CC_DIR/undo.sh" )` : `( trap - PIPE; ${undoLines.join('; ')} )`;
  // Inline (no subshell): it runs in the watcher, or in the wrapper once the attack ended.
  const stop = spec.sudo ? `${as} "$CC_DIR/stop.sh"` : `{ ${stopLines.join('; ')}; }`;
  return `# ChaosCat attack wrapper, protocol in docs/wrapper-protocol.md
export PATH=${REMOTE_PATH}:$PATH
CC_ID='${spec.id}'
CC_DIR=${dir}
# fd 4 and 5 are the channel's stdout and stderr; once the attack runs, the wrapper's own fd 1 and 2
# go to /dev/null and SIGPIPE is ignored: after a drop, a write to the channel fails, it does not kill.
exec 4>&1 5>&2
say() { printf '%s\\n' "$*" >&4 2>/dev/null || :; }
umask 077
${REMOTE_LIB}
if ! mkdir "$CC_DIR" 2>/dev/null; then
  # Left over by an earlier attack with this id? Only clear it when nothing of that one lives.
  CC_PGID=$(cat "$CC_DIR/pgid" 2>/dev/null)
  if [ -O "$CC_DIR" ] && [ ! -L "$CC_DIR" ] && ! cc_wrapper_alive "$(cat "$CC_DIR/wrapper.pid" 2>/dev/null)" && ! cc_alive; then
    rm -rf "$CC_DIR" && mkdir "$CC_DIR" 2>/dev/null
  fi
  [ -O "$CC_DIR" ] && [ ! -e "$CC_DIR/wrapper.pid" ] || { say "CHAOSCAT_ERROR=$CC_DIR exists and is in use (another attack with id $CC_ID?)"; exit 90; }
fi
echo "$$" > "$CC_DIR/wrapper.pid"
${writeFileBuiltin('"$CC_DIR/env.sh"', envScript(spec.env))}
${writeFileBuiltin('"$CC_DIR/attack.sh"', spec.run)}
${writeFileBuiltin('"$CC_DIR/rollback.sh"', spec.rollback)}
${files}
# What sshd says of this connection: the client address and the server port network attacks spare.
set -- \${SSH_CONNECTION:-}
case "\${1:-}" in ''|*[!0-9a-fA-F.:]*) ;; *) echo "export CHAOSCAT_SSH_CLIENT='$1'" >> "$CC_DIR/env.sh" ;; esac
case "\${4:-}" in ''|*[!0-9]*) ;; *) echo "export CHAOSCAT_SSHD_PORT='$4'" >> "$CC_DIR/env.sh" ;; esac
exec 3<&0 </dev/null
# The attack: a session of its own, stdout to the channel's stderr; its leader prints the pgid.
CHAOSCAT_RUN=$CC_ID setsid -w /bin/sh -c 'echo "$$" > "$1/pgid"; printf "CHAOSCAT_PGID=%s\\n" "$$"; ${launch} >&2' chaoscat-attack "$CC_DIR" 3<&- 4>&- 5>&- &
cc_apid=$!
exec >/dev/null 2>&1
trap '' HUP
# The watcher: the bot's halt line (a stop), or the end of stdin (the bot closed it or the connection
# dropped), stops the attack; the wrapper then rolls back and reports on this same channel.
( cc_why=dropped; while read -r cc_l; do [ "$cc_l" = ${HALT_LINE} ] && { cc_why=halted; break; }; done
  : > "$CC_DIR/$cc_why"; cc_started "$CC_DIR"; ${stop} ) <&3 3<&- 4>&- 5>&- &
cc_wpid=$!
exec 3<&-
trap '' PIPE
trap ': > "$CC_DIR/dropped"; cc_started "$CC_DIR"; ${stop} 4>&- 5>&-' TERM INT
while :; do
  wait "$cc_apid"
  cc_rc=$?
  kill -s 0 "$cc_apid" 2>/dev/null || break
done
if [ -e "$CC_DIR/halted" ]; then
  # The bot's halt line: the watcher's stop is the stop; its status says whether anything is left.
  wait "$cc_wpid"
  cc_stopped=$?
else
  kill "$cc_wpid" 2>/dev/null
  ${stop} 4>&- 5>&-
  cc_stopped=$?
fi
cc_dropped=0
[ -e "$CC_DIR/dropped" ] || [ -e "$CC_DIR/halted" ] && cc_dropped=1
say "CHAOSCAT_ATTACK_EXIT=$cc_rc"
${undo} > "$CC_DIR/rollback.log" 2>&1 4>&- 5>&-
cc_rb=$?
echo "$cc_rb" > "$CC_DIR/rollback.rc"
# A failed rollback keeps the directory, with manual.sh for a person: written before the end line,
# since the bot gives out the line that runs it as soon as it reads that.
[ "$cc_rb" = 0 ] || { printf %s ${shellQuote(manualScript(spec.id))} > "$CC_DIR/manual.sh"; } 2>/dev/null
printf '%s\\n' "--- rollback (exit $cc_rb) ---" >&5 2>/dev/null
[ ! -s "$CC_DIR/rollback.log" ] || tail -c 4096 "$CC_DIR/rollback.log" >&5 2>/dev/null
say "CHAOSCAT_END attack=$cc_rc rollback=$cc_rb stopped=$cc_stopped dropped=$cc_dropped"
[ "$cc_rb" != 0 ] || [ -e "$CC_DIR/halt" ] || rm -rf "$CC_DIR"
exit "$cc_rc"
`;
}
