#!/usr/bin/env python3
"""A small CNN on MNIST with PyTorch, written the way runctl expects a training script to behave.

Needs `pip install -r training/requirements-torch.txt` (a deps step does it). Downloads MNIST into
--data-dir on first use. Checkpoints atomically after every epoch into $RUNCTL_CHECKPOINT_DIR (or
--checkpoint-dir), resumes from the newest checkpoint, checkpoints and exits on SIGTERM, and writes
metrics.json with the test accuracy.

    python3 training/torch_mnist.py --epochs 3 --batch-size 128
"""
import argparse
import json
import os
import signal
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision import datasets, transforms

STOP = {"signal": None}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=int(os.environ.get("SEED", "7")))
    p.add_argument("--data-dir", default=os.environ.get("MNIST_DIR", "data"))
    p.add_argument("--checkpoint-dir", default=os.environ.get("RUNCTL_CHECKPOINT_DIR", "checkpoints"))
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    return p.parse_args(argv)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


def save_atomically(state, path):
    tmp = path + ".tmp"
    torch.save(state, tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def newest_checkpoint(folder):
    names = sorted(n for n in os.listdir(folder) if n.startswith("ckpt-epoch-") and n.endswith(".pt"))
    return os.path.join(folder, names[-1]) if names else None


def evaluate(model, loader, device):
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x.to(device)).argmax(1) == y.to(device)).sum().item()
    model.train()
    return correct / len(loader.dataset)


def report(metrics):
    """Appends one JSON line to $RUNCTL_METRICS (runctl follows it); nothing outside runctl."""
    if os.environ.get("RUNCTL_METRICS"):
        with open(os.environ["RUNCTL_METRICS"], "a") as f:
            f.write(json.dumps(metrics) + "\n")


def main(argv):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda signum, frame: STOP.update(signal=signum))
    torch.manual_seed(args.seed)
    os.makedirs(args.checkpoint_dir, exist_ok=True)
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    train = torch.utils.data.DataLoader(
        datasets.MNIST(args.data_dir, train=True, download=True, transform=tf),
        batch_size=args.batch_size, shuffle=True)
    test = torch.utils.data.DataLoader(
        datasets.MNIST(args.data_dir, train=False, download=True, transform=tf), batch_size=1000)
    model = Net().to(args.device)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    epoch = 0
    newest = newest_checkpoint(args.checkpoint_dir)
    if newest:
        state = torch.load(newest, map_location=args.device)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        epoch = state["epoch"]
        print("resuming from %s (epoch %d)" % (newest, epoch), flush=True)
    acc = 0.0
    while epoch < args.epochs and STOP["signal"] is None:
        for step, (x, y) in enumerate(train):
            loss = F.cross_entropy(model(x.to(args.device)), y.to(args.device))
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % 100 == 0:
                print("epoch %d step %d loss %.4f" % (epoch + 1, step, loss.item()), flush=True)
                report({"step": epoch * len(train) + step, "epoch": epoch, "loss": loss.item()})
            if STOP["signal"] is not None:
                break
        if STOP["signal"] is not None:
            break
        epoch += 1
        acc = evaluate(model, test, args.device)
        save_atomically({"epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict()},
                        os.path.join(args.checkpoint_dir, "ckpt-epoch-%04d.pt" % epoch))
        with open(os.path.join(args.checkpoint_dir, "metrics.json.tmp"), "w") as f:
            json.dump({"accuracy": acc, "epoch": epoch}, f)
        os.replace(os.path.join(args.checkpoint_dir, "metrics.json.tmp"),
                   os.path.join(args.checkpoint_dir, "metrics.json"))
        report({"step": epoch * len(train), "epoch": epoch, "accuracy": acc})
        print("epoch %d/%d test accuracy %.4f" % (epoch, args.epochs, acc), flush=True)
    if STOP["signal"] is not None:
        # Mid-epoch progress is kept under the last finished epoch's number.
        save_atomically({"epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict()},
                        os.path.join(args.checkpoint_dir, "ckpt-epoch-%04d.pt" % max(epoch, 0)))
        print("stopped by signal %d; checkpointed" % STOP["signal"], flush=True)
        return 128 + STOP["signal"]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
