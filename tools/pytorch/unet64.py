"""U-Net-64 in PyTorch: the exact model `swift run -c release bench` trains (CourseKit's default `UNet`).

Architecture (NCHW, float32):
  encoder  e1: conv3x3(1->16)+ReLU, conv3x3(16->16)+ReLU          64x64   (skip a)
           e2: maxpool2, conv3x3(16->32)+ReLU, conv3x3(32->32)+ReLU  32x32   (skip b)
           e3: maxpool2, conv3x3(32->64)+ReLU, conv3x3(64->64)+ReLU  16x16   (skip c)
  bottleneck:  maxpool2, conv3x3(64->128)+ReLU, conv3x3(128->128)+ReLU 8x8
  decoder  d3: convT2x2 s2 (128->64), concat c -> 128, conv3x3(128->64)+ReLU, conv3x3(64->64)+ReLU
           d2: convT2x2 s2 (64->32),  concat b -> 64,  conv3x3(64->32)+ReLU,  conv3x3(32->32)+ReLU
           d1: convT2x2 s2 (32->16),  concat a -> 32,  conv3x3(32->16)+ReLU,  conv3x3(16->16)+ReLU
  head:    conv1x1(16->3)
All 3x3 convs use padding 1 and bias. Without skips (skips=False) the decoder convs take only the
upsampled channels. Loss: MSE; optimizer: Adam(lr=1e-3). Batch 16. 481,779 parameters with skips.
Forward pass: about 0.31 GFLOP per image; a training step about 3x that.

Usage (needs `pip install torch`): python3 tools/pytorch/unet64.py [threads] [--matmul]
Prints training and inference images/second, the figures to compare with `swift run -c release bench`;
with --matmul also torch.matmul's GFLOP/s for 512x512x512 on one thread (best of 20 after a warm-up,
as bench measures its own GEMM). `swift run -c release bench --against-pytorch` runs this script and
bench alternately and prints the ratios.
"""
import sys, time
import torch, torch.nn as nn, torch.nn.functional as F


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.ReLU(), nn.Conv2d(o, o, 3, padding=1), nn.ReLU())


class UNet64(nn.Module):
    def __init__(self, c=16, skips=True):
        super().__init__()
        self.skips = skips
        self.e1, self.e2, self.e3, self.b = block(1, c), block(c, 2 * c), block(2 * c, 4 * c), block(4 * c, 8 * c)
        self.u3 = nn.ConvTranspose2d(8 * c, 4 * c, 2, 2)
        self.u2 = nn.ConvTranspose2d(4 * c, 2 * c, 2, 2)
        self.u1 = nn.ConvTranspose2d(2 * c, c, 2, 2)
        k = 2 if skips else 1
        self.d3, self.d2, self.d1 = block(4 * c * k, 4 * c), block(2 * c * k, 2 * c), block(c * k, c)
        self.head = nn.Conv2d(c, 3, 1)

    def join(self, up, skip):
        return torch.cat([up, skip], 1) if self.skips else up

    def forward(self, x):
        a = self.e1(x)
        b = self.e2(F.max_pool2d(a, 2))
        c = self.e3(F.max_pool2d(b, 2))
        z = self.b(F.max_pool2d(c, 2))
        y = self.d3(self.join(self.u3(z), c))
        y = self.d2(self.join(self.u2(y), b))
        y = self.d1(self.join(self.u1(y), a))
        return self.head(y)


def bench(size=64, batch=16, steps=30, skips=True):
    torch.manual_seed(0)
    model = UNet64(skips=skips)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    x, t = torch.rand(batch, 1, size, size), torch.rand(batch, 3, size, size)

    def step():
        opt.zero_grad()
        F.mse_loss(model(x), t).backward()
        opt.step()

    for _ in range(3):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    train = batch * steps / (time.perf_counter() - t0)
    with torch.no_grad():
        for _ in range(3):
            model(x)
        t0 = time.perf_counter()
        for _ in range(steps):
            model(x)
        infer = batch * steps / (time.perf_counter() - t0)
    params = sum(p.numel() for p in model.parameters())
    print(f"unet64 size={size} batch={batch} skips={skips} params={params} "
          f"train={train:.1f} img/s infer={infer:.1f} img/s")


def matmul_gflops(size=512, runs=20):
    torch.set_num_threads(1)
    a, b = torch.rand(size, size), torch.rand(size, size)
    a @ b
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t0)
    print(f"matmul{size} threads=1 gflops={2 * size ** 3 / best / 1e9:.1f}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    torch.set_num_threads(int(args[0]) if args else 2)
    bench()
    if "--matmul" in sys.argv:
        matmul_gflops()
