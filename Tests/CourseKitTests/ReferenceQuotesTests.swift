import Foundation
import XCTest

/// Text that cannot go stale: every score the README and the DocC chapters quote ("34.38 ± 0.69",
/// "25.33 dB") is one the reference run printed (`Reference/lessonN/transcript.txt`,
/// `experiments.txt`). Regenerate `Reference/` and a quoted number that moved fails here.
final class ReferenceQuotesTests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The scores in `text`: "a.bc ± d.ef" spreads and "a.bc dB" values, line breaks read as spaces.
    static func quotedScores(_ text: String) -> [String] {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        let pattern = try! NSRegularExpression(pattern: #"\d+\.\d+ ± \d+\.\d+|\d+\.\d+(?= dB)"#)
        return pattern.matches(in: flat, range: NSRange(flat.startIndex..., in: flat)).map { String(flat[Range($0.range, in: flat)!]) }
    }

    func testEveryQuotedScoreIsInTheReferenceRun() throws {
        let reference = (1...7).flatMap { n in
            ["transcript.txt", "experiments.txt", "depth-sweep.txt", "depth-sweep-transcript.txt", "larger-scenes-transcript.txt",
             "larger-scenes-5-levels-transcript.txt", "size-256-transcript.txt", "photo-bottleneck.txt"].compactMap { try? String(contentsOf: root.appendingPathComponent("Reference/lesson\(n)/\($0)"), encoding: .utf8) }
        }.joined(separator: "\n").replacingOccurrences(of: "\n", with: " ")
        XCTAssertFalse(reference.isEmpty, "Reference/ has no transcript: run tools/update-reference.sh")
        let catalogs = ["Sources/CourseKit/CourseKit.docc", "Sources/TensorCore/TensorCore.docc"]
        let docs = try catalogs.flatMap { catalog in
            try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(catalog).path)
                .filter { $0.hasSuffix(".md") }.map { "\(catalog)/\($0)" }
        } + ["README.md"]
        var checked = 0
        for doc in docs {
            let text = try String(contentsOf: root.appendingPathComponent(doc), encoding: .utf8)
            for score in Self.quotedScores(text) {
                XCTAssertTrue(reference.contains(score), "\(doc) quotes \(score), which the reference run did not print")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 0)
    }

    /// The README's times of the reference run ("lessons 1-7 took 0, 58, ... and 120 s") are the
    /// seconds its transcripts end with ("Lesson 2 finished in 58 s.").
    func testTheReadmesReferenceRunTimesAreTheTranscripts() throws {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let quoted = try XCTUnwrap(Self.referenceRunTimes(readme), "README.md no longer says how long the reference run took")
        let finished = try (1...7).map { n -> Int in
            let text = try String(contentsOf: root.appendingPathComponent("Reference/lesson\(n)/transcript.txt"), encoding: .utf8)
            let line = try XCTUnwrap(text.split(separator: "\n").last { $0.hasPrefix("Lesson \(n) finished in ") }, "lesson \(n)")
            return try XCTUnwrap(Int(line.split(separator: " ")[4]), String(line))
        }
        XCTAssertEqual(quoted, finished, "README.md quotes the reference run's seconds; Reference/ holds these")
    }

    /// The seconds after "for `Reference/` ..., lessons 1-7 took", line breaks read as spaces.
    static func referenceRunTimes(_ text: String) -> [Int]? {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        let pattern = try! NSRegularExpression(pattern: #"for `Reference/`.{0,80}?lessons 1-7 took ((?:\d+, ){5}\d+ and \d+) s"#)
        guard let match = pattern.firstMatch(in: flat, range: NSRange(flat.startIndex..., in: flat)),
              let range = Range(match.range(at: 1), in: flat) else { return nil }
        return flat[range].replacingOccurrences(of: " and ", with: ", ").components(separatedBy: ", ").compactMap { Int($0) }
    }

    func testTheTimesAreReadOnlyWhenAllSevenAreThere() {
        let text = "and, for `Reference/` (`tools/update-reference.sh`),\nlessons 1-7 took 0, 58, 57, 81, 100, 120 and 120 s."
        XCTAssertEqual(Self.referenceRunTimes(text), [0, 58, 57, 81, 100, 120, 120])
        XCTAssertNil(Self.referenceRunTimes("lessons 1-7 took 0, 58 and 57 s"))
    }

    func testTheCheckFindsAStaleNumber() {
        XCTAssertEqual(Self.quotedScores("scores 34.38 ± 0.69 dB against\nthe full 34.35 ± 0.53, or 25.33 dB"),
                       ["34.38 ± 0.69", "34.35 ± 0.53", "25.33"])
    }
}
