import Foundation
import XCTest
@testable import CourseKit

final class CheckpointTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "checkpoint-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    func testRoundTrip() throws {
        let saved = TrainerTests.tinyModel(seed: 1), other = TrainerTests.tinyModel(seed: 2)
        XCTAssertNotEqual(saved.parameters[0].value, other.parameters[0].value)
        try Checkpoint.save(saved.parameters, to: folder + "/tiny.ckpt")
        try Checkpoint.load(into: other.parameters, from: folder + "/tiny.ckpt")
        for (a, b) in zip(saved.parameters, other.parameters) { XCTAssertEqual(a.value, b.value) }
        let entries = try Checkpoint.read(folder + "/tiny.ckpt")
        XCTAssertEqual(entries.map(\.name), ["tiny.conv1.weight", "tiny.conv1.bias", "tiny.conv2.weight", "tiny.conv2.bias"])
        XCTAssertEqual(entries[0].shape, [8, 1, 3, 3])
    }

    func testMismatchedModelIsRefusedAndLeftUntouched() throws {
        try Checkpoint.save(TrainerTests.tinyModel(seed: 1).parameters, to: folder + "/tiny.ckpt")
        var rng = SeededGenerator(seed: 3)
        let wider = Sequential("tiny", [Conv2D("tiny.conv1", in: 1, out: 16, kernel: 3, padding: 1, rng: &rng)])
        let before = wider.parameters.map(\.value)
        XCTAssertThrowsError(try Checkpoint.load(into: wider.parameters, from: folder + "/tiny.ckpt")) { error in
            XCTAssertTrue("\(error)".contains("holds 4 parameters but the model has 2"), "\(error)")
        }
        let reshaped = Sequential("tiny", [
            Conv2D("tiny.conv1", in: 1, out: 8, kernel: 3, padding: 1, rng: &rng),
            Conv2D("tiny.conv2", in: 8, out: 3, kernel: 5, padding: 2, rng: &rng),
        ])
        XCTAssertThrowsError(try Checkpoint.load(into: reshaped.parameters, from: folder + "/tiny.ckpt")) { error in
            XCTAssertTrue("\(error)".contains("parameter 2 is 'tiny.conv2.weight' [3, 8, 3, 3] in the file"), "\(error)")
        }
        XCTAssertEqual(wider.parameters.map(\.value), before)
    }

    func testDamagedFilesGiveClearErrors() throws {
        let path = folder + "/tiny.ckpt"
        try Checkpoint.save(TrainerTests.tinyModel(seed: 1).parameters, to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let model = TrainerTests.tinyModel(seed: 2)
        let cases: [(String, Data)] = [
            ("truncated", bytes.prefix(bytes.count / 2)),
            ("flipped", { var d = bytes; d[100] ^= 0xFF; return d }()),
            ("empty", Data()),
        ]
        for (what, data) in cases {
            try data.write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try Checkpoint.load(into: model.parameters, from: path), what) { error in
                XCTAssertTrue(error is CourseError, what)
                XCTAssertTrue("\(error)".contains("'\(path)'"), "\(what): \(error)")
            }
        }
        // A well-formed file (right header, version and checksum) whose stored shape overflows an
        // Int when multiplied out, or claims more values than the file holds.
        for shape in [[UInt32(1) << 31, 1 << 31, 1 << 31], [1000, 1000]] {
            var forged = Checkpoint.magic
            Checkpoint.append(Checkpoint.version, to: &forged)
            Checkpoint.append(UInt32(1), to: &forged)
            Checkpoint.append(UInt32(1), to: &forged)
            forged += Array("w".utf8)
            Checkpoint.append(UInt32(shape.count), to: &forged)
            for d in shape { Checkpoint.append(d, to: &forged) }
            forged += [UInt8](repeating: 0, count: 16)
            Checkpoint.append(Checkpoint.fnv1a(forged[...]), to: &forged)
            try Data(forged).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try Checkpoint.read(path), "\(shape)") { error in
                XCTAssertTrue("\(error)".contains("claims shape"), "\(shape): \(error)")
            }
        }
        XCTAssertThrowsError(try Checkpoint.load(into: model.parameters, from: folder + "/missing.ckpt")) { error in
            XCTAssertTrue("\(error)".contains("missing.ckpt"), "\(error)")
        }
    }

    /// A save that dies half-way (here: the file-size limit makes `write` fail after 1 KiB, as a
    /// full disk would) leaves the previous checkpoint intact and loadable, and no temporary file.
    func testInterruptedSaveKeepsPreviousCheckpoint() throws {
        let path = folder + "/model.ckpt"
        let first = TrainerTests.tinyModel(seed: 1)
        try Checkpoint.save(first.parameters, to: path)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))

        let second = TrainerTests.tinyModel(seed: 2)
        let bigger = (0..<4).map { Parameter("pad\($0)", Tensor(shape: [4096], repeating: Float($0))) }
        var saved = rlimit()
        getrlimit(Self.fileSizeLimit, &saved)
        let previousHandler = signal(SIGXFSZ, SIG_IGN)  // get EFBIG from write() instead of being killed
        var limit = saved
        limit.rlim_cur = 1024
        XCTAssertEqual(setrlimit(Self.fileSizeLimit, &limit), 0)
        let interrupted: Error?
        do { try Checkpoint.save(second.parameters + bigger, to: path); interrupted = nil } catch { interrupted = error }
        setrlimit(Self.fileSizeLimit, &saved)
        signal(SIGXFSZ, previousHandler)

        XCTAssertNotNil(interrupted, "the save was expected to fail half-way")
        XCTAssertTrue("\(interrupted.map { "\($0)" } ?? "")".contains("cannot save the checkpoint"))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), good)
        let reloaded = TrainerTests.tinyModel(seed: 3)
        try Checkpoint.load(into: reloaded.parameters, from: path)
        for (a, b) in zip(first.parameters, reloaded.parameters) { XCTAssertEqual(a.value, b.value) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["model.ckpt"])
    }

    #if canImport(Glibc)
    static let fileSizeLimit = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
    #else
    static let fileSizeLimit = RLIMIT_FSIZE
    #endif
}
