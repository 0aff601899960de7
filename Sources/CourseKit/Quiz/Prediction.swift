import Foundation
import PixelIO

/// A prediction a lesson asks for before it trains: what will the run show? After the run the
/// lesson answers it from its own numbers ("You predicted …; your run shows …").
public struct Prediction {
    public let text: String
    public let options: [String]
    /// The option the run shows, from its metrics (nil: a lesson it needs has not run).
    let outcome: (QuizRun) -> Int?

    init(_ text: String, _ options: [String], outcome: @escaping (QuizRun) -> Int?) {
        self.text = text
        self.options = options
        self.outcome = outcome
    }
}

/// Each lesson's predictions, asked on a terminal when the lesson starts (or ahead of time by
/// `course predict N`, from any input), kept in `Outputs/predictions/lessonN.json`, and compared
/// with the run in the lesson's conclusion and report.html.
public enum Predictions {
    static func yesNo(_ yes: Bool?) -> Int? { yes.map { $0 ? 0 : 1 } }

    public static func questions(lesson: Int) -> [Prediction] {
        switch lesson {
        case 2: return [
            Prediction("Will the plain stack paint more detail than a blur of the true colors (PSNR high above the blurred target's)?",
                       ["yes", "no"]) { run in
                guard let m = run.model(2, "plain"), let b = run.metrics[2]?.baselines else { return nil }
                return yesNo(m.psnrHigh > b.blurredTarget.psnrHigh)
            },
            Prediction("Will it get the big picture (PSNR low) as right as that blur?", ["yes", "no"]) { run in
                guard let m = run.model(2, "plain"), let b = run.metrics[2]?.baselines else { return nil }
                return yesNo(m.psnrLow >= b.blurredTarget.psnrLow)
            },
        ]
        case 3: return [
            Prediction("Same 18 convs, same weights drawn: which deep stack will score the higher PSNR?",
                       ["the plain one", "the residual one", "a tie (within 0.5 dB)"]) { run in
                guard let p = run.model(3, "deep-plain"), let r = run.model(3, "deep-residual") else { return nil }
                return abs(r.psnr - p.psnr) < 0.5 ? 2 : r.psnr > p.psnr ? 1 : 0
            },
        ]
        case 4: return [
            Prediction("Will the autoencoder beat lesson 2's plain stack on the big picture (PSNR low)?", ["yes", "no"]) { run in
                guard let a = run.model(4, "autoencoder"), let p = run.model(2, "plain") else { return nil }
                return yesNo(a.psnrLow > p.psnrLow)
            },
            Prediction("Will it keep the grass blades: more than 1 dB of detail (PSNR high) above the blurred target?", ["yes", "no"]) { run in
                guard let a = run.model(4, "autoencoder"), let b = run.metrics[4]?.baselines else { return nil }
                return yesNo(a.psnrHigh > b.blurredTarget.psnrHigh + 1)
            },
        ]
        case 5: return [
            Prediction("Will the U-Net beat lesson 4's autoencoder on the detail band (PSNR high) by more than 3 dB?", ["yes", "no"]) { run in
                guard let u = run.model(5, "unet"), let a = run.model(4, "autoencoder") else { return nil }
                return yesNo(u.psnrHigh > a.psnrHigh + 3)
            },
            Prediction("Will it beat lesson 2's plain stack on the big picture (PSNR low)?", ["yes", "no"]) { run in
                guard let u = run.model(5, "unet"), let p = run.model(2, "plain") else { return nil }
                return yesNo(u.psnrLow > p.psnrLow)
            },
        ]
        case 6: return [
            Prediction("Which change costs the U-Net the most detail (PSNR high, mean over seeds)?",
                       ["removing the finest skip (no-skip0)", "removing the two finest (no-skip01)", "adding the skips instead of concatenating (add)"]) { run in
                let scores = ["no-skip0", "no-skip01", "add"].map { run.variantMean($0) { $0.psnrHigh } }
                guard scores.allSatisfy({ $0 != nil }) else { return nil }
                return scores.indices.min { scores[$0]! < scores[$1]! }
            },
            Prediction("Trained with its bottleneck always zero, will the U-Net lose more than 1 dB on the big picture (PSNR low)?",
                       ["yes", "no"]) { run in
                guard let z = run.variantMean("zero-bottleneck", { $0.psnrLow }), let u = run.variantMean("unet", { $0.psnrLow }) else { return nil }
                return yesNo(u - z > 1)
            },
        ]
        case 7: return [
            Prediction("Which model will label the most lake as sky?", ["the plain stack", "the autoencoder", "the U-Net"]) { run in
                let rates = ["plain", "autoencoder", "unet"].map { run.segmenter($0)?.lakeAsSky }
                guard rates.allSatisfy({ $0 != nil }) else { return nil }
                return rates.indices.max { rates[$0]! < rates[$1]! }
            },
            Prediction("Which will put its region edges on the right pixels most often (boundary F1)?",
                       ["the plain stack", "the autoencoder", "the U-Net"]) { run in
                let f1 = ["plain", "autoencoder", "unet"].map { run.segmenter($0)?.boundaryF1 }
                guard f1.allSatisfy({ $0 != nil }) else { return nil }
                return f1.indices.max { f1[$0]! < f1[$1]! }
            },
        ]
        default: return []
        }
    }

    static func file(outputs: String, lesson: Int) -> String { "\(outputs)/predictions/lesson\(lesson).json" }

    /// The recorded choices (one option index per prediction), or nil when none were recorded.
    public static func recorded(outputs: String, lesson: Int) -> [Int]? {
        guard let bytes = try? readFileBytes(file(outputs: outputs, lesson: lesson), maxBytes: ReadLimit.json),
              let choices = try? JSONDecoder().decode([Int].self, from: Data(bytes)),
              choices.count == questions(lesson: lesson).count,
              zip(choices, questions(lesson: lesson)).allSatisfy({ $1.options.indices.contains($0) }) else { return nil }
        return choices
    }

    /// Asks each prediction of `lesson`, reading answers with `read` (a letter per line; nil: no
    /// more input), records them and returns them; nil when the input ended first.
    public static func ask(lesson: Int, outputs: String, read: () -> String?) throws -> [Int]? {
        var choices: [Int] = []
        print("Before it runs, predict (one letter each; `swift run course quiz \(lesson)` asks why, afterwards):")
        for prediction in questions(lesson: lesson) {
            print("  \(prediction.text)")
            for (i, option) in prediction.options.enumerated() { print("    \(QuizQuestion.letter(i))) \(option)") }
            while true {
                print("  > ", terminator: "")
                fflush(stdout)
                guard let line = read() else { return nil }
                if let i = QuizQuestion.option(line, count: prediction.options.count) { choices.append(i); break }
                print("  (a letter, a to \(QuizQuestion.letter(prediction.options.count - 1)))")
            }
        }
        try ensureDirectory("\(outputs)/predictions")
        try writeFileAtomically([UInt8](try JSONEncoder().encode(choices)), to: file(outputs: outputs, lesson: lesson))
        return choices
    }

    /// "You predicted …; your run shows …", one sentence per prediction.
    public static func comparison(lesson: Int, choices: [Int], run: QuizRun) -> String {
        zip(questions(lesson: lesson), choices).map { prediction, choice in
            let predicted = prediction.options[choice]
            guard let shown = prediction.outcome(run) else {
                return "\(prediction.text) You predicted \(predicted); this run cannot tell (a lesson it compares with has not run)."
            }
            return "\(prediction.text) You predicted \(predicted); your run shows \(prediction.options[shown])"
                + (shown == choice ? " — as you said." : " — not what you expected: the paragraphs above say why.")
        }.joined(separator: " ")
    }
}
