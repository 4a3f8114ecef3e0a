#!/usr/bin/env python3
"""Loads a chapter-11 checkpoint with nothing but json + numpy, puts the weights into the
same LeNet-5 in PyTorch, and measures its test accuracy: it must equal what ch11 printed.

    /usr/bin/python3 bench/weights_in_torch.py out/11_lenet/11_best.safetensors data
"""
import os
import sys
import json, struct, numpy as np
raw = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
w = {k: np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]], "<f4").reshape(v["shape"])
     for k, v in header.items() if k != "__metadata__"}
print("tensors:", ", ".join(f"{k} {tuple(v.shape)}" for k, v in w.items() if not k.startswith("momentum.")))
import torch
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lenet_torch import find, read_idx
from torch import nn
net = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
names = ["c1", None, None, "c3", None, None, None, "f5", None, "f6", None, "f7"]
with torch.no_grad():
    for layer, name in zip(net, names):
        if name:
            layer.weight.copy_(torch.from_numpy(w[name + ".weight"].copy()))
            layer.bias.copy_(torch.from_numpy(w[name + ".bias"].copy()))
    x = torch.tensor(read_idx(find(sys.argv[2], "t10k", "images")), dtype=torch.float32).unsqueeze(1) / 255
    y = torch.tensor(read_idx(find(sys.argv[2], "t10k", "labels")).astype(np.int64))
    print("PyTorch with our weights: test accuracy", (net(x).argmax(1) == y).float().mean().item())
