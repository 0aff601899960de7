// Lesson 1 — Tensors and pixels.
//
// No training yet: what a tensor is, how a picture becomes one and back, and the data every
// later lesson learns from — gray meadow scenes and their true colors. Run it:
//
//     swift run -c release lesson1
import ArgumentParser
import CourseKit
import ExerciseFunctions
import Exercises
import PixelIO

struct Lesson1: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson1",
        abstract: "Lesson 1 — Tensors and pixels: the tensor core, PNG in and out, the meadow scenes.",
        discussion: "No training: --steps is ignored. --size and --data change the pictures shown.")

    @OptionGroup var options: LessonOptions

    func run() throws {
        let lesson = try LessonRun(1, options: options)
        let size = lesson.dataset.size

        Chapter.heading("A tensor is a shape and a flat list of numbers")
        var t = Tensor(shape: [1, 3, 2, 2], values: (0..<12).map { Float($0) / 10 })
        Chapter.tell("""
        Every picture, weight and gradient in this course is a `Tensor`: Float32 numbers in one flat
        buffer, plus a shape. Images use the shape [N, C, H, W] — N images, C channels, H rows, W
        columns — stored "row-major": all of image 0, inside it all of channel 0 (a whole HxW plane),
        inside that row by row. A tiny RGB picture of 2x2 pixels:
        """)
        print("  shape \(t.shape), \(t.count) values: \(t.values.map { fmt($0, 1) }.joined(separator: " "))")
        let (c, y, x) = (1, 1, 0)
        let offset = ((0 * 3 + c) * 2 + y) * 2 + x
        print("  element [0, \(c), \(y), \(x)] (green, bottom-left) is at offset ((0*3 + \(c))*2 + \(y))*2 + \(x) = \(offset): t[0, \(c), \(y), \(x)] = \(fmt(t[0, c, y, x], 1))")
        t[0, c, y, x] = 1
        print("  after t[0, \(c), \(y), \(x)] = 1: values \(t.values.map { fmt($0, 1) }.joined(separator: " "))")
        if options.useExercises { checkLearnerOffsets() }

        Chapter.heading("The data: gray in, color out")
        let shown = options.quick ? 4 : 8
        let batch = lesson.dataset.heldOutBatch(0..<shown)
        Chapter.tell("""
        The models in this course get a gray picture and must paint its colors. The data are \
        \(lesson.dataset.summary). A batch of \(shown) held-out scenes is two tensors: the input \
        \(batch.input.shape) (one gray channel) and the target \(batch.target.shape) (red, green, \
        blue), values from 0 (black) to 1 (full brightness). The gray input is the luminance of the \
        color picture, as a camera without color would see it: Y = 0.299 R + 0.587 G + 0.114 B.
        """)
        var gray = try luminanceBT601(batch.target)
        var source = "the built-in luminanceBT601"
        if options.useExercises {
            if learnerHasWritten("1.2") {
                do {
                    gray = try luminance(batch.target)
                    source = "your luminance (exercise 1.2)"
                } catch {
                    print("  your luminance (exercise 1.2) threw: \(error); using the built-in one")
                }
            } else {
                print("  --use-exercises: exercise 1.2 (luminance) is not started; using the built-in one")
            }
        }
        let difference = maxAbsDifference(gray, batch.input)
        print("  luminance of the targets by \(source) vs the inputs: max |difference| = \(fmt(difference, 6))")

        var conclusion = """
        A tensor is a shape and a flat buffer; element [n, c, y, x] of an [N, C, H, W] tensor sits \
        at ((n*C + c)*H + y)*W + x. The inputs are \(batch.input.shape) and the targets \
        \(batch.target.shape); recomputing the gray from the colors with \(source) differs from the \
        inputs by at most \(fmt(difference, 6)).
        """

        if lesson.usesMeadowScenes {
            Chapter.heading("Why this is hard: sky and lake")
            let stats = RegionStatistics(lesson.dataset, scenes: options.quick ? 16 : 128)
            var rows = [["region", "share of pixels", "gray mean", "gray spread (std)", "true color (mean RGB)"]]
            for e in stats.entries {
                rows.append([e.region.name, "\(fmt(100 * e.share, 1))%", fmt(e.grayMean, 3), fmt(e.grayStd, 3), e.color.rgbText])
            }
            Chapter.table(rows)
            if let sky = stats.entry(.sky), let lake = stats.entry(.lake) {
                let text = """
                Over \(stats.scenes) held-out scenes, the sky's gray is \(fmt(sky.grayMean, 3)) ± \(fmt(sky.grayStd, 3)) \
                and the lake's \(fmt(lake.grayMean, 3)) ± \(fmt(lake.grayStd, 3)): in gray they look alike, \
                both smooth. Their colors differ: sky \(sky.color.rgbText), lake \(lake.color.rgbText). \
                Only *where* a smooth patch is — above the horizon, or below it inside the grass — tells \
                which. Grass, dirt, flowers and the horse are the opposite: their color follows from the \
                local gray and texture, but they are tiny (1-px blades and legs, 2x2 flowers).
                """
                Chapter.tell(text)
                conclusion += "\n\n" + text
            }
        }

        Chapter.heading("Pixels in and out: PNG")
        let picture = try sceneSheet(batch)
        try picture.writePNG(to: lesson.path("scenes.png"))
        let back = try Image.decodePNG(at: lesson.path("scenes.png"))
        let firstTarget = try Image(tensor: batch.target, index: 0)
        try firstTarget.writePNG(to: lesson.path("scene0.png"))
        let decoded = try Image.decodePNG(at: lesson.path("scene0.png"))
        var reloaded = Tensor(image: decoded)
        var loader = "Tensor(image:)"
        if options.useExercises && learnerHasWritten("1.3") {
            do {
                reloaded = try tensorFromPixels(decoded.pixels, width: decoded.width, height: decoded.height,
                                                channels: decoded.channels)
                loader = "your tensorFromPixels (exercise 1.3)"
            } catch {
                print("  your tensorFromPixels (exercise 1.3) threw: \(error); using Tensor(image:)")
            }
        }
        let roundTrip = maxAbsDifference(reloaded, batch.target.firstImages(1))
        Chapter.tell("""
        PNG stores 8 bits per channel: 256 levels, so writing a tensor and reading it back changes \
        each value by at most half a step, 0.5/255 = \(fmt(0.5 / 255, 5)). Scene 0's colors went to \
        scene0.png and back through \(loader): max |difference| = \(fmt(roundTrip, 5)). The sheet \
        of all \(shown) scenes, gray input next to color target, is scenes.png \
        (\(back.width)x\(back.height) pixels, each scene enlarged 3x with nearest-neighbour so single \
        pixels stay visible).
        """)
        conclusion += """


        A PNG round trip changed scene 0 by at most \(fmt(roundTrip, 5)) (half an 8-bit step is \
        \(fmt(0.5 / 255, 5))). Look at scenes.png: the detail and the sky/lake question are what the \
        next lessons' models will be judged on. Lesson 2 trains the first one.
        """
        try lesson.finish(conclusion: conclusion, settings: lesson.settings(steps: 0).replacingOccurrences(of: ", 0 steps", with: ""),
                          pictures: ["scenes.png"])
        _ = size
    }

    /// Gray input | color target, one scene per row pair, enlarged 3x.
    func sceneSheet(_ batch: (input: Tensor, target: Tensor)) throws -> Image {
        let n = batch.input.shape[0]
        var rows: [[Image]] = []
        for i in stride(from: 0, to: n, by: 2) {
            var row: [Image] = []
            for k in i..<min(i + 2, n) {
                row.append(try Image(tensor: batch.input, index: k).toRGB().upscaled(by: 3))
                row.append(try Image(tensor: batch.target, index: k).upscaled(by: 3))
            }
            rows.append(row)
        }
        let labels = Array(["gray input", "color target", "gray input", "color target"].prefix(min(n, 2) * 2))
        return try Image.grid(rows, gap: 3, columnLabels: labels, labelScale: 2)
    }

    /// `--use-exercises`: the learner's nchwOffset (1.1) against the layout formula on every element
    /// of a small shape.
    func checkLearnerOffsets() {
        guard learnerHasWritten("1.1") || (try? nchwOffset(n: 0, c: 0, y: 0, x: 0, shape: [1, 1, 1, 1])) != nil else {
            print("  --use-exercises: exercise 1.1 (nchwOffset) is not started yet.")
            return
        }
        let shape = [2, 3, 4, 5]
        var checked = 0
        for n in 0..<2 { for c in 0..<3 { for y in 0..<4 { for x in 0..<5 {
            let expected = ((n * 3 + c) * 4 + y) * 5 + x
            let got = try? nchwOffset(n: n, c: c, y: y, x: x, shape: shape)
            if got != expected {
                print("  your nchwOffset(n: \(n), c: \(c), y: \(y), x: \(x), shape: \(shape)) = \(got.map(String.init) ?? "an error"), expected \(expected)")
                return
            }
            checked += 1
        } } } }
        print("  your nchwOffset (exercise 1.1) agrees with the layout on all \(checked) elements of \(shape).")
    }
}

/// The largest |a - b| over two tensors of the same shape.
func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Double {
    guard a.shape == b.shape else { return .infinity }
    return zip(a.values, b.values).reduce(0.0) { max($0, Double(abs($1.0 - $1.1))) }
}

/// Gray and color statistics of each region over some held-out meadow scenes.
struct RegionStatistics {
    struct Entry {
        let region: SceneRegion
        let share: Double, grayMean: Double, grayStd: Double
        let color: SIMD3<Double>
    }
    let entries: [Entry]
    let scenes: Int

    init(_ dataset: Dataset, scenes: Int) {
        let meadow = dataset.heldOut as! MeadowScenes
        let count = min(scenes, dataset.heldOutCount)
        self.scenes = count
        let k = SceneRegion.allCases.count
        var n = [Double](repeating: 0, count: k), sum = n, sumSq = n
        var color = [SIMD3<Double>](repeating: .zero, count: k)
        for i in 0..<count {
            let scene = meadow.scene(i)
            let gray = scene.gray.values, rgb = scene.color.values
            let plane = scene.size * scene.size
            for (p, region) in scene.regions.enumerated() {
                let r = Int(region.rawValue), g = Double(gray[p])
                n[r] += 1; sum[r] += g; sumSq[r] += g * g
                color[r] += SIMD3(Double(rgb[p]), Double(rgb[plane + p]), Double(rgb[2 * plane + p]))
            }
        }
        let total = n.reduce(0, +)
        entries = SceneRegion.allCases.compactMap { region in
            let r = Int(region.rawValue)
            guard n[r] > 0 else { return nil }
            let mean = sum[r] / n[r]
            return Entry(region: region, share: n[r] / total, grayMean: mean,
                         grayStd: max(0, sumSq[r] / n[r] - mean * mean).squareRoot(), color: color[r] / n[r])
        }
    }

    func entry(_ region: SceneRegion) -> Entry? { entries.first { $0.region == region } }
}

Lesson1.main()
