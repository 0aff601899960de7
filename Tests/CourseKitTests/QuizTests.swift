import CourseKit
import Foundation
import XCTest

/// The package folder, and the reference run's outputs as a learner's run.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let referenceRun = QuizRun(outputs: root.appendingPathComponent("Reference").path)

final class QuizTests: XCTestCase {
    /// Five to eight questions per lesson, numbers from the run first; every one answerable
    /// from the reference run, every choice with a right option and feedback on each.
    func testEveryLessonHasAnAnswerableQuestionnaire() {
        let run = referenceRun
        for lesson in Quiz.lessons {
            let questions = Quiz.questions(lesson: lesson)
            XCTAssertTrue((5...8).contains(questions.count), "lesson \(lesson): \(questions.count) questions")
            XCTAssertTrue(questions.contains { if case .fromYourRun = $0.kind { return true }; return false }, "lesson \(lesson)")
            for q in questions {
                XCTAssertNotNil(q.rightAnswer(in: run), "lesson \(lesson): '\(q.text)' has no answer from Reference/")
                let judged = q.judge(q.rightAnswer(in: run)!, in: run)
                XCTAssertEqual(judged?.right, true, q.text)
                if case .choice(let options, let right) = q.kind {
                    XCTAssertGreaterThanOrEqual(options.count, 3, q.text)
                    XCTAssertTrue(options.indices.contains(right), q.text)
                    XCTAssertTrue(options.allSatisfy { !$0.feedback.isEmpty }, q.text)
                }
            }
        }
    }

    /// A number out of tolerance, another letter, or text is wrong, and says the right answer.
    func testWrongAnswersAreWrongAndTeach() {
        let run = referenceRun
        for lesson in Quiz.lessons {
            for q in Quiz.questions(lesson: lesson) {
                let right = q.rightAnswer(in: run)!
                switch q.kind {
                case .fromYourRun(_, let tolerance, _):
                    let off = String((Double(right)! + 3 * tolerance + 0.01))
                    XCTAssertEqual(q.judge(off, in: run)?.right, false, "\(q.text): \(off) for \(right)")
                    XCTAssertEqual(q.judge("\(right) dB", in: run)?.right, true, "units are allowed")
                case .choice(let options, let rightIndex):
                    let other = QuizQuestion.letter((rightIndex + 1) % options.count)
                    let verdict = q.judge(other, in: run)
                    XCTAssertEqual(verdict?.right, false, q.text)
                    XCTAssertTrue(verdict?.feedback.contains("The answer is \(right)") == true, verdict?.feedback ?? "")
                }
                XCTAssertEqual(q.judge("no idea", in: run)?.right, false, q.text)
            }
        }
        XCTAssertNil(Quiz.questions(lesson: 5)[0].rightAnswer(in: QuizRun(outputs: "/nonexistent")), "no run, no question")
    }

    /// The multiple-choice questions close each chapter, the same words and options.
    func testTheChaptersAskTheSameQuestions() throws {
        for lesson in Quiz.lessons {
            let chapter = try String(contentsOf: root.appendingPathComponent("Sources/CourseKit/CourseKit.docc/Lesson\(lesson).md"), encoding: .utf8)
            guard let section = chapter.components(separatedBy: "## Questions").last, chapter.contains("## Questions") else {
                XCTFail("Lesson\(lesson).md has no ## Questions"); continue
            }
            for q in Quiz.questions(lesson: lesson) {
                guard case .choice(let options, _) = q.kind else { continue }
                XCTAssertTrue(section.contains(q.text), "Lesson\(lesson).md lacks '\(q.text)'")
                for (i, option) in options.enumerated() {
                    XCTAssertTrue(section.contains("\(QuizQuestion.letter(i))) \(option.text)"), "Lesson\(lesson).md lacks option '\(option.text)'")
                }
            }
        }
    }
}

final class PredictionTests: XCTestCase {
    /// One to three predictions per lesson, each answered by the reference run, and the
    /// comparison says what was predicted and what the run showed.
    func testEveryLessonsPredictionsAreAnsweredByARun() {
        let run = referenceRun
        for lesson in Quiz.lessons {
            let predictions = Predictions.questions(lesson: lesson)
            XCTAssertTrue((1...3).contains(predictions.count), "lesson \(lesson)")
            let text = Predictions.comparison(lesson: lesson, choices: predictions.map { _ in 0 }, run: run)
            XCTAssertEqual(text.components(separatedBy: "your run shows").count - 1, predictions.count, text)
            XCTAssertFalse(text.contains("cannot tell"), text)
        }
        let unrun = Predictions.comparison(lesson: 5, choices: [0, 0], run: QuizRun(outputs: "/nonexistent"))
        XCTAssertTrue(unrun.contains("cannot tell"), unrun)
    }

    /// A recording that does not fit the lesson's predictions is ignored, not trusted.
    func testAMalformedRecordingIsIgnored() throws {
        let outputs = FileManager.default.temporaryDirectory.appendingPathComponent("predictions-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: outputs) }
        try FileManager.default.createDirectory(at: outputs.appendingPathComponent("predictions"), withIntermediateDirectories: true)
        let file = outputs.appendingPathComponent("predictions/lesson2.json")
        for (text, valid) in [("[0,1]", true), ("[0]", false), ("[0,7]", false), ("garbage", false)] {
            try Data(text.utf8).write(to: file)
            XCTAssertEqual(Predictions.recorded(outputs: outputs.path, lesson: 2) != nil, valid, text)
        }
    }
}
