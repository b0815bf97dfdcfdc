#!/usr/bin/env python3
"""A small neural network that needs only the Python standard library.

It learns to separate two interleaved half-moons (data generated deterministically from --seed),
checkpoints atomically after every epoch, resumes from the newest checkpoint, checkpoints and exits
on SIGTERM, checkpoints and goes on on SIGUSR1 (Slurm's "time limit ahead" signal), and writes
metrics.json next to its checkpoints. See docs/training-scripts.md and docs/slurm.md.

    python3 training/tiny_mlp.py --epochs 8 --name demo --checkpoint-dir /tmp/ckpt
"""
import argparse
import json
import math
import os
import random
import signal
import sys
import time

STOP = {"signal": None}
CHECKPOINT_NOW = {"asked": False}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=8, help="epochs to train in total (default 8)")
    p.add_argument("--name", "--run-name", dest="name", default="tiny-mlp",
                   help="a label printed with the progress")
    p.add_argument("--seed", type=int, default=int(os.environ.get("SEED", "7")),
                   help="seed of the data and the initial weights (default $SEED or 7)")
    p.add_argument("--samples", type=int, default=1200, help="examples generated (default 1200)")
    p.add_argument("--hidden", type=int, default=16, help="hidden units (default 16)")
    p.add_argument("--lr", type=float, default=0.3, help="learning rate (default 0.3)")
    p.add_argument("--batch", type=int, default=8, help="mini-batch size (default 8)")
    p.add_argument("--checkpoint-dir",
                   default=os.environ.get("RUNCTL_CHECKPOINT_DIR", "checkpoints"),
                   help="where checkpoints and metrics.json go (default $RUNCTL_CHECKPOINT_DIR"
                        " or ./checkpoints)")
    p.add_argument("--epoch-seconds", type=float, default=0.0,
                   help="sleep this long after each epoch (slows it down for demos and tests)")
    p.add_argument("--crash-after-epoch", type=int, default=None,
                   help="test aid: exit with code 3 right after checkpointing this epoch")
    p.add_argument("--hang-after-epoch", type=int, default=None,
                   help="test aid: go silent and stop making progress after this epoch")
    return p.parse_args(argv)


def make_moons(n, seed):
    """Two interleaved half circles with noise; label 0 or 1. Same seed, same data."""
    rng = random.Random(seed)
    data = []
    for i in range(n):
        label = i % 2
        t = rng.uniform(0.0, math.pi)
        if label == 0:
            x, y = math.cos(t), math.sin(t)
        else:
            x, y = 1.0 - math.cos(t), 0.5 - math.sin(t)
        data.append(((x + rng.gauss(0, 0.12) - 0.5) * 1.5, (y + rng.gauss(0, 0.12) - 0.25) * 1.5, label))
    return data


def init_model(hidden, seed):
    rng = random.Random(seed + 1)
    scale1, scale2 = 1.0 / math.sqrt(2), 1.0 / math.sqrt(hidden)
    return {
        "w1": [[rng.gauss(0, scale1) for _ in range(2)] for _ in range(hidden)],
        "b1": [0.0] * hidden,
        "w2": [rng.gauss(0, scale2) for _ in range(hidden)],
        "b2": 0.0,
    }


def forward(m, x, y):
    h = [math.tanh(w[0] * x + w[1] * y + b) for w, b in zip(m["w1"], m["b1"])]
    z = sum(wi * hi for wi, hi in zip(m["w2"], h)) + m["b2"]
    z = max(-30.0, min(30.0, z))
    return h, 1.0 / (1.0 + math.exp(-z))


def train_epoch(m, data, lr, batch, rng, on_batch=None):
    order = list(range(len(data)))
    rng.shuffle(order)
    hidden = len(m["b1"])
    loss = 0.0
    for start in range(0, len(order), batch):
        before = loss
        gw1 = [[0.0, 0.0] for _ in range(hidden)]
        gb1 = [0.0] * hidden
        gw2 = [0.0] * hidden
        gb2 = 0.0
        idx = order[start:start + batch]
        for i in idx:
            x, y, label = data[i]
            h, p = forward(m, x, y)
            loss -= math.log(max(p if label == 1 else 1.0 - p, 1e-12))
            dz = p - label
            gb2 += dz
            for j in range(hidden):
                gw2[j] += dz * h[j]
                dh = dz * m["w2"][j] * (1.0 - h[j] * h[j])
                gw1[j][0] += dh * x
                gw1[j][1] += dh * y
                gb1[j] += dh
        k = lr / len(idx)
        for j in range(hidden):
            m["w1"][j][0] -= k * gw1[j][0]
            m["w1"][j][1] -= k * gw1[j][1]
            m["b1"][j] -= k * gb1[j]
            m["w2"][j] -= k * gw2[j]
        m["b2"] -= k * gb2
        if on_batch is not None:
            on_batch(start // batch, (loss - before) / len(idx))
        if STOP["signal"] is not None:
            return None
    return loss / len(data)


def accuracy(m, data):
    return sum(1 for x, y, label in data if (forward(m, x, y)[1] >= 0.5) == (label == 1)) / len(data)


def report(metrics):
    """Appends one JSON line to $RUNCTL_METRICS, which runctl follows (see docs/training-scripts.md)."""
    if os.environ.get("RUNCTL_METRICS"):
        with open(os.environ["RUNCTL_METRICS"], "a") as f:
            f.write(json.dumps(metrics) + "\n")


def write_json_atomically(path, payload):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(payload, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def checkpoint_path(folder, epoch):
    return os.path.join(folder, "ckpt-epoch-%04d.json" % epoch)


def newest_checkpoint(folder):
    names = sorted(n for n in os.listdir(folder) if n.startswith("ckpt-epoch-") and n.endswith(".json"))
    for name in reversed(names):
        try:
            with open(os.path.join(folder, name)) as f:
                return json.load(f)
        except (OSError, ValueError):
            print("skipping unreadable checkpoint %s" % name, flush=True)
    return None


def sleep_unless_stopped(seconds):
    end = time.monotonic() + seconds
    while STOP["signal"] is None and time.monotonic() < end:
        time.sleep(min(0.05, max(0.0, end - time.monotonic())))


def main(argv):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda signum, frame: STOP.update(signal=signum))
    signal.signal(signal.SIGUSR1, lambda signum, frame: CHECKPOINT_NOW.update(asked=True))
    os.makedirs(args.checkpoint_dir, exist_ok=True)
    data = make_moons(args.samples, args.seed)
    split = int(len(data) * 0.8)
    train, test = data[:split], data[split:]

    state = newest_checkpoint(args.checkpoint_dir)
    if state is not None:
        model, epoch = state["model"], state["epoch"]
        print("resuming from checkpoint epoch %d in %s" % (epoch, args.checkpoint_dir), flush=True)
    else:
        model, epoch = init_model(args.hidden, args.seed), 0
        print("starting fresh: %d train / %d test examples, %d hidden units"
              % (len(train), len(test), args.hidden), flush=True)
    print("run %r (seed %d, attempt %s)" % (args.name, args.seed, os.environ.get("RUNCTL_ATTEMPT", "-")),
          flush=True)

    acc = accuracy(model, test)
    while epoch < args.epochs:
        rng = random.Random(args.seed * 1000 + epoch)
        batches = (len(train) + args.batch - 1) // args.batch
        first = epoch * batches
        loss = train_epoch(model, train, args.lr, args.batch, rng,
                           lambda b, batch_loss: report({"step": first + b + 1, "loss": round(batch_loss, 4)}))
        if loss is None:
            break
        epoch += 1
        acc = accuracy(model, test)
        write_json_atomically(checkpoint_path(args.checkpoint_dir, epoch),
                              {"epoch": epoch, "model": model, "name": args.name, "seed": args.seed})
        write_json_atomically(os.path.join(args.checkpoint_dir, "metrics.json"),
                              {"accuracy": round(acc, 4), "loss": round(loss, 4), "epoch": epoch,
                               "epochs": args.epochs, "name": args.name})
        report({"step": epoch * batches, "epoch": epoch, "accuracy": round(acc, 4)})
        print("epoch %d/%d loss %.4f test accuracy %.4f" % (epoch, args.epochs, loss, acc), flush=True)
        if args.crash_after_epoch == epoch:
            print("crashing on purpose after epoch %d (--crash-after-epoch)" % epoch, flush=True)
            return 3
        if args.hang_after_epoch == epoch:
            print("hanging on purpose after epoch %d (--hang-after-epoch)" % epoch, flush=True)
            sleep_unless_stopped(float("inf"))
        sleep_unless_stopped(args.epoch_seconds)
        if STOP["signal"] is not None:
            break
        if CHECKPOINT_NOW["asked"]:
            # Every epoch is checkpointed already; a script with longer epochs saves here.
            CHECKPOINT_NOW["asked"] = False
            print("SIGUSR1: the time limit is near; checkpointed at epoch %d, going on" % epoch,
                  flush=True)

    if STOP["signal"] is not None:
        # The weights as they are now (maybe part-way into the next epoch) replace the newest
        # checkpoint, so that a restart loses no work.
        write_json_atomically(checkpoint_path(args.checkpoint_dir, epoch),
                              {"epoch": epoch, "model": model, "name": args.name, "seed": args.seed})
        print("stopped by signal %d: checkpointed at epoch %d in %s"
              % (STOP["signal"], epoch, args.checkpoint_dir), flush=True)
        return 128 + STOP["signal"]
    print("done: %d epochs, test accuracy %.4f" % (epoch, acc), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
