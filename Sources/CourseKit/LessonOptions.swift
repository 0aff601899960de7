import ArgumentParser
import Foundation

/// The flags every lesson understands. A lesson includes them with
/// `@OptionGroup var options: LessonOptions` and asks `steps(default:)`, `imageSize` etc. for the
/// value to use, so `--quick` and the lesson's own defaults are resolved in one place.
public struct LessonOptions: ParsableArguments {
    @Flag(help: "Tiny settings that finish in a few seconds (for tests and a first look).")
    public var quick = false

    @Option(help: "Seed for the scenes, the initial weights and the order of training scenes (lesson 1: which scenes it shows).")
    public var seed: Int = 1

    @Option(help: "Training steps, up to 100000 (default: the lesson's own, named above).")
    public var steps: Int?

    @Option(help: "Image side in pixels, a multiple of 8 up to 256 (default: the lesson's own; 32 with --quick).")
    public var size: Int?

    @Option(help: "Threads for the tensor core (default: every core). Results do not depend on it.")
    public var threads: Int?

    @Option(name: .customLong("data"), help: "A folder of your own PNGs to use instead of the meadow scenes.")
    public var dataDirectory: String?

    @Flag(help: "Use your own implementations from Exercises/ where this lesson has them.")
    public var useExercises = false

    @Flag(help: "Run every layer on its plain reference loops instead of the fast kernels: far slower, same numbers to float rounding.")
    public var referenceKernels = false

    @Option(help: "The folder the lesson writes into (its own subfolder lessonN/).")
    public var outputs: String = "Outputs"

    public init() {}

    /// Limits of the flags (the lessons' defaults are far inside them).
    public static let maximumSteps = 100_000, maximumSeed = 1_000_000_000, maximumSize = 256

    /// Checks the values (a lesson calls this first). Thrown from the lesson's `run`, a problem
    /// prints as one line, "Error: --steps must be at least 1, got 0", without the usage text.
    public func check() throws {
        // Every limit is checked here, before any training, so nothing can fail late: a run's loss
        // history is allocated up front, seeds are added to (lesson 6 runs seed, seed+1, ...), and
        // the pictures must fit PNG's and memory's limits (samples.png at 376 px did not).
        if let steps, steps < 1 || steps > Self.maximumSteps {
            throw CourseError("--steps must be between 1 and \(Self.maximumSteps), got \(steps)")
        }
        if seed < 0 || seed > Self.maximumSeed {
            throw CourseError("--seed must be between 0 and \(Self.maximumSeed), got \(seed)")
        }
        if let size, size < 16 || size > Self.maximumSize || size % 8 != 0 {
            throw CourseError("--size must be a multiple of 8 between 16 and \(Self.maximumSize), got \(size)")
        }
        if let threads, threads < 1 || threads > 256 {
            throw CourseError("--threads must be between 1 and 256, got \(threads)")
        }
        if let dataDirectory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dataDirectory, isDirectory: &isDirectory),
                  isDirectory.boolValue else {
                throw CourseError("--data \(dataDirectory): no such folder")
            }
        }
    }

    /// The image side: `--size`, else 32 with `--quick`, else the lesson's default (64 for most).
    public func imageSize(default normal: Int = 64) -> Int { size ?? (quick ? 32 : normal) }

    /// The number of training steps: `--steps`, else `quick` with `--quick`, else the lesson's default.
    public func steps(default normal: Int, quick short: Int) -> Int { steps ?? (quick ? short : normal) }

    /// Whether this run uses exactly the settings of the reference run in Reference/ (default
    /// flags, meadow scenes), so its numbers should match the reference ones closely.
    public var matchesReferenceRun: Bool { trainsLikeReferenceRun && !useExercises && !referenceKernels }

    /// The reference run's data, seed, size and steps (the code may differ: an experiment
    /// exercise's variant is compared with the reference run's model this way).
    public var trainsLikeReferenceRun: Bool {
        !quick && steps == nil && size == nil && seed == 1 && dataDirectory == nil
    }

    /// The parts this run's models are built from: the fast kernels, or with `--reference-kernels`
    /// the plain reference loops (a lesson puts the learner's parts on top with `--use-exercises`).
    public var kernelParts: Parts { referenceKernels ? .reference : .builtIn }

    /// Applies the one setting that is global to the process: the thread count.
    public func apply() {
        if let threads { Parallel.threads = threads }
    }
}
