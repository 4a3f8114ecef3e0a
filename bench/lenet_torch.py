#!/usr/bin/env python3
"""The peer run: the same LeNet-5 in PyTorch (CPU), on the same IDX data, timed the same way.

Architecture, optimiser and batch as chapter 11's defaults: C1 6@5x5 pad 2, ReLU, 2x2 max
pool, C3 16@5x5, ReLU, 2x2 max pool, FC 120, ReLU, FC 84, ReLU, FC 10, cross-entropy;
SGD momentum 0.9, lr 0.03 (constant here: the schedule costs nothing), weight decay 5e-4.
Prints one line: "torch: N images in S s = R images/s on T thread(s)".
Needs Debian's python3-torch (run with /usr/bin/python3).
"""
import argparse
import gzip
import os
import sys
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(d, prefix, kind):
    idx = "idx3-ubyte" if kind == "images" else "idx1-ubyte"
    for sep in ("-", "."):
        for ext in ("", ".gz"):
            p = os.path.join(d, f"{prefix}-{kind}{sep}{idx}{ext}")
            if os.path.exists(p):
                return p
    sys.exit(f"lenet_torch.py: error: no {prefix} {kind} in {d}")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", required=True)
    ap.add_argument("--images", type=int, default=8000, help="training images to time (0: none)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=0,
                    help="if > 0: also train this many epochs with cosine decay and print test accuracy")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    x = torch.tensor(read_idx(find(a.data, "train", "images")), dtype=torch.float32).unsqueeze(1) / 255
    y = torch.tensor(read_idx(find(a.data, "train", "labels")).astype(np.int64))
    net = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    opt = torch.optim.SGD(net.parameters(), lr=0.03, momentum=0.9, weight_decay=5e-4)
    lossf = nn.CrossEntropyLoss()

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss = lossf(net(xb), yb)
        loss.backward()
        opt.step()

    n = min(a.images, len(x))
    if n > 0:
        step(x[:a.batch], y[:a.batch])  # warm-up, not timed
        t0 = time.perf_counter()
        done = 0
        while done < n:
            end = min(n, done + a.batch)
            step(x[done:end], y[done:end])
            done = end
        secs = time.perf_counter() - t0
        print(f"torch: {n} images in {secs:.2f} s = {n / secs:.0f} images/s on {a.threads} thread(s)")

    if a.epochs > 0:
        xt = torch.tensor(read_idx(find(a.data, "t10k", "images")), dtype=torch.float32).unsqueeze(1) / 255
        yt = torch.tensor(read_idx(find(a.data, "t10k", "labels")).astype(np.int64))
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, a.epochs * ((len(x) + a.batch - 1) // a.batch))
        for e in range(a.epochs):
            perm = torch.randperm(len(x))
            for i in range(0, len(x), a.batch):
                idx = perm[i:i + a.batch]
                step(x[idx], y[idx])
                sched.step()
            with torch.no_grad():
                acc = (net(xt).argmax(1) == yt).float().mean().item()
            print(f"torch epoch {e + 1}: test accuracy {100 * acc:.2f}%")


if __name__ == "__main__":
    main()
