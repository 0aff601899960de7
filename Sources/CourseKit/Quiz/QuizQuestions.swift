/// Each lesson's questionnaire: numbers from the learner's own run first (their Outputs, so the
/// answer is what *their* models did), then questions on why. The multiple-choice ones also close
/// the lesson's DocC chapter (`## Questions`; a test keeps the two the same).
public enum Quiz {
    /// The lessons with a questionnaire.
    public static let lessons = 2...7

    public static func questions(lesson: Int) -> [QuizQuestion] {
        switch lesson {
        case 2: return lesson2
        case 3: return lesson3
        case 4: return lesson4
        case 5: return lesson5
        case 6: return lesson6
        case 7: return lesson7
        default: return []
        }
    }

    /// A difference of two scores in dB, right to 0.05 dB (the lessons print two decimals).
    static func dB(_ how: String, _ value: @escaping (QuizRun) -> Double?) -> QuizQuestion.Kind {
        .fromYourRun(answer: value, tolerance: 0.05, how: how)
    }

    static let lesson2: [QuizQuestion] = [
        QuizQuestion("By how many dB does your plain stack beat the blurred target on the detail band (PSNR high)?", dB(
            "lesson 2's table, plain's PSNR high minus (blurred target)'s. Above zero: it paints detail a blur cannot.") {
                guard let m = $0.model(2, "plain"), let b = $0.metrics[2]?.baselines else { return nil }
                return m.psnrHigh - b.blurredTarget.psnrHigh
            }),
        QuizQuestion("By how many dB is your plain stack below the blurred target on the big picture (PSNR low)?", dB(
            "(blurred target)'s PSNR low minus plain's. The blur keeps every region's color; the plain stack does not.") {
                guard let m = $0.model(2, "plain"), let b = $0.metrics[2]?.baselines else { return nil }
                return b.blurredTarget.psnrLow - m.psnrLow
            }),
        QuizQuestion("Seven 3x3 convolutions, stride 1: how wide a window of the input does one output pixel see?", .choice(options: [
            ("7 pixels", "That counts one pixel per conv; each 3x3 conv adds one pixel on *each* side."),
            ("15 pixels", "1 + 2 x 7: each conv widens the window by one pixel on each side (exercise 2.6)."),
            ("21 pixels", "That is 3 x 7, as if the windows sat side by side; they overlap, each adding 2."),
            ("the whole 64 px scene", "Only a model that pools (or is very deep) sees that far; this one never pools."),
        ], right: 1)),
        QuizQuestion("Why does the plain stack paint parts of the lake in the sky's color?", .choice(options: [
            ("It has too few weights to learn lake colors.", "47,427 weights learn every blade's color; size is not what it lacks."),
            ("Lake and sky share their gray levels, and its window cannot reach the horizon that tells them apart.",
             "From the middle of the lake, 7 pixels in every direction are usually all lake: the gray alone cannot say which."),
            ("It stopped training too early.", "More steps do not widen its window; the lake stays a guess."),
            ("ReLU removes the blue channel.", "ReLU clips negative values inside the stack, not a color of the output."),
        ], right: 1)),
        QuizQuestion("Which baseline tells you a model recovered no detail at all?", .choice(options: [
            ("The flat color", "A flat color has no detail and no big picture: every model beats it."),
            ("The blurred target", "It has the big picture but none of the detail: a PSNR high near its own means no detail was painted."),
            ("The training loss", "The loss mixes detail and big picture into one number."),
        ], right: 1)),
    ]

    static let lesson3: [QuizQuestion] = [
        QuizQuestion("By how many dB (PSNR) does your residual stack beat your plain deep stack?", dB(
            "lesson 3's table: deep-residual's PSNR minus deep-plain's. Same layers, same weights drawn; only the skips differ.") {
                guard let r = $0.model(3, "deep-residual"), let p = $0.model(3, "deep-plain") else { return nil }
                return r.psnr - p.psnr
            }),
        QuizQuestion("And on the detail band (PSNR high)?", dB(
            "deep-residual's PSNR high minus deep-plain's: the plain deep stack trains so slowly that it paints little detail.") {
                guard let r = $0.model(3, "deep-residual"), let p = $0.model(3, "deep-plain") else { return nil }
                return r.psnrHigh - p.psnrHigh
            }),
        QuizQuestion("In a residual block y = x + F(x), what gradient reaches x?", .choice(options: [
            ("dL/dy through F only", "That is a plain block: the gradient must pass F's every layer."),
            ("dL/dy, plus dL/dy through F", "Two paths from x to y, so the chain rule adds two gradients; the first crosses no layer at all (exercise 3.2)."),
            ("dL/dy only", "Only if F contributed nothing; F still gets and passes its own share."),
        ], right: 1)),
        QuizQuestion("The residual stack's gradient-norm curve zig-zags from layer to layer. Why?", .choice(options: [
            ("Its training is unstable.", "The pattern follows the blocks, two layers at a time, from the first step on: it is built in."),
            ("Each block's second conv starts at a tenth of the usual scale, so the two convs of a block see different gradients.",
             "Lesson 3 measures it: within a block the first conv's gradient is about 0.1x the second's at step 1."),
            ("ReLUs die in every other layer.", "Dead units would show as flat, not alternating, gradients."),
        ], right: 1)),
        QuizQuestion("Both deep stacks have the same weights. What does the residual one add?", .choice(options: [
            ("More parameters", "The counts are equal: a skip has no weights."),
            ("A path around every block for the signal and its gradient", "y = x + F(x): each block only has to learn a correction."),
            ("A wider receptive field", "The convs are the same, so the window is the same."),
        ], right: 1)),
    ]

    static let lesson4: [QuizQuestion] = [
        QuizQuestion("By how many dB does your autoencoder beat your plain stack on the big picture (PSNR low)?", dB(
            "lesson 4's PSNR low minus lesson 2's. The bottleneck sees the whole scene, so lake and sky get their own colors.") {
                guard let a = $0.model(4, "autoencoder"), let p = $0.model(2, "plain") else { return nil }
                return a.psnrLow - p.psnrLow
            }),
        QuizQuestion("By how many dB is your autoencoder above the blurred target on the detail band (PSNR high)?", dB(
            "autoencoder's PSNR high minus (blurred target)'s. Near zero: it paints almost no detail a blur lacks.") {
                guard let a = $0.model(4, "autoencoder"), let b = $0.metrics[4]?.baselines else { return nil }
                return a.psnrHigh - b.blurredTarget.psnrHigh
            }),
        QuizQuestion("By how many dB does your autoencoder trail your plain stack on the detail band (PSNR high)?", dB(
            "lesson 2's PSNR high minus lesson 4's: the plain stack never pools, so it keeps every position.") {
                guard let a = $0.model(4, "autoencoder"), let p = $0.model(2, "plain") else { return nil }
                return p.psnrHigh - a.psnrHigh
            }),
        QuizQuestion("Each cell of the 8x8 bottleneck stands for a block of how many pixels of the 64x64 scene?", .choice(options: [
            ("4", "That is one 2x2 pooling; three poolings make blocks of 8x8."),
            ("64", "64 / 8 = 8 on each side: one cell per 8x8 block, which the decoder must redraw."),
            ("4,096", "That is the whole scene; the bottleneck has 64 cells."),
        ], right: 1)),
        QuizQuestion("Why does the autoencoder lose the grass blades?", .choice(options: [
            ("It has fewer weights than the plain stack.", "It has about nine times more (433,395 against 47,427)."),
            ("Its decoder must redraw full-resolution detail from an 8x8 summary: where each blade was is gone.",
             "Every pooling keeps one value of four and forgets where it was; nothing carries the positions back up."),
            ("Its learning rate is lower.", "Every colorizer trains at the same rate."),
        ], right: 1)),
    ]

    static let lesson5: [QuizQuestion] = [
        QuizQuestion("By how many dB did your U-Net beat your autoencoder on the detail band (PSNR high)?", dB(
            "lesson 5's PSNR high minus lesson 4's: the same encoder and decoder, plus the skips.") {
                guard let u = $0.model(5, "unet"), let a = $0.model(4, "autoencoder") else { return nil }
                return u.psnrHigh - a.psnrHigh
            }),
        QuizQuestion("By how many dB did your U-Net beat your plain stack on the big picture (PSNR low)?", dB(
            "lesson 5's PSNR low minus lesson 2's.") {
                guard let u = $0.model(5, "unet"), let p = $0.model(2, "plain") else { return nil }
                return u.psnrLow - p.psnrLow
            }),
        QuizQuestion("Which path carries the grass blades to the U-Net's output?", .choice(options: [
            ("The bottleneck", "At 8x8 it cannot say where a 1-pixel blade is: switch the skips off and the blades go."),
            ("The skips", "They hand the encoder's full-resolution features to the decoder: switch the bottleneck off and the blades stay."),
            ("The 1x1 head", "The head only mixes the last features into colors."),
        ], right: 1)),
        QuizQuestion("With its bottleneck zeroed at test time, lesson 5's U-Net paints the sky teal. What does that show?", .choice(options: [
            ("Skips cannot carry the big picture.", "Lesson 6 trains a U-Net with no bottleneck at all, and it gets the sky right."),
            ("This trained U-Net takes its sky-or-lake decision from the bottleneck.",
             "Switching a path off shows what this model relies on, not what the path could carry."),
            ("The bottleneck carries the detail.", "The blades survive without it."),
        ], right: 1)),
        QuizQuestion("Through its deepest skip level, how wide a window of the 64 px scene does one U-Net output pixel see?", .choice(options: [
            ("\(CourseModel.receptiveFields.plain) px", "That is the plain stack's window."),
            ("\(CourseModel.receptiveFields.deepestSkip) px",
             "Two poolings and the convs on the way down and back up (UNet.receptiveField): most of the scene without the bottleneck."),
            ("\(CourseModel.receptiveFields.bottleneck) px", "That is through the bottleneck, one more pooling down."),
        ], right: 1)),
    ]

    static let lesson6: [QuizQuestion] = [
        QuizQuestion("How many dB of detail (PSNR high, mean over seeds) does your U-Net lose without its full-resolution skip?", dB(
            "lesson 6's table: unet's PSNR high minus no-skip0's. The finest skip carries the finest detail.") {
                guard let u = $0.variantMean("unet", { $0.psnrHigh }), let n = $0.variantMean("no-skip0", { $0.psnrHigh }) else { return nil }
                return u - n
            }),
        QuizQuestion("Your U-Net trained with its bottleneck always zero, minus your U-Net, on the big picture (PSNR low, mean over seeds)?", dB(
            "zero-bottleneck's PSNR low minus unet's. Compare it with the spread (±) beside them: within it, the two tie.") {
                guard let z = $0.variantMean("zero-bottleneck", { $0.psnrLow }), let u = $0.variantMean("unet", { $0.psnrLow }) else { return nil }
                return z - u
            }),
        QuizQuestion("Adding the skips (add) instead of concatenating them: how many dB of PSNR does your U-Net give up (mean over seeds)?", dB(
            "unet's PSNR minus add's. Set it against the spreads (±) beside them before you call it a difference.") {
                guard let u = $0.variantMean("unet", { $0.psnr }), let a = $0.variantMean("add", { $0.psnr }) else { return nil }
                return u - a
            }),
        QuizQuestion("Why does lesson 6 train every variant on several seeds?", .choice(options: [
            ("To train each variant longer.", "Each seed is a separate, equally long run."),
            ("So that a difference smaller than the spread between seeds is not called a difference.",
             "The same model on another seed moves by a few tenths of a dB: that is the luck of the draw, not the design."),
            ("Because one seed cannot train a U-Net.", "Every seed trains one."),
        ], right: 1)),
        QuizQuestion("In lesson 6's 32 px runs a U-Net trained with its bottleneck always zero ties with the full one on the big picture. How can it?", .choice(options: [
            ("Its deepest skip level already sees the whole 32 px scene.",
             "Through it and the decoder one pixel sees a window \(CourseModel.receptiveFields.deepestSkip) px wide. With a 16 px bottleneck at 64 px (`lesson6 --depth-sweep`) the deepest skip sees far less, and the zeroed bottleneck costs the big picture several dB."),
            ("The big picture is learned by the head.", "A 1x1 head sees one pixel."),
            ("The bottleneck still leaks through.", "It is zero on every step, forward and backward."),
        ], right: 0)),
    ]

    static let lesson7: [QuizQuestion] = [
        QuizQuestion("Your U-Net's boundary F1 minus your autoencoder's?", .fromYourRun(answer: {
                guard let u = $0.segmenter("unet"), let a = $0.segmenter("autoencoder") else { return nil }
                return u.boundaryF1 - a.boundaryF1
            }, tolerance: 0.005, how: "lesson 7's table, boundary F1 of the U-Net minus the autoencoder's: are the edges on the right pixels?")),
        QuizQuestion("What percentage of the lake did your plain stack label sky?", .fromYourRun(answer: {
                $0.segmenter("plain").map { 100 * $0.lakeAsSky }
            }, tolerance: 0.5, how: "lesson 7's 'lake labelled sky' for the plain stack: its 15 px window cannot see the horizon.")),
        QuizQuestion("Your autoencoder's pixel accuracy minus your plain stack's, in percentage points?", .fromYourRun(answer: {
                guard let a = $0.segmenter("autoencoder"), let p = $0.segmenter("plain") else { return nil }
                return 100 * (a.pixelAccuracy - p.pixelAccuracy)
            }, tolerance: 0.5, how: "lesson 7's pixel accuracy, autoencoder minus plain stack; then look at their flower and horse IoU.")),
        QuizQuestion("The autoencoder can beat the plain stack on pixel accuracy without ever painting a flower. How?", .choice(options: [
            ("Pixel accuracy counts pixels, and sky, lake and grass are almost all of them.",
             "Getting the big regions right outweighs missing every small one: flowers and the horse are a few percent of the pixels."),
            ("Pixel accuracy is computed on a blurred mask.", "It compares every pixel's label as it is."),
            ("The autoencoder is better at everything.", "Its flower IoU says otherwise."),
        ], right: 0)),
        QuizQuestion("Why does lesson 7 report IoU per region and a boundary F1, not only pixel accuracy?", .choice(options: [
            ("They are faster to compute.", "They all come from the same confusion matrix and masks."),
            ("They score each region, small or large, and the edges on their own, where pixel accuracy hides the small ones.",
             "A model that never paints a horse loses a whole region's IoU, but under 2% of its accuracy."),
            ("Pixel accuracy cannot be computed for segmentation.", "It can, and lesson 7 reports it too."),
        ], right: 1)),
    ]
}
