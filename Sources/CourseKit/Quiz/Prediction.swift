import Foundation
import PixelIO

/// A prediction a lesson asks for before it trains: what will the run show? After the run the
/// lesson answers it from its own numbers ("You predicted …; your run shows …").
public struct Prediction {
    public let text: String
    public let options: [String]
    /// The experiment exercise ("4.4") whose `--use-exercises` run answers this prediction; asked
    /// only once the learner has written it. Nil: every run of the lesson answers it.
    public let experiment: String?
    /// What a run needs before it can answer, said when it cannot.
    let needs: String
    /// The option the run shows, from its metrics (nil: what it needs is missing).
    let outcome: (QuizRun) -> Int?

    init(_ text: String, _ options: [String], experiment: String? = nil, needs: String = "a lesson it compares with has not run",
         outcome: @escaping (QuizRun) -> Int?) {
        self.text = text
        self.options = options
        self.experiment = experiment
        self.needs = needs
        self.outcome = outcome
    }
}

/// Each lesson's predictions, asked on a terminal when the lesson starts (or ahead of time by
/// `course predict N`, from any input), kept in `Outputs/predictions/lessonN.json`, and compared
/// with the run in the lesson's conclusion and report.html.
public enum Predictions {
    static func yesNo(_ yes: Bool?) -> Int? { yes.map { $0 ? 0 : 1 } }

    static let closer = ["closer to the full U-Net", "closer to the autoencoder"]
    static let yours = "lesson 6 trains your plan only with --use-exercises"

    /// Every prediction of `lesson`, experiments' included.
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
            Prediction("Your experiment (exercise 4.4): with twice the room in its bottleneck, will the autoencoder's detail band "
                       + "(PSNR high) rise by more than 1 dB over the reference run's autoencoder?", ["yes", "no"], experiment: "4.4",
                       needs: "it compares with the reference run's autoencoder, so run lesson 4 with --use-exercises and no other flag") { run in
                guard let (wider, usual) = run.widerAutoencoder() else { return nil }
                return yesNo(wider.psnrHigh > usual.psnrHigh + 1)
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
            Prediction("Trained on 64 px scenes, the U-Net then paints 256 px ones (exercise 5.5 computes how much of them one "
                       + "output pixel sees). Will their sky score within \(fmt(SceneSizeScores.holdsWithin, 0)) dB of its sky at 64 px?",
                       ["yes", "no"], needs: "it needs lesson 5 at its default 64 px, on the meadow scenes and with a U-Net that "
                       + "trained: only then does it paint 256 px scenes") { run in
                guard let sizes = run.metrics[5]?.sceneSizes, let trained = sizes.first, trained.width == 64,
                      let painted = sizes.first(where: { $0.width == 256 && !$0.panorama }),
                      let s0 = trained.skyPSNR, let s1 = painted.skyPSNR else { return nil }
                return yesNo(SceneSizeScores.holds(trained: s0, larger: s1))
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
            Prediction("Your experiment (exercise 6.5): keeping only the full-resolution skip, where will the U-Net land on the "
                       + "detail band (PSNR high, mean over seeds)?", closer, experiment: "6.5", needs: yours) { run in
                run.closer("yours", \.psnrHigh)
            },
            Prediction("And on the big picture (PSNR low)?", closer, experiment: "6.5", needs: yours) { run in
                run.closer("yours", \.psnrLow)
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

    /// The predictions a run of `lesson` asks for: the lesson's own, and those of the experiment
    /// exercises in `experiments` (the ones the learner has written).
    public static func asked(lesson: Int, experiments: Set<String>) -> [Prediction] {
        questions(lesson: lesson).filter { $0.experiment.map(experiments.contains) ?? true }
    }

    static func file(outputs: String, lesson: Int) -> String { "\(outputs)/predictions/lesson\(lesson).json" }

    /// The recorded choices, keyed by prediction text (an option index each), or nil when none
    /// were recorded. A recording that does not fit the lesson's predictions is ignored; one in
    /// the first format (a list, one per prediction of the lesson's own) is read as that.
    public static func recorded(outputs: String, lesson: Int) -> [String: Int]? {
        guard let bytes = try? readFileBytes(file(outputs: outputs, lesson: lesson), maxBytes: ReadLimit.json) else { return nil }
        let all = questions(lesson: lesson), own = asked(lesson: lesson, experiments: [])
        let choices: [String: Int]
        if let keyed = try? JSONDecoder().decode([String: Int].self, from: Data(bytes)) {
            choices = keyed
        } else if let list = try? JSONDecoder().decode([Int].self, from: Data(bytes)), list.count == own.count {
            choices = Dictionary(uniqueKeysWithValues: zip(own.map(\.text), list))
        } else {
            return nil
        }
        let valid = all.allSatisfy { q in choices[q.text].map(q.options.indices.contains) ?? true }
        guard valid, own.allSatisfy({ choices[$0.text] != nil }) else { return nil }
        return choices.filter { key, _ in all.contains { $0.text == key } }
    }

    /// Asks each of `predictions` (of `lesson`) not in `recorded`, reading answers with `read` (a
    /// letter per line; nil: no more input), records them with the others and returns them all;
    /// nil when the input ended first (nothing new recorded).
    public static func ask(_ predictions: [Prediction], lesson: Int, recorded: [String: Int] = [:], outputs: String,
                           read: () -> String?) throws -> [String: Int]? {
        var choices = recorded
        print("Before it runs, predict (one letter each; `swift run course quiz \(lesson)` asks why, afterwards):")
        for prediction in predictions where choices[prediction.text] == nil {
            print("  \(prediction.text)")
            for (i, option) in prediction.options.enumerated() { print("    \(QuizQuestion.letter(i))) \(option)") }
            while true {
                print("  > ", terminator: "")
                fflush(stdout)
                guard let line = read() else { return nil }
                if let i = QuizQuestion.option(line, count: prediction.options.count) { choices[prediction.text] = i; break }
                print("  (a letter, a to \(QuizQuestion.letter(prediction.options.count - 1)))")
            }
        }
        try ensureDirectory("\(outputs)/predictions")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try writeFileAtomically([UInt8](try encoder.encode(choices)), to: file(outputs: outputs, lesson: lesson))
        return choices
    }

    /// "You predicted …; your run shows …", one sentence per recorded prediction.
    public static func comparison(lesson: Int, choices: [String: Int], run: QuizRun) -> String {
        questions(lesson: lesson).compactMap { prediction in
            guard let choice = choices[prediction.text] else { return nil }
            let predicted = prediction.options[choice]
            guard let shown = prediction.outcome(run) else {
                return "\(prediction.text) You predicted \(predicted); this run cannot tell (\(prediction.needs))."
            }
            return "\(prediction.text) You predicted \(predicted); your run shows \(prediction.options[shown])"
                + (shown == choice ? " — as you said." : " — not what you expected: the paragraphs above say why.")
        }.joined(separator: " ")
    }
}
