"""A stand-in for torchrun (python -m torch.distributed.run) for tests without PyTorch.

It behaves as torchrun does with a static rendezvous, so that wrong arguments fail:
  - it parses the rendezvous arguments under torchrun's own names (--nnodes, --nproc-per-node or
    --nproc_per_node, --node-rank or --node_rank, --master-addr or --master_addr, --master-port or
    --master_port), then the script and its arguments; an unknown option is an error, and every
    one of these must be given (runctl never leaves them to defaults);
  - the agents of all nodes meet at --master-addr:--master-port (node 0 listens, the others
    connect and say their node rank); a duplicate or out-of-range node rank, or agents that do
    not all arrive within 60 s, fail the launch as torchrun's rendezvous would;
  - it starts --nproc-per-node workers with RANK = node_rank * nproc + local_rank, LOCAL_RANK,
    WORLD_SIZE = nnodes * nproc, LOCAL_WORLD_SIZE, GROUP_RANK, MASTER_ADDR and MASTER_PORT (the
    rendezvous port, closed again before the workers start), and ends with exit 1 when a worker
    fails (stopping the others), 0 when all succeed;
  - like torchrun's agent, it forwards SIGTERM to its workers and has no handler for SIGUSR1
    (Python's default: it dies of it).
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import time


def parse():
    p = argparse.ArgumentParser(prog="torchrun", allow_abbrev=False)
    p.add_argument("--nnodes", type=int, required=True)
    p.add_argument("--nproc-per-node", "--nproc_per_node", dest="nproc", type=int, required=True)
    p.add_argument("--node-rank", "--node_rank", dest="node_rank", type=int, required=True)
    p.add_argument("--master-addr", "--master_addr", dest="master_addr", required=True)
    p.add_argument("--master-port", "--master_port", dest="master_port", type=int, required=True)
    p.add_argument("training_script")
    p.add_argument("training_script_args", nargs=argparse.REMAINDER)
    a = p.parse_args()
    if not 0 <= a.node_rank < a.nnodes:
        p.error("--node-rank %d is not in [0, %d)" % (a.node_rank, a.nnodes))
    if a.nproc < 1:
        p.error("--nproc-per-node must be at least 1")
    if not os.path.isfile(a.training_script):
        p.error("no training script %s (in %s)" % (a.training_script, os.getcwd()))
    return a


def rendezvous(a):
    deadline = time.time() + 60
    if a.node_rank == 0:
        srv = socket.create_server((a.master_addr, a.master_port))
        srv.settimeout(max(1, deadline - time.time()))
        peers, seen = [], {0}
        while len(seen) < a.nnodes:
            c, _ = srv.accept()
            r = int(c.recv(64).decode())
            if r in seen or not 0 < r < a.nnodes:
                sys.exit("torchrun: rendezvous: node rank %d twice or out of range" % r)
            seen.add(r)
            peers.append(c)
        for c in peers:
            c.sendall(b"go")
            c.close()
        srv.close()
        return
    while True:
        try:
            c = socket.create_connection((a.master_addr, a.master_port), timeout=5)
            break
        except OSError:
            if time.time() > deadline:
                sys.exit("torchrun: rendezvous timed out at %s:%d" % (a.master_addr, a.master_port))
            time.sleep(0.1)
    c.sendall(str(a.node_rank).encode())
    c.settimeout(max(1, deadline - time.time()))
    if c.recv(64) != b"go":
        sys.exit("torchrun: rendezvous failed")
    c.close()


def main():
    a = parse()
    rendezvous(a)
    workers = []
    for local in range(a.nproc):
        env = dict(os.environ)
        env.update(
            RANK=str(a.node_rank * a.nproc + local),
            LOCAL_RANK=str(local),
            WORLD_SIZE=str(a.nnodes * a.nproc),
            LOCAL_WORLD_SIZE=str(a.nproc),
            GROUP_RANK=str(a.node_rank),
            MASTER_ADDR=a.master_addr,
            MASTER_PORT=str(a.master_port),
            TORCHELASTIC_RUN_ID="none",
        )
        cmd = [sys.executable, "-u", a.training_script] + a.training_script_args
        workers.append(subprocess.Popen(cmd, env=env))
    signal.signal(signal.SIGTERM, lambda *_: [w.terminate() for w in workers])
    while True:
        codes = [w.poll() for w in workers]
        if any(c not in (None, 0) for c in codes):
            for w in workers:
                if w.poll() is None:
                    w.terminate()
            print("torchrun: a worker failed with exit code %s" % [c for c in codes if c][0],
                  file=sys.stderr, flush=True)
            sys.exit(1)
        if all(c == 0 for c in codes):
            return
        time.sleep(0.05)


if __name__ == "__main__":
    main()
