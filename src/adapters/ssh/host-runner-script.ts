import { REMOTE_LIB } from './remote-lib.js';
import { checkRunnerPaths, type RunnerPaths, runnerHome } from './runner-paths.js';
import { HALT_LINE, KILL_AFTER_S, REMOTE_PATH, ROLLBACK_TIMEOUT_S, WRAPPER_REQUIRES } from './wrapper.js';

/** Bumped when the runner's grammar or its lines change; `chaoscat-host version` prints it. */
export const RUNNER_VERSION = '2';
/** The line the runner's `run` waits for after the environment: the start (docs/host-runner.md). */
export const RUNNER_GO = 'CHAOSCAT_GO';

/**
 * `chaoscat-host`, the runner installed on every host (docs/host-runner.md). POSIX sh, root-owned,
 * run by the bot only through `sudo -n` and the one sudoers line that names it. Its grammar:
 *
 *   run ATTACK ID     pre-flight, then the attack: reads NAME=BASE64 lines and CHAOSCAT_GO on stdin,
 *                     runs <home>/attacks/ATTACK/run under the wrapper protocol, stdin the dead man's switch
 *   halt ID           kills attack ID (its cgroup, else its process group and marker), rolls back if needed
 *   rollback ID       the same, for a person: says what it does, exit status of the rollback
 *   status [ID]       what the state directory holds
 *   version           the runner's version and SHA-256, cgroup v2 or not, every installed attack's SHA-256
 *
 * It runs only installed attacks whose checksum matches the manifest written at install time, and
 * only with parameters it parses itself: values are data, never shell text. An attack whose `user`
 * file says `user` runs as the sudo caller (setpriv), not as root.
 *
 * Over 80 lines on purpose: it is one shell script, installed whole and checksummed whole, read as
 * the script it writes (its functions are shell functions).
 */
export function runnerScript(input: RunnerPaths): string {
  const paths = checkRunnerPaths(input);
  const requires = [...new Set([...WRAPPER_REQUIRES, 'sha256sum', 'setpriv'])].join(' ');
  return String.raw`#!/bin/sh
# chaoscat-host ${RUNNER_VERSION}: the ChaosCat attack runner (docs/host-runner.md). Root-owned; the bot's
# sudoers line names this file and nothing else. Installed by "chaoscat hosts install" or the playbook.
CC_VERSION=${RUNNER_VERSION}
CC_SELF=${paths.runner}
CC_HOME=${runnerHome(paths)}
CC_STATE=${paths.state}
PATH=${REMOTE_PATH}
export PATH
umask 077
cd / || exit 1
${REMOTE_LIB}
# Protocol lines on the channel, with the shell's own printf: run ignores SIGPIPE, so a write to a
# dropped channel fails instead of killing the runner (the attack and the rollback get it back).
say() { printf '%s\n' "$*" >&4 2>/dev/null || :; }
die() { echo "chaoscat-host: $*" >&2; exit 2; }
cc_plain() { case "$1" in ''|-*|*[!A-Za-z0-9_.-]*) return 1 ;; esac; [ "${'$'}{#1}" -le 64 ]; }
cc_sum() { sha256sum | cut -d' ' -f1; }
cc_attack_sum() { ( cd "$CC_HOME/attacks/$1" 2>/dev/null && sha256sum run rollback requires user ) | cc_sum; }
cc_self_sum() { cc_sum < "$CC_SELF"; }
cc_manifest() { awk -v n="$1" '$2 == n { print $1; exit }' "$CC_HOME/MANIFEST" 2>/dev/null; }
# cgroup v2, unified or beside v1 (hybrid): the hierarchy whose root has cgroup.subtree_control, in
# cc_cgroot (no process: it runs in the caller's shell).
cc_cg_root() {
  cc_cgroot=
  for cc_d in /sys/fs/cgroup /sys/fs/cgroup/unified; do
    [ -e "$cc_d/cgroup.subtree_control" ] && [ -w "$cc_d" ] && { cc_cgroot=$cc_d; return 0; }
  done
  return 1
}
cc_cg_kind() { if cc_cg_root; then echo v2; else echo none; fi; }
# The start time of pid $1 (field 22 of its stat) in cc_since, empty when it is gone or a zombie.
cc_start_of() {
  cc_since=
  case "$1" in ''|*[!0-9]*) return 1 ;; esac
  { read -r cc_s < "/proc/$1/stat"; } 2>/dev/null || return 1
  set -- ${'$'}{cc_s##*) }
  [ "${'$'}{1:-Z}" != Z ] || return 1
  shift 19
  cc_since=$1
}
# Whether the runner process recorded in $D/runner (pid and start time) still runs.
cc_runner_alive() {
  read -r cc_rp cc_rs < "$D/runner" 2>/dev/null || return 1
  cc_start_of "$cc_rp"
  [ -n "$cc_rs" ] && [ "$cc_since" = "$cc_rs" ]
}
# Kills the attack: its cgroup at once (nothing escapes it, no /proc scan), else its process group
# and marked processes (cc_stop). Sets cc_how; true once nothing of it is left.
# Whether the attack's cgroup holds no process (cgroup.events, read without a process).
cc_empty() {
  [ -e "$CC_CG/cgroup.events" ] || return 0
  cc_pop=1
  { while read -r cc_k cc_v; do [ "$cc_k" != populated ] || cc_pop=$cc_v; done < "$CC_CG/cgroup.events"; } 2>/dev/null
  [ "$cc_pop" = 0 ]
}
cc_kill() {
  CC_CG=
  { read -r CC_CG < "$D/cgroup"; } 2>/dev/null
  # Only a cgroup of ours is written to (cgroup.kill as root anywhere else would be a hazard).
  case "$CC_CG" in /sys/fs/cgroup/chaoscat/*|/sys/fs/cgroup/unified/chaoscat/*) ;; *) CC_CG= ;; esac
  if [ -n "$CC_CG" ]; then
    cc_how=cgroup
    # Removed only once empty: a cgroup that is gone has nothing left in it.
    [ -d "$CC_CG" ] || return 0
    cc_n=0
    while :; do
      # The runner's own stop may empty and remove it meanwhile: gone is done.
      [ -d "$CC_CG" ] || return 0
      cc_empty && break
      if [ -e "$CC_CG/cgroup.kill" ]; then echo 1 > "$CC_CG/cgroup.kill" 2>/dev/null
      else for cc_p in $(cat "$CC_CG/cgroup.procs" 2>/dev/null); do kill -s KILL "$cc_p" 2>/dev/null; done; fi
      # The kernel ends them in microseconds: look again at once (builtins only) before any nap.
      cc_i=0
      while [ "$cc_i" -lt 200 ] && ! cc_empty; do cc_i=$((cc_i + 1)); done
      cc_empty && break
      [ "$cc_n" -lt 120 ] || return 1
      cc_nap
    done
    rmdir "$CC_CG" 2>/dev/null
    return 0
  fi
  cc_how=pgroup
  { read -r CC_PGID < "$D/pgid"; } 2>/dev/null || CC_PGID=
  cc_stop
}
# The rollback, with the attack's environment, as the user the attack ran as; output to $1.
# SSH_CONNECTION of the nearest ancestor that has it (sudo itself, started by the login shell), in
# cc_conn. One sed per ancestor looked at (the shell drops the NUL that ends its output).
cc_ssh_connection() {
  cc_conn=
  cc_p=$PPID
  cc_i=0
  while [ "$cc_i" -lt 6 ]; do
    case "$cc_p" in ''|*[!0-9]*|0|1) return 0 ;; esac
    # (bash as /bin/sh warns of the NUL it drops: hushed.)
    { cc_c=$(sed -zn 's/^SSH_CONNECTION=//p' "/proc/$cc_p/environ" 2>/dev/null); } 2>/dev/null
    [ -z "$cc_c" ] || { cc_conn=$cc_c; return 0; }
    { read -r cc_s < "/proc/$cc_p/stat"; } 2>/dev/null || return 0
    set -- ${'$'}{cc_s##*) }
    cc_p=${'$'}{2:-}
    cc_i=$((cc_i + 1))
  done
}
# $cc_v single-quoted for a shell, without a process: every ' becomes '\''.
cc_quote() {
  cc_q=
  cc_rest=$cc_v
  while :; do
    case "$cc_rest" in
      *"'"*) cc_q="$cc_q${'$'}{cc_rest%%"'"*}'\\''"; cc_rest=${'$'}{cc_rest#*"'"} ;;
      *) cc_q="$cc_q$cc_rest"; break ;;
    esac
  done
}
cc_rollback() {
  cc_as= cc_a=
  { read -r cc_as < "$D/as"; } 2>/dev/null
  { read -r cc_a < "$D/attack"; } 2>/dev/null
  cc_plain "$cc_a" && [ -f "$CC_HOME/attacks/$cc_a/rollback" ] || { echo "attack \"$cc_a\" is not installed" > "$1"; return 125; }
  ( trap - PIPE; . "$D/env.sh"; cd /tmp || cd /
    exec $cc_as timeout -k 5 ${ROLLBACK_TIMEOUT_S} /bin/sh "$CC_HOME/attacks/$cc_a/rollback" ) > "$1" 2>&1 </dev/null
}

cc_run() {
  cc_a=$1 CC_ID=$2
  D=$CC_STATE/$CC_ID
  exec 4>&1 5>&2
  A=$CC_HOME/attacks/$cc_a
  trap '' PIPE
  cc_ok=yes
  # What was installed (MANIFEST, read by the shell itself); then one sha256sum proves that the
  # runner and the attack's files are still those bytes (SHA256SUMS, written at install time).
  cc_ss= cc_sa=
  { while read -r cc_h cc_n; do
      [ "$cc_n" = chaoscat-host ] && cc_ss=$cc_h
      [ "$cc_n" = "$cc_a" ] && cc_sa=$cc_h
    done < "$CC_HOME/MANIFEST"; } 2>/dev/null
  if [ ! -f "$A/run" ]; then
    say "CHAOSCAT_REFUSED=attack $cc_a is not installed on this host"; cc_ok=no
  elif ! sha256sum --quiet --strict -c "$A/SHA256SUMS" >/dev/null 2>&1; then
    say "CHAOSCAT_REFUSED=the runner or attack $cc_a changed since it was installed (its files no longer match $CC_HOME/MANIFEST)"
    cc_ok=no
  fi
  if cc_cg_root; then cc_cg=v2; else cc_cg=none; fi
  say "CHAOSCAT_RUNNER version=$CC_VERSION sha256=$cc_ss cgroup=$cc_cg"
  say "CHAOSCAT_ATTACK name=$cc_a sha256=$cc_sa"
  case "${'$'}{SUDO_UID:-}" in ''|*[!0-9]*) say "CHAOSCAT_REFUSED=run me through sudo -n"; cc_ok=no ;; esac
  cc_as=
  cc_u=
  { read -r cc_u < "$A/user"; } 2>/dev/null
  [ "$cc_u" != user ] || cc_as="setpriv --reuid=${'$'}{SUDO_UID:-} --regid=${'$'}{SUDO_GID:-} --init-groups"
  cc_req=
  { while read -r cc_c; do cc_req="$cc_req $cc_c"; done < "$A/requires"; } 2>/dev/null
  for c in ${requires} $cc_req; do
    command -v "$c" >/dev/null 2>&1 || { say "CHAOSCAT_MISSING=$c"; cc_ok=no; }
  done
  say CHAOSCAT_PREFLIGHT=done
  [ "$cc_ok" = yes ] || exit 0
  # The start: NAME=VALUE lines (NAME:=BASE64 for a value with a line break), then the go line.
  # Values are data: quoted here, never read as shell. End of input first: nothing runs.
  cc_env=
  cc_go=no
  cc_dur=60
  while IFS= read -r cc_l; do
    [ "$cc_l" = ${RUNNER_GO} ] && { cc_go=yes; break; }
    cc_k=${'$'}{cc_l%%=*}
    cc_v=${'$'}{cc_l#*=}
    case "$cc_k" in
      *:) cc_k=${'$'}{cc_k%:}
        case "$cc_v" in *[!A-Za-z0-9+/=]*) say "CHAOSCAT_ERROR=the value of $cc_k is not base64"; exit 2 ;; esac
        cc_v=$(printf '%s' "$cc_v" | base64 -d 2>/dev/null; echo x)
        cc_v=${'$'}{cc_v%x} ;;
    esac
    case "$cc_k" in CHAOSCAT_*) ;; *) say "CHAOSCAT_ERROR=refused environment name $cc_k"; exit 2 ;; esac
    case "$cc_k" in *[!A-Z0-9_]*) say "CHAOSCAT_ERROR=refused environment name $cc_k"; exit 2 ;; esac
    case "$cc_k" in CHAOSCAT_DURATION_S) case "$cc_v" in ''|*[!0-9]*) ;; *) [ "${'$'}{#cc_v}" -le 5 ] && cc_dur=$cc_v ;; esac ;; esac
    cc_quote
    cc_env="${'$'}{cc_env}export $cc_k='$cc_q'
"
  done
  [ "$cc_go" = yes ] || exit 0
  [ -d "$CC_STATE" ] || { mkdir -p "$CC_STATE" && chmod 700 "$CC_STATE"; } || { say "CHAOSCAT_ERROR=cannot make $CC_STATE"; exit 90; }
  if ! mkdir "$D" 2>/dev/null; then
    # Left by an earlier run of this id? Only when nothing of it lives: its rollback then ran or is due.
    if [ -e "$D/runner" ] && cc_runner_alive; then say "CHAOSCAT_ERROR=$D is in use (another attack with id $CC_ID?)"; exit 90; fi
    say "CHAOSCAT_ERROR=$D holds an attack not yet rolled back: run $CC_SELF rollback $CC_ID"; exit 90
  fi
  cc_start_of $$
  printf '%s %s\n' "$$" "$cc_since" > "$D/runner"
  printf '%s\n' "$cc_a" > "$D/attack"
  printf '%s\n' "$cc_as" > "$D/as"
  [ "$cc_dur" -gt 0 ] || cc_dur=60
  [ "$cc_dur" -le 86400 ] || cc_dur=86400
  printf '%sexport CHAOSCAT_ATTACK=%s\nexport CHAOSCAT_ATTACK_ID=%s\nexport CHAOSCAT_RUN=%s\n' "$cc_env" "$cc_a" "$CC_ID" "$CC_ID" > "$D/env.sh"
  CC_CG=
  if [ "$cc_cg" = v2 ] && { [ -d "$cc_cgroot/chaoscat" ] || mkdir "$cc_cgroot/chaoscat" 2>/dev/null; } && mkdir "$cc_cgroot/chaoscat/$CC_ID" 2>/dev/null; then
    CC_CG=$cc_cgroot/chaoscat/$CC_ID
    printf '%s\n' "$CC_CG" > "$D/cgroup"
  fi
  if [ -n "$CC_CG" ]; then say CHAOSCAT_HALT_METHOD=cgroup; else say CHAOSCAT_HALT_METHOD=pgroup; fi
  # What sshd says of the bot's connection (sudo drops SSH_CONNECTION: it is read from the login shell
  # above us): the client address and the server port network attacks spare.
  cc_ssh_connection
  set -- $cc_conn
  case "${'$'}{1:-}" in ''|*[!0-9a-fA-F.:]*) ;; *) echo "export CHAOSCAT_SSH_CLIENT='$1'" >> "$D/env.sh" ;; esac
  case "${'$'}{4:-}" in ''|*[!0-9]*) ;; *) echo "export CHAOSCAT_SSHD_PORT='$4'" >> "$D/env.sh" ;; esac
  exec 3<&0 </dev/null
  # The attack: a session of its own (and its cgroup), stdout to the channel's stderr, SIGPIPE as usual.
  { trap - PIPE; export CHAOSCAT_RUN=$CC_ID; exec setsid -w /bin/sh -c '
    [ -z "$2" ] || echo 0 > "$2/cgroup.procs" || exit 97
    echo "$$" > "$1/pgid"; printf "CHAOSCAT_PGID=%s\n" "$$"
    . "$1/env.sh"; cd /tmp || cd /
    exec $4 timeout -k ${KILL_AFTER_S} "$5" /bin/sh "$3/run" >&2' chaoscat-attack "$D" "$CC_CG" "$A" "$cc_as" "$cc_dur"; } 3<&- 4>&- 5>&- &
  cc_apid=$!
  exec >/dev/null 2>&1
  trap '' HUP
  ( cc_why=dropped; while read -r cc_l; do [ "$cc_l" = ${HALT_LINE} ] && { cc_why=halted; break; }; done
    : > "$D/$cc_why"; cc_started "$D"; cc_kill ) <&3 3<&- 4>&- 5>&- &
  cc_wpid=$!
  exec 3<&-
  trap ': > "$D/dropped"; cc_started "$D"; cc_kill 4>&- 5>&-' TERM INT
  while :; do
    wait "$cc_apid"
    cc_rc=$?
    kill -s 0 "$cc_apid" 2>/dev/null || break
  done
  if [ -e "$D/halted" ]; then
    wait "$cc_wpid"
    cc_stopped=$?
  else
    kill "$cc_wpid" 2>/dev/null
    cc_kill 4>&- 5>&-
    cc_stopped=$?
  fi
  cc_dropped=0
  [ -e "$D/dropped" ] || [ -e "$D/halted" ] && cc_dropped=1
  say "CHAOSCAT_ATTACK_EXIT=$cc_rc"
  cc_rollback "$D/rollback.log" 4>&- 5>&-
  cc_rb=$?
  echo "$cc_rb" > "$D/rollback.rc"
  printf '%s\n' "--- rollback (exit $cc_rb) ---" >&5 2>/dev/null
  [ ! -s "$D/rollback.log" ] || tail -c 4096 "$D/rollback.log" >&5 2>/dev/null
  cc_how=pgroup
  [ -z "$CC_CG" ] || cc_how=cgroup
  say "CHAOSCAT_END attack=$cc_rc rollback=$cc_rb stopped=$cc_stopped dropped=$cc_dropped halt=$cc_how"
  # Kept when the rollback failed (rollback ID needs it) or a halt is on its way (it removes it).
  [ "$cc_rb" = 0 ] && [ ! -e "$D/halt" ] && rm -rf "$D"
  exit "$cc_rc"
}

# halt ID: the bot's halt on a second channel. rollback ID: the same, for a person at a terminal.
cc_halt() {
  CC_ID=$1 cc_person=$2
  D=$CC_STATE/$CC_ID
  cc_how=none
  cc_wrapper=none
  if [ ! -d "$D" ]; then
    # No state: the attack never started here, or it ended and its rollback succeeded. Marked strays only.
    CC_PGID=
    cc_stop
    cc_left=$(cc_members | wc -l | tr -d ' ')
    if [ "$cc_person" = yes ]; then
      echo "chaoscat-host: nothing to roll back for attack $CC_ID: no state in $D (it never started here, or its rollback already succeeded)"
      exit 0
    fi
    echo "CHAOSCAT_HALT remaining=$cc_left rollback=0 wrapper=none halt=none"
    exit 0
  fi
  : > "$D/halt"
  cc_kill
  if cc_runner_alive; then
    cc_wrapper=waited
    cc_n=0
    while cc_runner_alive && [ "$cc_n" -lt ${50 + (ROLLBACK_TIMEOUT_S + 15) * 10} ]; do cc_nap; done
    cc_runner_alive && cc_wrapper=stuck
  fi
  cc_rb=$(cat "$D/rollback.rc" 2>/dev/null)
  if [ "$cc_rb" != 0 ]; then
    [ "$cc_person" = yes ] && echo "chaoscat-host: running the rollback of attack $CC_ID ($(cat "$D/attack" 2>/dev/null))"
    cc_rollback "$D/rollback.log"
    cc_rb=$?
    echo "$cc_rb" > "$D/rollback.rc"
  fi
  cc_kill
  if [ "$cc_how" = cgroup ]; then
    cc_left=0
    [ ! -d "$CC_CG" ] || cc_left=$(wc -l < "$CC_CG/cgroup.procs" | tr -d ' ')
  else
    cc_left=$(cc_members | wc -l | tr -d ' ')
  fi
  if [ "$cc_person" = yes ]; then
    [ ! -s "$D/rollback.log" ] || cat "$D/rollback.log"
    echo "chaoscat-host: attack $CC_ID: $cc_left processes left, rollback exit $cc_rb (halt by $cc_how)"
  else
    case "$cc_rb" in 0) ;; *) echo "CHAOSCAT_ROLLBACK_OUTPUT=$(tail -c 2048 "$D/rollback.log" 2>/dev/null | base64 | tr -d '\n')" ;; esac
    echo "CHAOSCAT_HALT remaining=$cc_left rollback=$cc_rb wrapper=$cc_wrapper halt=$cc_how"
  fi
  [ "$cc_rb" = 0 ] && [ "$cc_wrapper" != stuck ] && rm -rf "$D"
  [ "$cc_rb" = 0 ]
}

cc_status() {
  for D in "$CC_STATE"/*; do
    [ -d "$D" ] || continue
    cc_i=${'$'}{D##*/}
    [ -z "$1" ] || [ "$1" = "$cc_i" ] || continue
    if cc_runner_alive; then cc_st=running; elif [ "$(cat "$D/rollback.rc" 2>/dev/null)" = 0 ]; then cc_st=ended
    else cc_st=rollback-due; fi
    echo "$cc_i attack=$(cat "$D/attack" 2>/dev/null) state=$cc_st rollback=$(cat "$D/rollback.rc" 2>/dev/null || echo none)"
  done
}

cc_versions() {
  echo "chaoscat-host version=$CC_VERSION sha256=$(cc_self_sum) cgroup=$(cc_cg_kind) installed=$(cc_manifest chaoscat-host)"
  for cc_d in "$CC_HOME"/attacks/*; do
    [ -d "$cc_d" ] || continue
    cc_n=${'$'}{cc_d##*/}
    echo "attack name=$cc_n sha256=$(cc_attack_sum "$cc_n") installed=$(cc_manifest "$cc_n")"
  done
}

# Root (the effective uid, from the kernel's own status file: no process).
cc_euid=
{ while read -r cc_k cc_r cc_e cc_rest; do [ "$cc_k" = Uid: ] && cc_euid=$cc_e; done < /proc/self/status; } 2>/dev/null
[ "$cc_euid" = 0 ] || die "run me as root, through sudo -n"
case "${'$'}{1:-} ${'$'}#" in
  'run 3') cc_plain "$2" && cc_plain "$3" || die "usage: run ATTACK ID (plain names)"; cc_run "$2" "$3" ;;
  'halt 2') cc_plain "$2" || die "usage: halt ID"; cc_halt "$2" no ;;
  'rollback 2') cc_plain "$2" || die "usage: rollback ID"; cc_halt "$2" yes ;;
  'status 1') cc_status '' ;;
  'status 2') cc_plain "$2" || die "usage: status [ID]"; cc_status "$2" ;;
  'version 1') cc_versions ;;
  *) die "usage: run ATTACK ID | halt ID | rollback ID | status [ID] | version" ;;
esac
`;
}
