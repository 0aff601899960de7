import ExerciseFunctions
import ExerciseTableGeneration
import Foundation
import XCTest

/// The generated tables (Plugins/ExerciseTables) read the twin files right: each solution's
/// functions with their labels, and "still a stub" from code only, never from a comment.
final class ExerciseTableTests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func testAStubIsNotStartedAndAWrittenBodyIsWrittenWhateverItsCommentsAndStringsSay() {
        let stub = "public func f(_ x: Int) throws -> Int {\n    throw ExerciseError.notStarted\n}\n"
        XCTAssertEqual(notStarted(["f"], in: stub), ["f"])
        let written = """
            public func f(_ x: Int) throws -> Int {
                // throw ExerciseError.notStarted  (left as a comment)
                /* and { a block comment } */
                let s = "throw ExerciseError.notStarted {"
                return x + s.count
            }
            public func g(_ a: Int,
                          b: [Int]) throws -> (sum: Int, n: Int) {
                throw ExerciseError.notStarted
            }
            """
        XCTAssertEqual(notStarted(["f", "g"], in: written), ["g"], "f is written, g is still a stub")
        XCTAssertEqual(notStarted(["f", "h"], in: written), ["h"], "a function the file does not declare is not started")
        XCTAssertEqual(notStarted(["f"], in: "public func f(_ x: Int) throws -> Int {\n    return x\n"), ["f"],
                       "a half-typed file (no closing brace) is not read as written: the compiler will speak")
    }

    func testTheTablesFollowTheSolutionFiles() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: root + "/Solutions")
            .filter { $0.hasSuffix(".swift") }.map { root + "/Solutions/" + $0 }
        let table = try generate("functions", solutions: files, root: root)
        // Labels come from the solution's signature, across line breaks.
        XCTAssertTrue(table.contains("try Exercises.adamStep(value: a0, gradient: a1, m: a2, v: a3, step: a4, learningRate: a5, beta1: a6, beta2: a7, epsilon: a8)"), table)
        XCTAssertTrue(table.contains("public var uNetForward: (_ x: Tensor, _ encoders: [Layer], _ pools: [Layer], _ bottleneck: Layer, _ ups: [Layer], _ decoders: [Layer], _ head: Layer, _ join: (Tensor, Tensor) throws -> Tensor) throws -> Tensor"))
        XCTAssertTrue(table.contains(#"ExerciseFunction("2.3", "reluBackward", file: "Exercises/Lesson2/ReLU.swift")"#))
        // What the built course holds is what the files say now.
        XCTAssertEqual(ExerciseFunction.all.map(\.name).count, files.count + 1, "one function per solution file, two for ReLU")
        XCTAssertThrowsError(try generate("functions", solutions: files + [files[0]], root: root), "two files claiming one exercise")
    }
}
