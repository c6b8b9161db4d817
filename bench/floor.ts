import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchRow, row } from './table.js';

const RUNS = 5;

/**
 * The bench attack's own processes on this machine, with no SSH and no ChaosCat: N started at once
 * the way the wrapper starts one (a session, `timeout`, `/bin/sh`, then the attack's `touch` and two
 * `sleep`s, 30 s at most, so nothing outlives a failed run for long), then N stopped at once (SIGTERM to each group) and rolled back (`timeout` + `/bin/sh` +
 * `rm -f`), as one shell does it. It prints the wall time of each phase in ms. No fleet stop or
 * dispatch through ChaosCat can beat these on the same machine: they are what the hosts' work costs
 * when fifty hosts share its cores.
 */
const FLOOR = String.raw`
N=$1; D=$2
t0=$(date +%s%N)
i=0; while [ $i -lt $N ]; do
  setsid timeout -k 5 30 /bin/sh -c 'touch "$0/mark.$1"; sleep 30 & sleep 30' "$D" $i </dev/null >/dev/null 2>&1 &
  eval "pg$i=$!"
  i=$((i+1))
done
i=0; while [ $i -lt $N ]; do while [ ! -e "$D/mark.$i" ]; do sleep 0.005; done; i=$((i+1)); done
t1=$(date +%s%N)
sleep 0.5
t2=$(date +%s%N)
i=0; while [ $i -lt $N ]; do
  eval "kill -s TERM -- -\$pg$i"
  timeout -k 5 60 /bin/sh -c 'rm -f "$0/mark.$1"' "$D" $i &
  i=$((i+1))
done
wait
t3=$(date +%s%N)
echo "$(( (t1 - t0) / 1000 )) $(( (t3 - t2) / 1000 ))"
`;

/** Rows: N attacks' own processes started, and stopped + rolled back, with no SSH and no ChaosCat. */
export function benchFloor(hosts: number, tmp: string): BenchRow[] {
  const start: number[] = [];
  const stop: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmp, 'chaoscat-floor-'));
    try {
      const out = execFileSync('/bin/sh', ['-c', FLOOR, 'floor', String(hosts), dir], { encoding: 'utf8', timeout: 60_000 });
      const [a, b] = out.trim().split(' ').map(Number);
      start.push((a ?? Number.NaN) / 1000);
      stop.push((b ?? Number.NaN) / 1000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const note = 'no SSH, no ChaosCat: what the hosts must spend when they share this machine';
  return [
    row(`floor: the bench attack's own processes, ${hosts} started at once → all running`, 'ms', start, { note }),
    row(`floor: the same ${hosts} stopped (SIGTERM) and rolled back at once → all done`, 'ms', stop, { note }),
  ];
}
