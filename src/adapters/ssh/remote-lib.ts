/**
 * Shell shared by the wrapper and the halt, run on the host by /bin/sh (POSIX, dash-safe).
 *
 * An attack's processes are found two ways: its process group (CC_PGID, zombies excluded: a host
 * whose init does not reap must not look busy forever) and the marker CHAOSCAT_RUN=<id> in the
 * initial environment of every process the attack started, which also finds processes that left the
 * group (sudo with use_pty on a terminal runs the command in a session of its own), and root ones. `kill -s SIG -- -PGID` is the one spelling dash accepts.
 */
export const REMOTE_LIB = String.raw`
# The attack's live processes in one pass over /proc, as lines in cc_l (no process of its own: it
# runs in the caller's shell): "g PID" for a live (not zombie) member of its group, "m PID" for a
# process carrying the marker. One grep reads every stat and environ file: a scan costs a file per
# process, and fifty attacks stopping at once on a host must not pay for three. The stat pattern takes
# the last ") " (a comm may contain one); an environ hit is checked for the marker itself (an
# environment entry could look like a stat line). When the group is gone, only the marker is looked for.
cc_scan() {
  cc_l=
  cc_hits=
  case "$CC_PGID" in ''|*[!0-9]*|0|1) cc_g= ;; *) cc_g=$CC_PGID ;; esac
  # Gone ("No such process"): only the marker is looked for. A group we may not signal (a member
  # of another user) is still scanned: what we cannot kill must be told as left, not missed.
  if [ -n "$cc_g" ] && ! kill -s 0 -- "-$cc_g" 2>/dev/null; then
    case "$(kill -s 0 -- "-$cc_g" 2>&1)" in *'No such process'*) cc_g= ;; esac
  fi
  if [ -n "$cc_g" ]; then
    cc_hits=$(grep -lzE -e "^CHAOSCAT_RUN=$CC_ID\$" -e "^[0-9]+ \(.*\) [^Z] [0-9]+ $cc_g [^)]*\$" /proc/[0-9]*/stat /proc/[0-9]*/environ 2>/dev/null)
  else
    cc_hits=$(grep -lzxF "CHAOSCAT_RUN=$CC_ID" /proc/[0-9]*/environ 2>/dev/null)
  fi
  for cc_f in $cc_hits; do
    cc_p=${'$'}{cc_f#/proc/}
    cc_p=${'$'}{cc_p%/*}
    case "$cc_f" in
      */stat) cc_l="$cc_l${'$'}{cc_l:+
}g $cc_p" ;;
      *) if [ -z "$cc_g" ] || grep -qzxF "CHAOSCAT_RUN=$CC_ID" "$cc_f" 2>/dev/null; then cc_l="$cc_l${'$'}{cc_l:+
}m $cc_p"; fi ;;
    esac
  done
}
# The same lines on stdout.
cc_live() { cc_scan; [ -z "$cc_l" ] || printf '%s\n' "$cc_l"; }
cc_members() { cc_live | awk '!s[$2]++ { print $2 }'; }
# Whether group CC_PGID is this attack's: a process in it carries the marker (pids recycle, so a
# recorded pgid alone proves nothing). cc_live lists such a process twice, as "g" and as "m".
cc_owns_group() { [ -n "$(cc_live | awk '++n[$2] == 2 { print $2; exit }')" ]; }
cc_alive() { cc_scan; [ -n "$cc_l" ]; }
# A stop that comes before the attack's first process (pid cc_apid) wrote $1/pgid would find nothing
# and let it run to its deadline: wait for the pgid (a few ms) while that process lives, 3 s at most.
cc_started() { cc_w=0; while [ ! -s "$1/pgid" ] && [ "$cc_w" -lt 300 ] && kill -s 0 "$cc_apid" 2>/dev/null; do sleep 0.01; cc_w=$((cc_w + 1)); done; }
# Polls every 5 ms, then 20 ms, then 100 ms: a stop should take milliseconds, a stuck one may not.
cc_nap() {
  if [ "$cc_n" -lt 10 ]; then sleep 0.005; elif [ "$cc_n" -lt 50 ]; then sleep 0.02; else sleep 0.1; fi
  cc_n=$((cc_n + 1))
}
# TERM, about 3 s to go, then KILL, about 5 s more; true once nothing of the attack is left. The
# group is signalled at once, without a scan. While its leader (pid = pgid) lives the stop is
# young: it is looked at with builtins first, then the first ~100 ms wait on that one cheap check.
# Then each poll scans once (cc_scan); a
# marked process outside the group gets the signal once per stage.
cc_stop() {
  for cc_sig in TERM KILL; do
    cc_max=70
    [ "$cc_sig" = KILL ] && cc_max=90
    cc_n=0
    cc_sent=' '
    cc_lead=
    case "$CC_PGID" in ''|*[!0-9]*|0|1) ;; *) kill -s "$cc_sig" -- "-$CC_PGID" 2>/dev/null && cc_lead=$CC_PGID ;; esac
    # The kernel delivers the signal at once: look again with builtins only (no process) before any nap.
    cc_i=0
    while [ -n "$cc_lead" ] && [ "$cc_i" -lt 300 ] && kill -s 0 "$cc_lead" 2>/dev/null; do cc_i=$((cc_i + 1)); done
    while :; do
      if [ -n "$cc_lead" ] && [ "$cc_n" -lt 20 ] && kill -s 0 "$cc_lead" 2>/dev/null; then
        cc_nap
        continue
      fi
      cc_scan
      [ -n "$cc_l" ] || return 0
      cc_g=" $(printf '%s\n' "$cc_l" | awk '$1 == "g" { printf "%s ", $2 }')"
      for cc_p in $(printf '%s\n' "$cc_l" | awk '$1 == "m" { print $2 }'); do
        case "$cc_g$cc_sent" in *" $cc_p "*) ;; *) kill -s "$cc_sig" "$cc_p" 2>/dev/null; cc_sent="$cc_sent$cc_p " ;; esac
      done
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
