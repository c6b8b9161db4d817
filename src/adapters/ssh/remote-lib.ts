/**
 * Shell shared by the wrapper and the halt, run on the host by /bin/sh (POSIX, dash-safe).
 *
 * An attack's processes are found two ways: its process group (CC_PGID, zombies excluded: a host
 * whose init does not reap must not look busy forever) and the marker CHAOSCAT_RUN=<id> in the
 * initial environment of every process the attack started, which also finds processes that left the
 * group (sudo with use_pty on a terminal runs the command in a session of its own), and root ones. `kill -s SIG -- -PGID` is the one spelling dash accepts.
 */
export const REMOTE_LIB = String.raw`
cc_group_pids() {
  case "$CC_PGID" in ''|*[!0-9]*|0|1) return 0 ;; esac
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v g="$CC_PGID" '{ p = $1; s = $0; sub(/^.*\) /, "", s); split(s, f, " "); if (f[3] == g && f[1] != "Z") print p }'
}
cc_marker_pids() {
  for cc_f in $(grep -lzxF "CHAOSCAT_RUN=$CC_ID" /proc/[0-9]*/environ 2>/dev/null); do
    cc_p=${'$'}{cc_f#/proc/}
    echo "${'$'}{cc_p%/environ}"
  done
}
cc_members() { cc_group_pids; cc_marker_pids; }
# Every scan reads a file per process on the host: with fifty attacks stopping at once, scans per
# poll would cost each stop time in the number of attacks. So while the stop is young (cc_n < 10,
# the first ~50 ms) the shell's own kill -0 answers for the group, which counts zombies too; after
# that, and whenever kill -0 finds nothing (it also fails on a group of someone else's processes),
# the scan decides. The environ scan runs only once the group looks empty.
cc_group_alive() {
  case "$CC_PGID" in ''|*[!0-9]*|0|1) return 1 ;; esac
  if kill -0 -- "-$CC_PGID" 2>/dev/null && [ "${'$'}{cc_n:-99}" -lt 10 ]; then return 0; fi
  [ -n "$(cc_group_pids)" ]
}
cc_alive() { cc_group_alive || [ -n "$(cc_marker_pids)" ]; }
# kill -- -PGID reaches the whole group; the marked processes that left it are signalled one by one.
cc_signal() {
  case "$CC_PGID" in ''|*[!0-9]*|0|1) ;; *) kill -s "$1" -- "-$CC_PGID" 2>/dev/null ;; esac
  for cc_p in $(cc_marker_pids); do kill -s "$1" "$cc_p" 2>/dev/null; done
  return 0
}
# Polls every 5 ms, then 20 ms, then 100 ms: a stop should take milliseconds, a stuck one may not.
cc_nap() {
  if [ "$cc_n" -lt 10 ]; then sleep 0.005; elif [ "$cc_n" -lt 50 ]; then sleep 0.02; else sleep 0.1; fi
  cc_n=$((cc_n + 1))
}
# TERM, about 3 s to go, then KILL, about 5 s more; true once nothing of the attack is left.
cc_stop() {
  cc_n=0
  cc_alive || return 0
  cc_signal TERM
  cc_n=0
  while cc_alive && [ "$cc_n" -lt 70 ]; do cc_nap; done
  cc_alive || return 0
  cc_signal KILL
  cc_n=0
  while cc_alive && [ "$cc_n" -lt 90 ]; do cc_nap; done
  ! cc_alive
}
# Whether pid $1 is a live (not zombie) wrapper of this attack.
cc_wrapper_alive() {
  case "$1" in ''|*[!0-9]*) return 1 ;; esac
  [ -r "/proc/$1/stat" ] || return 1
  cc_state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$cc_state" ] && [ "$cc_state" != Z ] || return 1
  grep -qzxF "CHAOSCAT_WRAPPER=$CC_ID" "/proc/$1/environ" 2>/dev/null
}
`;
