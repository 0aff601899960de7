// swift-tools-version:6.0
// UNetFromScratch: a step-by-step course that answers "what do a U-Net's skip connections do?"
// by experiment. One pure-Swift SIMD tensor core is shared by every lesson.
import PackageDescription

/// x86_64 builds emit SSE2 only unless told otherwise; the GEMM micro-kernel needs AVX2+FMA
/// (measured: 0.7 -> ~70 GFLOP/s). Every module gets the same flags, because a module built without
/// them that inlines a kernel from TensorCore fails to link.
#if arch(x86_64)
let fast: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v3", "-enforce-exclusivity=unchecked"])]
let fastC: [CSetting] = [.unsafeFlags(["-march=x86-64-v3"])]
#else
let fast: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
let fastC: [CSetting] = []
#endif

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

/// One executable target per lesson, under Lessons/lessonN.
let lessons = (1...6).map { n in
    Target.executableTarget(
        name: "lesson\(n)", dependencies: ["CourseKit", "Exercises", argumentParser],
        path: "Lessons/lesson\(n)", swiftSettings: fast)
}

let package = Package(
    name: "UNetFromScratch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "course", targets: ["course"]),
        .executable(name: "bench", targets: ["bench"]),
    ] + (1...6).map { .executable(name: "lesson\($0)", targets: ["lesson\($0)"]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "TensorCore", swiftSettings: fast),
        .systemLibrary(
            name: "CLibPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),
        .target(name: "PixelIO", dependencies: ["CLibPNG"], swiftSettings: fast),
        .target(name: "CourseKit", dependencies: ["TensorCore", "PixelIO", argumentParser], swiftSettings: fast),
        .executableTarget(
            name: "course", dependencies: ["CourseKit", "ExerciseGrading", argumentParser], swiftSettings: fast),
        .executableTarget(name: "bench", dependencies: ["CourseKit", argumentParser], swiftSettings: fast),
        .target(name: "Exercises", dependencies: ["TensorCore"], path: "Exercises", swiftSettings: fast),
        .target(name: "Solutions", dependencies: ["TensorCore"], path: "Solutions", swiftSettings: fast),
        /// The exercise checks as a library, so `swift test` and `course check` grade the same way.
        .target(name: "ExerciseGrading", dependencies: ["TensorCore", "Exercises", "Solutions"], swiftSettings: fast),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"], swiftSettings: fast),
        .testTarget(name: "PixelIOTests", dependencies: ["PixelIO"], exclude: ["pngsuite", "testpngs"], swiftSettings: fast),
        .testTarget(name: "CourseKitTests", dependencies: ["CourseKit"], exclude: ["Fixtures"], swiftSettings: fast),
        .testTarget(name: "LessonTests", dependencies: ["CourseKit"], swiftSettings: fast),
        .testTarget(name: "ExerciseChecks", dependencies: ["ExerciseGrading", "Exercises", "Solutions", "TensorCore"], swiftSettings: fast),
    ] + lessons,
    // Swift 5 mode: the course's single-threaded-by-default code reads better without Sendable noise.
    swiftLanguageModes: [.v5]
)
