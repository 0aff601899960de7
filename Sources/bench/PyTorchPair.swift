import Foundation
import TensorCore

/// `bench --against-pytorch`: this engine and PyTorch on the same model, alternately, in one run.
///
/// Speeds on a shared or laptop CPU drift by 10-20% from minute to minute, so one figure of each
/// says little; pairs run back to back (ours, then PyTorch, `pairs` times) and their medians do.
/// The PyTorch side is `tools/pytorch/unet64.py`, the same U-Net-64 as `UNetBenchmark`.
struct PyTorchPair {
    struct Figures { var train = 0.0, infer = 0.0, gemm = 0.0 }

    /// `tools/pytorch/unet64.py` in this checkout (bench is always built from source).
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tools/pytorch/unet64.py")

    /// The Python to use: `$PYTHON` if set, else `python3` on the PATH.
    static var python: String { ProcessInfo.processInfo.environment["PYTHON"] ?? "python3" }

    /// Nil when PyTorch can be imported, else one line saying why not and what to do.
    static func unavailable() -> String? {
        guard FileManager.default.fileExists(atPath: script.path) else {
            return "bench: \(script.path) is missing (it comes with the course's source)."
        }
        guard let (status, _) = try? run(["-c", "import torch"]), status == 0 else {
            return "bench: '\(python) -c \"import torch\"' failed: install PyTorch (pip install torch), or set PYTHON to a Python that has it, e.g. PYTHON=~/venv/bin/python."
        }
        return nil
    }

    static func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// One run of unet64.py on `threads` threads, plus its one-thread matmul.
    static func pytorch(threads: Int) throws -> Figures {
        let (status, text) = try run([script.path, String(threads), "--matmul"])
        func value(_ key: String) -> Double? {
            guard let range = text.range(of: key + "=") else { return nil }
            return Double(text[range.upperBound...].prefix { $0.isNumber || $0 == "." })
        }
        guard status == 0, let train = value("train"), let infer = value("infer"), let gemm = value("gflops") else {
            throw BenchError("unet64.py exited with status \(status) and printed: \(text.prefix(300))")
        }
        return Figures(train: train, infer: infer, gemm: gemm)
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Runs the pairs and prints each figure, the medians and the ratios against the course's targets.
    static func compare(threads: Int, steps: Int, pairs: Int) throws {
        var ours: [Figures] = [], theirs: [Figures] = []
        for pair in 1...pairs {
            Parallel.threads = threads
            let unet = UNetBenchmark(batch: 16)
            var mine = Figures(train: unet.trainingImagesPerSecond(steps: steps),
                               infer: unet.inferenceImagesPerSecond(batches: steps))
            mine.gemm = gemmGigaflops(size: 512, threads: 1)
            let torch = try pytorch(threads: threads)
            print("pair \(pair): ours train \(format(mine.train)) infer \(format(mine.infer)) gemm512/1t \(format(mine.gemm))"
                  + " | pytorch train \(format(torch.train)) infer \(format(torch.infer)) matmul512/1t \(format(torch.gemm))")
            ours.append(mine); theirs.append(torch)
        }
        func row(_ label: String, _ key: KeyPath<Figures, Double>, target: Double) {
            let a = median(ours.map { $0[keyPath: key] }), b = median(theirs.map { $0[keyPath: key] })
            let ratio = a / b
            let verdict = ratio >= target ? "meets" : "MISSES"
            print("\(label): ours \(format(a)) pytorch \(format(b)) ratio \(String(format: "%.2f", ratio))x (\(verdict) the \(target)x target)")
        }
        print("medians of \(pairs) pairs, U-Net-64 batch 16 on \(threads) threads:")
        row("train_images_per_s", \.train, target: 1.3)
        row("infer_images_per_s", \.infer, target: 1.2)
        row("gemm512_gflops_1thread", \.gemm, target: 0.9)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The CPU's marketing name, for the first line of every bench run.
enum HostCPU {
    static var name: String {
        #if os(Linux)
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return "unknown CPU"
        #elseif canImport(Darwin)
        var size = 0
        sysctlbyname("machdep.cpu.brand_string", nil, &size, nil, 0)
        var bytes = [CChar](repeating: 0, count: max(size, 1))
        sysctlbyname("machdep.cpu.brand_string", &bytes, &size, nil, 0)
        return String(cString: bytes)
        #else
        return "unknown CPU"
        #endif
    }
}
