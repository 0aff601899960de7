import Foundation

/// One question of a lesson's questionnaire (`course quiz N`).
///
/// Two kinds: a number the learner works out from *their own* run (read from their Outputs, so
/// the right answer is theirs, not the reference run's), and a multiple choice whose every option
/// says why it is right or wrong — a wrong answer should teach, not just score.
public struct QuizQuestion {
    public enum Kind {
        /// A number from the learner's run, right within `tolerance`; nil while the lessons it
        /// needs have not run. `how` says how to find it (shown with the answer).
        case fromYourRun(answer: (QuizRun) -> Double?, tolerance: Double, how: String)
        /// Options with what each one teaches; `right` is the index of the right one.
        case choice(options: [(text: String, feedback: String)], right: Int)
    }

    public let text: String
    public let kind: Kind

    /// The options of a choice are shown rotated by the question's length, so that the right
    /// letter is not always the one it was written at.
    public init(_ text: String, _ kind: Kind) {
        self.text = text
        if case .choice(let options, let right) = kind {
            let shift = text.utf8.count % options.count
            self.kind = .choice(options: Array(options[shift...] + options[..<shift]), right: (right - shift + options.count) % options.count)
        } else {
            self.kind = kind
        }
    }

    /// Why the right answer is right: how to read the number off the run, or the right option's lesson.
    public var explanation: String {
        switch kind {
        case .fromYourRun(_, _, let how): return how
        case .choice(let options, let right): return options[right].feedback
        }
    }

    /// The letter of option `i`: a, b, c, ...
    public static func letter(_ i: Int) -> String { String(UnicodeScalar(UInt8(97 + i))) }

    /// The option a reply names ("b", " B " -> 1) among `count` options; nil for anything else.
    public static func option(_ reply: String, count: Int) -> Int? {
        let reply = reply.trimmingCharacters(in: .whitespaces).lowercased()
        return (0..<count).first { letter($0) == reply }
    }

    /// The right answer for this run: the number, or the option's letter; nil when the lessons
    /// it needs have not run.
    public func rightAnswer(in run: QuizRun) -> String? {
        switch kind {
        case .fromYourRun(let answer, let tolerance, _):
            return answer(run).map { fmt($0, tolerance < 0.01 ? 3 : tolerance < 0.1 ? 2 : 1) }
        case .choice(_, let right):
            return Self.letter(right)
        }
    }

    /// Whether `reply` is right for this run (nil when it cannot be judged: lessons not run), and
    /// what to tell the learner.
    public func judge(_ reply: String, in run: QuizRun) -> (right: Bool, feedback: String)? {
        let reply = reply.trimmingCharacters(in: .whitespaces).lowercased()
        switch kind {
        case .fromYourRun(let answer, let tolerance, let how):
            guard let value = answer(run) else { return nil }
            let right = rightAnswer(in: run)!
            guard let number = Double(reply.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: "db", with: "")
                .replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)) else {
                return (false, "Not a number. Your run says \(right): \(how)")
            }
            let ok = abs(number - value) <= tolerance + 1e-9
            return (ok, (ok ? "Right: " : "Your run says \(right): ") + how)
        case .choice(let options, let right):
            guard let index = Self.option(reply, count: options.count) else {
                return (false, "Answer with a letter, a to \(Self.letter(options.count - 1)). The right one is \(Self.letter(right)): "
                    + options[right].feedback)
            }
            return (index == right, (index == right ? "Right. " : "Not quite. ") + options[index].feedback
                + (index == right ? "" : " (The answer is \(Self.letter(right)): \(options[right].feedback))"))
        }
    }
}

/// What the questions read from the learner's Outputs: each lesson's metrics.json, when it ran
/// with default flags or not (a question says how to get its number).
public struct QuizRun {
    public let metrics: [Int: MetricsFile]
    public let segmentation: SegmentationMetricsFile?

    /// Every lesson's metrics in `outputs`; lesson `running`'s from `folder` instead (a lesson
    /// answering its predictions before its files are in place).
    public init(outputs: String, running: Int? = nil, folder: String? = nil) {
        func path(_ lesson: Int) -> String {
            (lesson == running ? folder ?? "\(outputs)/lesson\(lesson)" : "\(outputs)/lesson\(lesson)") + "/metrics.json"
        }
        var metrics: [Int: MetricsFile] = [:]
        for lesson in 2...6 {
            metrics[lesson] = try? MetricsFile.read(path(lesson))
        }
        self.metrics = metrics
        segmentation = try? SegmentationMetricsFile.read(path(7))
    }

    /// The record of `model` in lesson `lesson` (the first seed's).
    public func model(_ lesson: Int, _ name: String) -> MetricsRecord? {
        metrics[lesson]?.models.first { $0.model == name }
    }

    /// The mean of `score` over every seed of lesson 6's variant `name`.
    public func variantMean(_ name: String, _ score: (MetricsRecord) -> Double) -> Double? {
        let runs = metrics[6]?.models.filter { $0.model == name } ?? []
        return runs.isEmpty ? nil : runs.map(score).reduce(0, +) / Double(runs.count)
    }

    /// Lesson 6: whether variant `name` landed closer to the full U-Net (0) or to the autoencoder
    /// (1) on `score`, means over seeds; nil when the variant did not train.
    public func closer(_ name: String, _ score: (MetricsRecord) -> Double) -> Int? {
        guard let v = variantMean(name, score), let u = variantMean("unet", score), let a = variantMean("autoencoder", score) else { return nil }
        return abs(v - u) < abs(v - a) ? 0 : 1
    }

    /// Lesson 4's autoencoder beside the reference run's, when this run trained a wider bottleneck
    /// (exercise 4.4: more parameters) on the same seed, steps, scenes and size; nil otherwise.
    public func widerAutoencoder() -> (wider: MetricsRecord, usual: MetricsRecord)? {
        guard let mine = metrics[4], let wider = model(4, "autoencoder"), let reference = ReferenceRun.metrics(lesson: 4),
              let usual = reference.models.first(where: { $0.model == "autoencoder" }),
              wider.params > usual.params, wider.seed == usual.seed, wider.steps == usual.steps, wider.bottleneckSide == usual.bottleneckSide,
              let b = mine.baselines?.flatColor.psnr, let r = reference.baselines?.flatColor.psnr, abs(b - r) < 1e-3 else { return nil }
        return (wider, usual)
    }

    public func segmenter(_ name: String) -> SegmentationRecord? { segmentation?.models.first { $0.model == name } }
}
