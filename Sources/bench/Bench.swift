import ArgumentParser
import CourseKit
import TensorCore

/// `swift run -c release bench`: the engine's speed, one figure per line, to set next to PyTorch
/// on the same machine (`--against-pytorch` runs the pair; docs/PERFORMANCE.md explains them).
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measures U-Net-64 training/inference speed and GEMM GFLOP/s.",
        discussion: """
            U-Net-64 is the course's default UNet, defined in PyTorch in tools/pytorch/unet64.py: batch 16 \
            of 1x64x64 -> 3x64x64, concat skips, MSE, Adam(lr 1e-3). Prints the CPU and kernel path, \
            training and inference images/s, GEMM GFLOP/s at 512^3 on 1 and 2 threads, and the \
            parameter count. --against-pytorch runs this and tools/pytorch/unet64.py alternately \
            (3 pairs) and prints the medians and ratios; it needs a python3 that can import torch \
            (or PYTHON=/path/to/python). --scaling trains on 1 and 2 threads alternately (5 pairs, \
            batch 8) and prints the two-thread speed-up.
            """)

    @Option(help: "Threads for the U-Net figures: 2, like `unet64.py 2`, unless given (lessons use every core; GEMM is always measured on 1 and 2).")
    var threads: Int = 2

    @Option(help: "Timed training steps (and inference batches), after 3 untimed warm-up steps.")
    var steps: Int = 30

    @Option(help: "Images per batch (default 16 as in unet64.py; 8, the lessons' batch, with --scaling).")
    var batch: Int?

    @Flag(help: "Also print where the time of a training step goes, per layer and per kind of op (fastest of 5 steps per op).")
    var breakdown = false

    @Flag(help: "Skip the GEMM figures.")
    var noGemm = false

    @Flag(help: "Run this benchmark and tools/pytorch/unet64.py alternately (3 pairs, batch 16) and print the ratios.")
    var againstPytorch = false

    @Flag(help: "Train on 1 and on 2 threads alternately (5 pairs, --batch, default 8 here) and print the speed-up.")
    var scaling = false

    /// Every limit up front, as one line (thrown from `run`, so without the usage text).
    func check() throws {
        guard (1...256).contains(threads) else { throw BenchError("--threads must be between 1 and 256, got \(threads)") }
        guard (1...10_000).contains(steps) else { throw BenchError("--steps must be between 1 and 10000, got \(steps)") }
        if let batch, !(1...512).contains(batch) { throw BenchError("--batch must be between 1 and 512, got \(batch)") }
        if scaling && againstPytorch { throw BenchError("--scaling and --against-pytorch are separate runs: give one of them") }
    }

    func run() throws {
        try check()
        print("cpu: \(HostCPU.name)")
        print("kernel: \(KernelPath.name)")
        if let warning = KernelPath.warning { print(warning) }
        #if DEBUG
        print("note: this is a debug build, about 4x slower: use swift run -c release bench")
        #endif
        if againstPytorch {
            if let reason = PyTorchPair.unavailable() { throw BenchError(reason) }
            try PyTorchPair.compare(threads: threads, steps: steps, pairs: 3)
            return
        }
        if scaling {
            ThreadScaling.compare(batch: batch ?? 8, steps: steps, pairs: 5)
            return
        }
        Parallel.threads = threads
        let batch = self.batch ?? 16
        let unet = UNetBenchmark(batch: batch)
        print("threads: \(threads)")
        if batch != 16 { print("batch: \(batch)") }
        print("train_images_per_s: \(format(unet.trainingImagesPerSecond(steps: steps)))")
        print("infer_images_per_s: \(format(unet.inferenceImagesPerSecond(batches: steps)))")
        if !noGemm {
            print("gemm512_gflops_1thread: \(format(gemmGigaflops(size: 512, threads: 1)))")
            print("gemm512_gflops_2threads: \(format(gemmGigaflops(size: 512, threads: 2)))")
            Parallel.threads = threads
        }
        print("params: \(unet.parameterCount)")
        if breakdown { print(unet.breakdown()) }
    }
}

func format(_ x: Double) -> String {
    String((x * 10).rounded() / 10)
}
