#!/usr/bin/env bash
# A real Slurm cluster on loopback for Loom's tests and benchmarks: munged,
# slurmctld and three slurmd nodes (n1..n3, 2 CPUs and 6000 MB each) on this
# host, all state in one folder. Needs root (slurmd runs jobs as their users)
# and Debian's slurm-wlm and munge (installed when missing).
#
#   scripts/slurm-test-cluster.sh up DIR     starts it; prints `export SLURM_CONF=DIR/slurm.conf`
#   scripts/slurm-test-cluster.sh down DIR   stops it and removes DIR
#   scripts/slurm-test-cluster.sh env DIR    prints the export line again
#
# Ports: slurmctld and the three slurmd listen on 127.0.0.1; the first free
# block of five ports from 17000 on is used, so two clusters can run at once.
# `up` returns when all three nodes are idle (or fails after 30 s, saying why).
set -euo pipefail

usage() { echo "usage: $0 up|down|env DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$(realpath -m "$2")

export_line() { echo "export SLURM_CONF=$dir/slurm.conf"; }

install_slurm() {
  command -v slurmctld >/dev/null && command -v munged >/dev/null && return
  echo "slurm-test-cluster: installing slurm-wlm munge" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
}

port_free() { ! (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

first_free_ports() {
  local base
  for ((base = 17000; base < 18000; base += 5)); do
    local ok=1 p
    for ((p = base; p < base + 5; p++)); do port_free "$p" || { ok=0; break; }; done
    ((ok)) && { echo "$base"; return; }
  done
  echo "slurm-test-cluster: no free ports between 17000 and 18000" >&2
  exit 1
}

stop_pid_file() {
  local file=$1
  [ -f "$file" ] || return 0
  local pid
  pid=$(cat "$file")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

up() {
  [ "$(id -u)" = 0 ] || { echo "slurm-test-cluster: needs root" >&2; exit 1; }
  install_slurm
  if [ -f "$dir/slurm.conf" ]; then
    echo "slurm-test-cluster: $dir already holds a cluster (down it first)" >&2
    exit 1
  fi
  mkdir -p "$dir"/{munge,state,spool,log}
  local base
  base=$(first_free_ports)

  # munge: the key and its folder belong to the munge user (munged insists).
  dd if=/dev/urandom bs=1 count=1024 of="$dir/munge/munge.key" status=none
  chown -R munge:munge "$dir/munge"
  chmod 755 "$dir/munge"
  chmod 400 "$dir/munge/munge.key"
  runuser -u munge -- munged -S "$dir/munge/munge.socket.2" --key-file="$dir/munge/munge.key" \
    --log-file="$dir/munge/munged.log" --pid-file="$dir/munge/munged.pid" \
    --seed-file="$dir/munge/munged.seed"

  : >"$dir/plugstack.conf"
  cat >"$dir/slurm.conf" <<EOF
ClusterName=loomtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$base
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket.2
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# Without it a job that asks for no memory is given a whole node's.
DefMemPerCPU=100
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SlurmdParameters=config_overrides
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
ReturnToService=1
SlurmdTimeout=10
MinJobAge=600
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
PlugStackConfig=$dir/plugstack.conf
NodeName=n1 NodeHostname=localhost NodeAddr=127.0.0.1 Port=$((base + 1)) CPUs=2 RealMemory=6000
NodeName=n2 NodeHostname=localhost NodeAddr=127.0.0.1 Port=$((base + 2)) CPUs=2 RealMemory=6000
NodeName=n3 NodeHostname=localhost NodeAddr=127.0.0.1 Port=$((base + 3)) CPUs=2 RealMemory=6000
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$dir/slurm.conf
  slurmctld -f "$SLURM_CONF" -i
  for node in n1 n2 n3; do
    mkdir -p "$dir/spool/$node"
    slurmd -f "$SLURM_CONF" -N "$node"
  done
  for _ in $(seq 300); do
    local idle
    idle=$(sinfo -h -N -t idle -o %N 2>/dev/null | sort -u | wc -l)
    if [ "$idle" = 3 ]; then
      export_line
      return 0
    fi
    sleep 0.1
  done
  echo "slurm-test-cluster: nodes not idle after 30 s:" >&2
  sinfo -N >&2 || true
  tail -n 20 "$dir/log/slurmctld.log" >&2 || true
  exit 1
}

down() {
  [ -f "$dir/slurm.conf" ] || { rm -rf "$dir"; return 0; }
  export SLURM_CONF=$dir/slurm.conf
  scancel --full --quiet --user=root 2>/dev/null || true
  for node in n1 n2 n3; do stop_pid_file "$dir/slurmd-$node.pid"; done
  stop_pid_file "$dir/slurmctld.pid"
  stop_pid_file "$dir/munge/munged.pid"
  rm -rf "$dir"
}

case "$action" in
  up) up ;;
  down) down ;;
  env) export_line ;;
  *) usage ;;
esac
