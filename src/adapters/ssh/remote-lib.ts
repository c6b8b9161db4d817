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
# Every scan reads a file per process on the host: with fifty attacks stopping at once, scans on
# every poll would make each stop cost time in the number of attacks. So the shell's own kill -s 0
# answers first: while the stop is young (cc_n < 2, the first ~10 ms) a group it can reach counts as
# alive (zombies too); "No such process" means the group is gone. Anything else (later polls, where
# zombies must not count, or a group of someone else's processes) is decided by the scan.
cc_group_alive() {
  case "$CC_PGID" in ''|*[!0-9]*|0|1) return 1 ;; esac
  if cc_e=$(kill -s 0 -- "-$CC_PGID" 2>&1); then
    [ "${'$'}{cc_n:-99}" -lt 2 ] && return 0
  else
    case "$cc_e" in *'No such process'*) return 1 ;; esac
  fi
  [ -n "$(cc_group_pids)" ]
}
cc_alive() { cc_group_alive || [ -n "$(cc_marker_pids)" ]; }
# Polls every 5 ms, then 20 ms, then 100 ms: a stop should take milliseconds, a stuck one may not.
cc_nap() {
  if [ "$cc_n" -lt 10 ]; then sleep 0.005; elif [ "$cc_n" -lt 50 ]; then sleep 0.02; else sleep 0.1; fi
  cc_n=$((cc_n + 1))
}
# TERM, about 3 s to go, then KILL, about 5 s more; true once nothing of the attack is left. The
# group is signalled at once; the marked processes outside it (the costly environ scan) once the
# group is gone, and on every poll after that while any are left.
cc_stop() {
  for cc_sig in TERM KILL; do
    cc_max=70
    [ "$cc_sig" = KILL ] && cc_max=90
    cc_n=0
    cc_sent=
    while :; do
      if cc_group_alive; then
        [ -n "$cc_sent" ] || kill -s "$cc_sig" -- "-$CC_PGID" 2>/dev/null
        cc_sent=1
      else
        cc_m=$(cc_marker_pids)
        [ -n "$cc_m" ] || return 0
        for cc_p in $cc_m; do kill -s "$cc_sig" "$cc_p" 2>/dev/null; done
      fi
      [ "$cc_n" -lt "$cc_max" ] || break
      cc_nap
    done
  done
  return 1
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
