import TensorCore

/// `bench --scaling`: how much a second thread speeds up training at the lessons' batch.
///
/// One figure on a shared machine moves 10-20% from minute to minute, so 1-thread and 2-thread
/// runs alternate (`pairs` times) and the ratio of their medians is reported, like the PyTorch pair.
enum ThreadScaling {
    static func compare(batch: Int, steps: Int, pairs: Int, target: Double = 1.8) {
        var one: [Double] = [], two: [Double] = []
        for pair in 1...pairs {
            Parallel.threads = 1
            one.append(UNetBenchmark(batch: batch).trainingImagesPerSecond(steps: steps))
            Parallel.threads = 2
            two.append(UNetBenchmark(batch: batch).trainingImagesPerSecond(steps: steps))
            print("pair \(pair): train 1 thread \(format(one.last!)) | 2 threads \(format(two.last!)) img/s")
        }
        let a = PyTorchPair.median(one), b = PyTorchPair.median(two)
        let ratio = b / a
        let verdict = ratio >= target ? "meets" : "MISSES"
        print("medians of \(pairs) pairs, U-Net-64 training, batch \(batch):")
        print("train_scaling_2threads: 1 thread \(format(a)) 2 threads \(format(b)) ratio \(String(format: "%.2f", ratio))x (\(verdict) the \(target)x target)")
    }
}
