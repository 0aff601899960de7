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

    func testTheCheckFindsAStaleNumber() {
        XCTAssertEqual(Self.quotedScores("scores 34.38 ± 0.69 dB against\nthe full 34.35 ± 0.53, or 25.33 dB"),
                       ["34.38 ± 0.69", "34.35 ± 0.53", "25.33"])
    }
}
