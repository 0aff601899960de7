import CourseKit

/// `lesson6 --depth-sweep`: the bottleneck experiment at a size where it is decidable.
///
/// At lesson 6's 32 px the U-Net's deepest skip already sees the whole scene, so zeroing the
/// bottleneck cannot show what the bottleneck is for. Here, on 64 px scenes: the autoencoder
/// and the U-Net with 1 to 4 levels (bottleneck 32, 16, 8, 4 px; channels double per level as
/// everywhere in the course), and the 16 px U-Net trained without its bottleneck or without its
/// coarsest skip — each on the lesson's seeds.
struct DepthSweep {
    static let steps = 800
    static let quickSteps = 3
    static let size = 64
    /// A variant's bottleneck grid side at this size.
    static func bottleneckSide(_ v: Variant) -> Int { size >> v.depth }
    /// Numbers in a variant's bottleneck: its grid times its channels.
    static func bottleneckValues(_ v: Variant) -> Int { bottleneckSide(v) * bottleneckSide(v) * (Variant.base << v.depth) }

    static let variants: [Variant] = (1...4).flatMap { depth in
        [Variant(name: "autoencoder d\(depth)", skips: Array(repeating: .none, count: depth)),
         Variant(name: "unet d\(depth)", skips: Array(repeating: .concat, count: depth))]
    } + [
        Variant(name: "unet d2, zero bottleneck", skips: [.concat, .concat], zeroBottleneck: true),
        Variant(name: "unet d2, no coarsest skip", skips: [.concat, .none]),
    ]

    let lesson: LessonRun
    let seeds: [Int]
    let steps: Int

    /// Trains every variant on every seed; returns each run's result by variant name.
    func run() throws -> [String: [ColorizerResult]] {
        let data = try lesson.dataset(size: Self.size)
        var runs: [String: [ColorizerResult]] = [:]
        for seed in seeds {
            for variant in Self.variants {
                runs[variant.name, default: []].append(try variant.train(lesson, seed: seed, steps: steps, save: false, data: data).result)
            }
        }
        return runs
    }

    /// The table (mean ± spread over seeds) and the paragraph its numbers support.
    static func report(_ runs: [String: [ColorizerResult]], seedCount: Int) -> (table: [[String]], text: String) {
        var rows = [["variant", "bottleneck", "values", "PSNR dB", "PSNR low", "PSNR high"]]
        var s: [String: Summary] = [:]
        for v in variants {
            let summary = Summary(runs[v.name]!.map(\.scores), params: runs[v.name]![0].record.params)
            s[v.name] = summary
            rows.append([v.name, "\(bottleneckSide(v)) px", "\(bottleneckValues(v))", summary.psnr.text, summary.low.text, summary.high.text])
        }
        let verdicts = ExperimentVerdicts(seedCount: seedCount)
        let ae = (1...4).map { s["autoencoder d\($0)"]! }, unet = (1...4).map { s["unet d\($0)"]! }
        let zero = s["unet d2, zero bottleneck"]!, coarse = s["unet d2, no coarsest skip"]!
        let input = size * size, shallowest = variants[0]
        let poolingLosesDetail = verdicts.clear(ae[0].high, unet[0].high) && ae[0].high.mean < unet[0].high.mean
            && (1..<4).allSatisfy { ae[$0].high.mean < ae[$0 - 1].high.mean }
        let detail = poolingLosesDetail
            ? """
              What loses the detail is each pooling — a 2x2 max keeps one value of four, so where in \
              the block an edge was must survive in the channels and be redrawn by the decoder — not \
              how many numbers the bottleneck can store: the autoencoder's detail falls with every \
              level although even its \(bottleneckSide(shallowest)) px bottleneck holds \(bottleneckValues(shallowest)) numbers, \(bottleneckValues(shallowest) / input)x \
              the \(input) pixels of the gray input, and already loses to the 1-level U-Net's \
              \(fmt(unet[0].high.mean)) dB (\(verdicts.verdict(ae[0].high, unet[0].high))).
              """
            : "These runs do not separate pooling from capacity: the autoencoder's detail does not fall clearly with every level."
        let context = verdicts.clear(zero.low, unet[1].low) && zero.low.mean < unet[1].low.mean
            ? "at 16 px the bottleneck carries context the skips do not"
            : "the skips carry the context here too"
        let text = """
        The bottleneck at \(size) px. Detail (PSNR high) of the autoencoder, bottleneck 32 → 4 px: \
        \(ae.map { fmt($0.high.mean) }.joined(separator: ", ")) dB. \(detail)
        The big picture (PSNR low) comes with depth: the U-Net scores \
        \(unet.map { fmt($0.low.mean) }.joined(separator: ", ")) dB with 1 to 4 levels, the autoencoder \
        \(ae.map { fmt($0.low.mean) }.joined(separator: ", ")); through a 32 px bottleneck one output pixel \
        sees \(UNet.receptiveField(depth: 1, throughSkip: nil)) px of the \(size) px scene, through a 16 px one \
        \(UNet.receptiveField(depth: 2, throughSkip: nil)) px.
        With a 16 px bottleneck the deepest skip sees \(UNet.receptiveField(depth: 2, throughSkip: 1)) px. \
        Trained without its bottleneck, that U-Net's big picture is \(fmt(zero.low.mean)) dB against \
        \(fmt(unet[1].low.mean)) (\(verdicts.verdict(zero.low, unet[1].low))): \(context). Without its \
        coarsest skip: big picture \(fmt(coarse.low.mean)) dB (\(verdicts.verdict(coarse.low, unet[1].low))), \
        detail \(fmt(coarse.high.mean)) against \(fmt(unet[1].high.mean)) (\(verdicts.verdict(coarse.high, unet[1].high))).
        """
        return (rows, text)
    }
}
