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
            let predictions = Predictions.asked(lesson: lesson, experiments: [])
            XCTAssertTrue((1...3).contains(predictions.count), "lesson \(lesson)")
            let text = Predictions.comparison(lesson: lesson, choices: choices(predictions), run: run)
            XCTAssertEqual(text.components(separatedBy: "your run shows").count - 1, predictions.count, text)
            XCTAssertFalse(text.contains("cannot tell"), text)
        }
        let unrun = Predictions.comparison(lesson: 5, choices: choices(Predictions.questions(lesson: 5)), run: QuizRun(outputs: "/nonexistent"))
        XCTAssertTrue(unrun.contains("cannot tell"), unrun)
    }

    /// An experiment's predictions are asked only once its exercise is written, and a run that
    /// did not carry the experiment out (the reference run) says it cannot tell, and why.
    func testExperimentPredictionsWaitForTheirExercise() {
        for (lesson, id) in [(4, "4.4"), (6, "6.5")] {
            let own = Predictions.asked(lesson: lesson, experiments: [])
            let all = Predictions.asked(lesson: lesson, experiments: [id])
            XCTAssertGreaterThan(all.count, own.count, id)
            let experiment = all.filter { $0.experiment == id }
            let text = Predictions.comparison(lesson: lesson, choices: choices(experiment), run: referenceRun)
            XCTAssertTrue(text.contains("this run cannot tell (") && text.contains("--use-exercises"), text)
        }
    }

    /// Exercise 6.5's predictions follow the run's means: closer to the U-Net, or to the autoencoder.
    func testYourPlanIsPlacedByItsMeans() throws {
        for (detail, expected) in [(26.9, 0), (23.0, 1)] {
            let outputs = try temporaryOutputs()
            defer { try? FileManager.default.removeItem(at: outputs) }
            try write(lesson: 6, [record("unet", high: 27.3), record("autoencoder", high: 22.3), record("yours", high: detail)], to: outputs)
            let run = QuizRun(outputs: outputs.path)
            XCTAssertEqual(run.closer("yours", \.psnrHigh), expected, "\(detail) dB")
            XCTAssertNil(run.closer("no-such-variant", \.psnrHigh))
        }
    }

    /// Exercise 4.4's prediction compares with the reference run's autoencoder only when this
    /// run trained a wider one on the same seed, steps and scenes.
    func testTheWiderBottleneckIsComparedOnlyWithALikeRun() throws {
        let reference = try XCTUnwrap(ReferenceRun.metrics(lesson: 4))
        let usual = try XCTUnwrap(reference.models.first { $0.model == "autoencoder" })
        let prediction = try XCTUnwrap(Predictions.questions(lesson: 4).first { $0.experiment == "4.4" })
        func outcome(_ change: (inout MetricsRecord) -> Void) throws -> String {
            let outputs = try temporaryOutputs()
            defer { try? FileManager.default.removeItem(at: outputs) }
            var mine = usual
            change(&mine)
            try MetricsFile(lesson: "lesson4", models: [mine], baselines: reference.baselines).write(
                to: outputs.appendingPathComponent("lesson4/metrics.json").path)
            return Predictions.comparison(lesson: 4, choices: [prediction.text: 0], run: QuizRun(outputs: outputs.path))
        }
        XCTAssertTrue(try outcome { $0.params += 1000; $0.psnrHigh += 1.5 }.contains("your run shows yes"))
        XCTAssertTrue(try outcome { $0.params += 1000; $0.psnrHigh += 0.5 }.contains("your run shows no"))
        XCTAssertTrue(try outcome { $0.psnrHigh += 1.5 }.contains("cannot tell"), "the usual bottleneck: no experiment")
        XCTAssertTrue(try outcome { $0.params += 1000; $0.seed += 1; $0.psnrHigh += 1.5 }.contains("cannot tell"), "another seed")
    }

    /// The larger-scenes prediction follows the sky of the largest scenes (not the panorama's)
    /// against the trained size's, across the line the lesson's paragraph draws, and cannot tell
    /// from a run at another size or one that scored no larger scene. metrics.json keeps the rows.
    func testTheLargerScenesPredictionReadsTheSkyOfTheLargestScenes() throws {
        let prediction = try XCTUnwrap(Predictions.questions(lesson: 5).first { $0.text.contains("256 px") })
        let gap = SceneSizeScores.holdsWithin
        func row(_ size: Int, _ sky: Double?, wide: Bool = false) -> SceneSizeScores {
            SceneSizeScores(width: size, height: wide ? 64 : size, panorama: wide,
                            scores: QualityScores(psnr: 20, ssim: 0.5, psnrLow: 30, psnrHigh: 30, images: 8), skyPSNR: sky, lakePSNR: 30)
        }
        func outcome(_ rows: [SceneSizeScores]?) throws -> String {
            let outputs = try temporaryOutputs()
            defer { try? FileManager.default.removeItem(at: outputs) }
            try FileManager.default.createDirectory(at: outputs.appendingPathComponent("lesson5"), withIntermediateDirectories: true)
            var file = MetricsFile(lesson: "lesson5", models: [record("unet", high: 30)])
            file.sceneSizes = rows
            let path = outputs.appendingPathComponent("lesson5/metrics.json").path
            try file.write(to: path)
            XCTAssertEqual(try MetricsFile.read(path), file, "metrics.json keeps the rows")
            return Predictions.comparison(lesson: 5, choices: [prediction.text: 0], run: QuizRun(outputs: outputs.path))
        }
        XCTAssertTrue(try outcome([row(64, 41), row(128, 40), row(256, 41 - gap + 0.01), row(256, 10, wide: true)])
            .contains("your run shows yes"), "the panorama is not the largest scene")
        XCTAssertTrue(try outcome([row(64, 41), row(128, 40), row(256, 41 - gap), row(256, 41, wide: true)]).contains("your run shows no"))
        XCTAssertTrue(try outcome([row(64, 41), row(256, 16)]).contains("your run shows no"))
        XCTAssertTrue(try outcome([row(128, 41), row(256, 16)]).contains("cannot tell"), "trained at 128 px")
        XCTAssertTrue(try outcome([row(64, 41), row(256, 41, wide: true)]).contains("cannot tell"), "no 256 px scene")
        XCTAssertTrue(try outcome([row(64, 41), row(256, nil)]).contains("cannot tell"), "no sky")
        XCTAssertTrue(try outcome(nil).contains("cannot tell"), "a run with --data scores no other size")
    }

    /// A recording that does not fit the lesson's predictions is ignored, not trusted; one in the
    /// first format (a list) still counts.
    func testAMalformedRecordingIsIgnored() throws {
        let outputs = try temporaryOutputs()
        defer { try? FileManager.default.removeItem(at: outputs) }
        try FileManager.default.createDirectory(at: outputs.appendingPathComponent("predictions"), withIntermediateDirectories: true)
        let file = outputs.appendingPathComponent("predictions/lesson2.json")
        let (first, second) = (Predictions.questions(lesson: 2)[0].text, Predictions.questions(lesson: 2)[1].text)
        func keyed(_ pairs: [(String, Int)]) -> String {
            String(decoding: try! JSONEncoder().encode(Dictionary(uniqueKeysWithValues: pairs)), as: UTF8.self)
        }
        for (text, valid) in [("[0,1]", true), ("[0]", false), ("[0,7]", false), ("garbage", false),
                              (keyed([(first, 0), (second, 1)]), true), (keyed([(first, 0)]), false),
                              (keyed([(first, 0), (second, 2)]), false), (keyed([(first, 0), (second, 1), ("an old question", 0)]), true)] {
            try Data(text.utf8).write(to: file)
            XCTAssertEqual(Predictions.recorded(outputs: outputs.path, lesson: 2) != nil, valid, text)
        }
    }

    func choices(_ predictions: [Prediction]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: predictions.map { ($0.text, 0) })
    }

    func temporaryOutputs() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("predictions-\(UUID().uuidString)")
        for lesson in [4, 6] {
            try FileManager.default.createDirectory(at: url.appendingPathComponent("lesson\(lesson)"), withIntermediateDirectories: true)
        }
        return url
    }

    func record(_ model: String, high: Double) -> MetricsRecord {
        MetricsRecord(lesson: "lesson6", model: model, params: 1, steps: 1, seconds: 1, seed: 1, psnr: 20, ssim: 0.5, psnrLow: 30, psnrHigh: high)
    }

    func write(lesson: Int, _ models: [MetricsRecord], to outputs: URL) throws {
        try MetricsFile(lesson: "lesson\(lesson)", models: models).write(to: outputs.appendingPathComponent("lesson\(lesson)/metrics.json").path)
    }
}
