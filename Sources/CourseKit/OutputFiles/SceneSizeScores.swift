/// One row of lesson 5's "The same trained U-Net on larger scenes": the trained U-Net's scores on
/// held-out scenes of one size. `metrics.json` keeps the rows (`scene_sizes`) so that the
/// prediction on larger scenes is answered from the learner's own run.
public struct SceneSizeScores: Codable, Equatable, Sendable {
    /// A region's color "holds" on larger scenes when its PSNR drops by less than this (dB):
    /// the line lesson 5's paragraph and its prediction both draw.
    public static let holdsWithin = 3.0

    public var width: Int
    public var height: Int
    /// One scene of the trained size repeated side by side, not one larger scene.
    public var panorama: Bool
    public var psnr: Double
    public var psnrLow: Double
    public var psnrHigh: Double
    /// PSNR over the sky's and the lake's pixels; nil when the scenes show none.
    public var skyPSNR: Double?
    public var lakePSNR: Double?

    enum CodingKeys: String, CodingKey {
        case width, height, panorama, psnr
        case psnrLow = "psnr_low", psnrHigh = "psnr_high", skyPSNR = "sky_psnr", lakePSNR = "lake_psnr"
    }

    public init(width: Int, height: Int, panorama: Bool, scores: QualityScores, skyPSNR: Double?, lakePSNR: Double?) {
        self.width = width; self.height = height; self.panorama = panorama
        psnr = scores.psnr; psnrLow = scores.psnrLow; psnrHigh = scores.psnrHigh
        self.skyPSNR = skyPSNR; self.lakePSNR = lakePSNR
    }

    /// Whether a PSNR measured at a larger size holds against the trained size's: it dropped by
    /// less than `holdsWithin`.
    public static func holds(trained: Double, larger: Double) -> Bool { trained - larger < holdsWithin }
}
