import { PREFLIGHT_DONE } from './preflight-channel.js';
import { REMOTE_LIB } from './remote-lib.js';
import { shellQuote, writeFileBuiltin } from './shell.js';
import { envScript, manualScript, ROLLBACK_TIMEOUT_S, runAs, WRAPPER_REQUIRES, workDir } from './wrapper.js';

export interface HaltSpec {
  readonly id: string;
  /** The pgid the bot recorded; used only when the host confirms the group is this attack's. */
  readonly pgid: number | null;
  readonly env: Readonly<Record<string, string>>;
  /** null when the attack definition is no longer known (orphan of a removed attack file). */
  readonly rollback: string | null;
  readonly sudo: boolean;
  /** What an operator runs to roll back by hand when the rollback fails (manual-rollback.ts); none without a rollback. */
  readonly manualRollback?: string | undefined;
  /** The halt's command line when the host has an installed runner (`sudo -n chaoscat-host halt ID`); else haltScript's. */
  readonly command?: string | undefined;
}

/** How long the halt waits for the wrapper's own rollback before running it itself (naps: 50 x 20 ms, then 100 ms). */
const WRAPPER_WAIT_NAPS = 50 + (ROLLBACK_TIMEOUT_S + 15) * 10;

/**
 * The halt, sent on a second channel (stop, health abort, orphan recovery, lost connection):
 * kill the attack's group and marked processes (TERM, then KILL), wait for the wrapper's rollback,
 * run the rollback itself when the wrapper's did not succeed (it is safe twice), confirm nothing
 * is left and print one line: `CHAOSCAT_HALT remaining=<n> rollback=<rc|none> wrapper=<state>`,
 * preceded, when its rollback failed, by `CHAOSCAT_ROLLBACK_OUTPUT=<base64 of the output's tail>`.
 */
export function haltScript(spec: HaltSpec): string {
  const dir = workDir(spec.id);
  const pgid = spec.pgid !== null && Number.isInteger(spec.pgid) && spec.pgid > 1 ? String(spec.pgid) : '';
  const core = `CC_ID='${spec.id}'
CC_DIR=${dir}
H=$1
. "$H/lib.sh"
CC_PGID=$(cat "$CC_DIR/pgid" 2>/dev/null)
case "$CC_PGID" in ''|*[!0-9]*) CC_PGID= ;; esac
if [ -z "$CC_PGID" ] && [ -n '${pgid}' ]; then
  # A recorded pgid counts only if a marked process of this attack is in that group (pids recycle).
  CC_PGID='${pgid}'
  cc_owns_group || CC_PGID=
fi
cc_w=$(cat "$CC_DIR/wrapper.pid" 2>/dev/null)
[ -d "$CC_DIR" ] && : > "$CC_DIR/halt" 2>/dev/null
cc_stop
cc_wrapper=none
if cc_wrapper_alive "$cc_w"; then
  cc_wrapper=waited
  cc_n=0
  while cc_wrapper_alive "$cc_w" && [ "$cc_n" -lt ${WRAPPER_WAIT_NAPS} ]; do cc_nap; done
  cc_wrapper_alive "$cc_w" && cc_wrapper=stuck
fi
cc_rb=$(cat "$CC_DIR/rollback.rc" 2>/dev/null)
if [ "$cc_rb" != 0 ]; then
  if [ -f "$H/rollback.sh" ]; then
    ( . "$H/env.sh"; cd /tmp || cd /; timeout -k 5 ${ROLLBACK_TIMEOUT_S} /bin/sh "$H/rollback.sh" ) > "$H/rollback.log" 2>&1 </dev/null
    cc_rb=$?
  else
    cc_rb=none
  fi
fi
cc_stop
cc_left=$(cc_members | wc -l | tr -d ' ')
case "$cc_rb" in
  0|none) [ "$cc_wrapper" = stuck ] || rm -rf "$CC_DIR" ;;
  # Failed: what a person needs to run it by hand stays beside the attack (manual.sh; the bot gives the line).
  *) mkdir -p "$CC_DIR" && cp "$H/env.sh" "$H/rollback.sh" "$CC_DIR/" && { printf %s ${shellQuote(manualScript(spec.id))} > "$CC_DIR/manual.sh"; } 2>/dev/null ;;
esac
# A failed rollback's own output (stdout and stderr), on a line of its own: base64 keeps it apart.
case "$cc_rb" in 0|none) ;; *) echo "CHAOSCAT_ROLLBACK_OUTPUT=$(tail -c 2048 "$H/rollback.log" 2>/dev/null | base64 | tr -d '\\n')" ;; esac
echo "CHAOSCAT_HALT remaining=$cc_left rollback=$cc_rb wrapper=$cc_wrapper"
`;
  return `# ChaosCat halt, protocol in docs/wrapper-protocol.md
export PATH=${'/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'}:$PATH
umask 077
H=$(mktemp -d '/tmp/chaoscat-${spec.id}-halt.XXXXXX') || { echo 'CHAOSCAT_HALT_ERROR=mktemp failed'; exit 1; }
${writeFileBuiltin('"$H/lib.sh"', REMOTE_LIB)}
${writeFileBuiltin('"$H/env.sh"', envScript(spec.env))}
${spec.rollback === null ? '' : writeFileBuiltin('"$H/rollback.sh"', spec.rollback)}
${writeFileBuiltin('"$H/halt.sh"', core)}
${runAs(spec.sudo)} "$H/halt.sh" "$H" </dev/null
cc_rc=$?
rm -rf "$H"
exit "$cc_rc"
`;
}

export interface PreflightSpec {
  readonly id: string;
  readonly requires: readonly string[];
  readonly sudo: boolean;
  /** The wrapper (wrapperScript) this pre-flight runs when the start's go line comes. */
  readonly wrapper: string;
}

/** The line the start writes on a passed pre-flight's stdin: the wrapper it carries then runs. */
export const PREFLIGHT_GO = 'CHAOSCAT_GO';

/**
 * Prints CHAOSCAT_MISSING=<cmd> per missing command, CHAOSCAT_NOSUDO, then CHAOSCAT_PREFLIGHT=done.
 * When nothing is missing it then waits on stdin for the start's go line, and becomes the wrapper it
 * carries, in the same process (started with the wrapper's marker in its environment), its stdin
 * still the channel the wrapper watches (`read` takes one line and no more). End of stdin instead
 * (no start came), or any other line, ends it with nothing run.
 */
export function preflightScript(spec: PreflightSpec): string {
  const commands = [...new Set([...WRAPPER_REQUIRES, ...(spec.sudo ? ['sudo'] : []), ...spec.requires])];
  const sudoCheck = spec.sudo
    ? `sudo -n -l /bin/sh ${workDir(spec.id)}/launch.sh >/dev/null 2>&1 || { echo CHAOSCAT_NOSUDO; cc_ok=no; }`
    : '';
  return `export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
cc_ok=yes
for c in ${commands.map(shellQuote).join(' ')}; do command -v "$c" >/dev/null 2>&1 || { echo "CHAOSCAT_MISSING=$c"; cc_ok=no; }; done
${sudoCheck}
echo ${PREFLIGHT_DONE}
[ "$cc_ok" = yes ] || exit 0
IFS= read -r cc_go || exit 0
[ "$cc_go" = ${PREFLIGHT_GO} ] || exit 0
${spec.wrapper}`;
}
