#!/usr/bin/env bash
# Runs the README's Slurm recipe for real: starts a single-node Slurm (munge, slurmctld, slurmd; state, spool and
# sockets in a temporary folder, free ports, SLURM_CONF pointing at it), submits eval-array.sbatch over the three
# clip-shapes checkpoints and append-array.sbatch (40 tasks × 5 appends) against two shared files, waits, checks
# that every row landed exactly once and whole, and stops the daemons. Cleans up on any exit; bounded in time.
# Needs root and the Debian packages slurm-wlm and munge (.ci/run installs them).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
limit=${SLURM_CHECK_TIMEOUT:-420}   # seconds for the jobs to finish
work=$(mktemp -d /tmp/scaling-lens-slurm.XXXXXX)
chmod 700 "$work"
pids=()
jobs_submitted=()

cleanup() {
  local code=$?
  if [ ${#jobs_submitted[@]} -gt 0 ]; then
    scancel "${jobs_submitted[@]}" 2>/dev/null || true
    # While the daemons still run, so the job steps end and report instead of outliving them.
    local ids
    ids=$(IFS=,; echo "${jobs_submitted[*]}")
    for _ in $(seq 100); do [ -z "$(squeue -h -j "$ids" 2>/dev/null)" ] && break; sleep 0.2; done
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  # Anything of this run still alive (a job step or task holding a file in $work, or naming it): by pid.
  local leftovers=()
  for proc in /proc/[0-9]*; do
    local pid=${proc#/proc/}
    [ "$pid" = $$ ] && continue
    if { tr '\0' ' ' < "$proc/cmdline"; } 2>/dev/null | grep -qF "$work" || ls -l "$proc/fd" 2>/dev/null | grep -qF "$work"; then leftovers+=("$pid"); fi
  done
  if [ ${#leftovers[@]} -gt 0 ]; then
    echo "slurm check: stopping ${#leftovers[@]} leftover job processes"
    kill -9 "${leftovers[@]}" 2>/dev/null || true
  fi
  if [ $code -ne 0 ]; then
    echo "--- slurmctld (tail)"; tail -n 20 "$work/slurmctld.log" "$work/slurmctld.out" 2>/dev/null || true
    echo "--- slurmd (tail)"; tail -n 20 "$work/slurmd.log" "$work/slurmd.out" 2>/dev/null || true
    echo "--- munged.log (tail)"; tail -n 5 "$work/munge/munged.log" 2>/dev/null || true
    for f in "$work"/out/*.out; do [ -s "$f" ] && { echo "--- $f"; tail -n 5 "$f"; }; done 2>/dev/null || true
  fi
  rm -rf "$work"
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in munged mungekey slurmctld slurmd sbatch squeue; do
  command -v "$tool" >/dev/null || { echo "slurm check: $tool not found (apt-get install slurm-wlm munge)"; exit 1; }
done

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
host=$(hostname -s)
ctld_port=$(free_port)
slurmd_port=$(free_port)
while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(free_port); done
mkdir -p "$work/state" "$work/spool" "$work/out" "$work/munge"
chmod 700 "$work/munge"

# munge: a fresh key and its own socket, so nothing of the machine's own munge is used or disturbed.
mungekey --create --keyfile="$work/munge/munge.key" --force
munged --foreground --force --socket="$work/munge/socket" --key-file="$work/munge/munge.key" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" --seed-file="$work/munge/seed" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$work/munge/socket" ] && break; sleep 0.1; done
[ -S "$work/munge/socket" ] || { echo "slurm check: munged did not start"; cat "$work/munge/munged.log"; exit 1; }

cat > "$work/slurm.conf" <<EOF
ClusterName=scalinglens
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmdParameters=config_overrides
ReturnToService=2
# Eight slots on a two-core machine: many tasks append at the same moment.
NodeName=$host NodeAddr=127.0.0.1 CPUs=8 State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=30 State=UP OverSubscribe=YES
EOF
export SLURM_CONF="$work/slurm.conf"

slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$work/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break
  sleep 0.2
done
sinfo -h -o '%T' | grep -qE '^(idle|mixed|allocated)' || { echo "slurm check: the node did not come up: $(sinfo -h 2>&1)"; exit 1; }
echo "slurm check: single-node Slurm up on $host (slurmctld :$ctld_port, slurmd :$slurmd_port)"

# Build the CLI bundle now if the sources are newer, rather than in eight tasks at once.
node "$repo/bin/scaling-lens.js" --help >/dev/null
models="$repo/examples/clip-shapes/models"
model_count=$(ls -d "$models"/*/ | wc -l)
export CHECKPOINTS="$models" DATA="$repo/examples/clip-shapes/evalset" SCALING_LENS="node $repo/bin/scaling-lens.js"
eval_job=$(OUT="$work/eval_results.csv" sbatch --parsable --array=0-$((model_count - 1)) --output="$work/out/eval-%a.out" "$repo/scripts/slurm/eval-array.sbatch")
jobs_submitted+=("$eval_job")
append_job=$(OUT="$work/train_log.csv" sbatch --parsable --output="$work/out/append-%a.out" "$repo/scripts/slurm/append-array.sbatch")
jobs_submitted+=("$append_job")
echo "slurm check: submitted eval array $eval_job ($model_count tasks) and append array $append_job (40 tasks × 5 appends)"

started=$SECONDS
while [ -n "$(squeue -h -j "$eval_job,$append_job" 2>/dev/null)" ]; do
  if [ $((SECONDS - started)) -gt "$limit" ]; then echo "slurm check: jobs not finished after $limit s"; squeue; exit 1; fi
  sleep 1
done
echo "slurm check: all tasks finished in $((SECONDS - started)) s"

failed=$(grep -l -E 'scaling-lens (eval|append):|Error' "$work"/out/*.out 2>/dev/null || true)
[ -z "$failed" ] || { echo "slurm check: tasks reported errors:"; for f in $failed; do echo "--- $f"; cat "$f"; done; exit 1; }

node - "$work/eval_results.csv" "$work/train_log.csv" "$models" <<'EOF'
const fs = require('fs');
const path = require('path');
const [evalFile, logFile, models] = process.argv.slice(2);
const problems = [];
function rows(file) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.endsWith('\n')) problems.push(`${file} ends mid-line`);
  const [header, ...lines] = text.slice(0, -1).split('\n');
  const columns = header.split(',');
  for (const line of lines) if (line.split(',').length !== columns.length) problems.push(`${path.basename(file)}: a partial or broken line: ${line}`);
  return { columns, lines: lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [columns[i], v]))) };
}
const evaluation = rows(evalFile);
const expected = fs.readdirSync(models).sort();
const got = evaluation.lines.map((r) => r.run_id).sort();
if (JSON.stringify(got) !== JSON.stringify(expected)) problems.push(`eval rows ${got.join(', ')}; expected each of ${expected.join(', ')} once`);
const log = rows(logFile);
const keys = log.lines.map((r) => `${r.task}/${r.step}`);
const want = [];
for (let t = 0; t < 40; t++) for (let s = 1; s <= 5; s++) want.push(`${t}/${s}`);
if (JSON.stringify([...keys].sort()) !== JSON.stringify(want.sort())) problems.push(`append rows: ${keys.length} rows, ${new Set(keys).size} distinct; expected the 200 task/step pairs once each`);
if (problems.length) { for (const p of problems) console.log(`slurm check: ${p}`); process.exit(1); }
console.log(`slurm check: ${got.length} eval rows (one per checkpoint) and ${keys.length} append rows, each once, every line whole`);
EOF
