// swift-tools-version:6.0
// UNetFromScratch: a step-by-step course that answers "what do a U-Net's skip connections do?"
// by experiment. One pure-Swift SIMD tensor core is shared by every lesson.
import PackageDescription
import Foundation

/// The kernel path for the CPU this package is built on: the course is always built where it
/// runs. x86_64 builds emit SSE2 only unless told otherwise (the GEMM micro-kernel on AVX2+FMA:
/// 0.7 -> ~70 GFLOP/s), so the manifest reads the host's CPU features and passes both the
/// matching `-march` and a define that picks the kernel's vector width (see
/// Sources/TensorCore/GEMMKernel.swift). It never asks for an instruction the host lacks.
/// `UNET_KERNEL=plain` (or `avx2`) builds a narrower path than the host could run, to test it.
/// Every module gets the same flags, because a module built without them that inlines a kernel
/// from TensorCore fails to link.
enum KernelPath: String {
    case avx512, avx2, plain, neon

    static var host: KernelPath {
        #if arch(arm64)
        return .neon
        #elseif arch(x86_64)
        let features = x86Features()
        // x86-64-v4 = AVX-512 F/BW/CD/DQ/VL on top of v3; v3 = AVX2, FMA, BMI1/2, F16C, LZCNT, MOVBE.
        let v3 = ["avx2", "fma", "bmi1", "bmi2", "f16c", "movbe"].allSatisfy(features.contains)
            && (features.contains("abm") || features.contains("lzcnt"))
        let v4 = v3 && ["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"].allSatisfy(features.contains)
        let best: KernelPath = v4 ? .avx512 : v3 ? .avx2 : .plain
        let order: [KernelPath] = [.plain, .avx2, .avx512]
        if let asked = ProcessInfo.processInfo.environment["UNET_KERNEL"].flatMap(KernelPath.init(rawValue:)),
           let a = order.firstIndex(of: asked), a <= order.firstIndex(of: best)! {
            return asked
        }
        return best
        #else
        return .plain
        #endif
    }

    /// Lower-case CPU feature names of the host: /proc/cpuinfo on Linux, sysctl on an Intel Mac
    /// (the same names: avx2, fma, bmi1, bmi2, f16c, movbe, lzcnt, avx512f, ...).
    static func x86Features() -> Set<String> {
        #if os(Linux)
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        return Set(line.split(separator: ":").last!.split(separator: " ").map(String.init))
        #elseif os(macOS)
        // XNU names every CPUID feature bit in three strings (osfmk/i386/cpuid.c): FMA, MOVBE,
        // F16C in machdep.cpu.features; AVX2, BMI1, BMI2 and AVX512F/BW/CD/DQ/VL in
        // machdep.cpu.leaf7_features; LZCNT in machdep.cpu.extfeatures. (hw.optional.* has no
        // movbe or lzcnt, so reading it there built every Intel Mac for SSE2.) Apple silicon never
        // gets here (`#if arch(arm64)` above).
        var names: Set<String> = []
        for key in ["machdep.cpu.features", "machdep.cpu.leaf7_features", "machdep.cpu.extfeatures"] {
            var size = 0
            guard sysctlbyname(key, nil, &size, nil, 0) == 0, size > 0 else { continue }
            var text = [CChar](repeating: 0, count: size + 1)
            guard sysctlbyname(key, &text, &size, nil, 0) == 0 else { continue }
            let line = text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            names.formUnion(line.lowercased().split(separator: " ").map(String.init))
        }
        return names
        #else
        return []
        #endif
    }

    var march: String? {
        switch self {
        case .avx512: return "x86-64-v4"
        case .avx2: return "x86-64-v3"
        case .plain, .neon: return nil
        }
    }
    var define: String { "KERNEL_" + rawValue.uppercased() }
}

let kernel = KernelPath.host
let fast: [SwiftSetting] = [
    .unsafeFlags((kernel.march.map { ["-Xcc", "-march=\($0)"] } ?? []) + ["-enforce-exclusivity=unchecked"]),
    .define(kernel.define),
]

/// The course's own engine (tensor core, pictures, scores, lessons' kit) is optimized in debug
/// builds too: `swift test` runs every lesson, and unoptimized kernels ran them about 100x
/// slower. The learner's code (Exercises) and what runs it stay unoptimized in debug, so a
/// crash there names its line and a debugger steps through it.
let engine = fast + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

/// One executable target per lesson, under Lessons/lessonN.
let lessons = (1...7).map { n in
    Target.executableTarget(
        name: "lesson\(n)", dependencies: ["CourseKit", "LearnerParts", "ExerciseFunctions", "Exercises", argumentParser],
        path: "Lessons/lesson\(n)", swiftSettings: fast)
}

let package = Package(
    name: "UNetFromScratch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "course", targets: ["course"]),
        .executable(name: "bench", targets: ["bench"]),
    ] + (1...7).map { .executable(name: "lesson\($0)", targets: ["lesson\($0)"]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation`: the course's chapters and API docs (DocC).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        .target(name: "CSpinWait"),
        .target(name: "TensorCore", dependencies: ["CSpinWait"], swiftSettings: engine),
        .systemLibrary(
            name: "CLibPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        .target(name: "PixelIO", dependencies: ["CLibPNG"], swiftSettings: engine),
        /// The scores every lesson reports and the grader checks against (PSNR, SSIM, bands,
        /// segmentation), low enough for both to share.
        .target(name: "Scoring", dependencies: ["TensorCore"], swiftSettings: engine),
        .target(name: "CourseKit", dependencies: ["TensorCore", "PixelIO", "Scoring", argumentParser], swiftSettings: engine),
        .executableTarget(
            name: "course", dependencies: ["CourseKit", "ExerciseFunctions", "ExerciseGrading", argumentParser], swiftSettings: fast),
        .executableTarget(name: "bench", dependencies: ["CourseKit", argumentParser], swiftSettings: fast),
        /// The stability sweep's trainer (`tools/check-stability.sh`).
        .executableTarget(name: "stability", dependencies: ["CourseKit", argumentParser], swiftSettings: fast),
        .target(name: "Exercises", dependencies: ["TensorCore"], path: "Exercises", swiftSettings: fast),
        .target(name: "Solutions", dependencies: ["TensorCore"], path: "Solutions", swiftSettings: fast),
        /// The learner's functions as one value, and "is it written?": what lessons may ask without
        /// linking the answer key.
        .target(name: "ExerciseFunctions", dependencies: ["TensorCore", "Exercises"], swiftSettings: fast, plugins: ["ExerciseTables"]),
        /// The exercise checks as a library, so `swift test` and `course check` grade the same way.
        .target(name: "ExerciseGrading", dependencies: ["TensorCore", "Scoring", "ExerciseFunctions", "Solutions"], swiftSettings: fast,
                plugins: ["ExerciseTables"]),
        /// Writes each exercise's function tables and XCTest methods from its twin files at build time.
        .plugin(name: "ExerciseTables", capability: .buildTool(), dependencies: ["exercise-tables"]),
        .executableTarget(name: "exercise-tables", dependencies: ["ExerciseTableGeneration"]),
        .target(name: "ExerciseTableGeneration"),
        /// `--use-exercises`: model parts that run the learner's code (see `Parts`).
        .target(name: "LearnerParts", dependencies: ["CourseKit", "ExerciseFunctions", "Exercises"], swiftSettings: fast),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"], swiftSettings: fast),
        .testTarget(name: "PixelIOTests", dependencies: ["PixelIO"], exclude: ["pngsuite", "testpngs"], swiftSettings: fast),
        .testTarget(name: "CourseKitTests", dependencies: ["CourseKit"], exclude: ["Fixtures"], swiftSettings: fast),
        .testTarget(name: "LessonTests", dependencies: ["CourseKit"], swiftSettings: fast),
        .testTarget(name: "ExerciseChecks", dependencies: ["ExerciseGrading", "LearnerParts", "Exercises", "Solutions", "TensorCore", "ExerciseTableGeneration"],
                    swiftSettings: fast, plugins: ["ExerciseTables"]),
    ] + lessons,
    // Swift 5 mode: the course's single-threaded-by-default code reads better without Sendable noise.
    swiftLanguageModes: [.v5]
)
