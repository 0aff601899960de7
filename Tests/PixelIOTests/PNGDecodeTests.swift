import XCTest
@testable import PixelIO

/// Every readable file of PngSuite and libpng's testpngs decodes with the size and channel count
/// its own header announces, and 8-bit data survives encode/decode bit for bit.
final class PNGDecodeTests: XCTestCase {
    func testEveryCorpusFileDecodesWithTheHeadersSizeAndChannels() throws {
        let files = Corpus.readable
        XCTAssertGreaterThan(files.count, 160, "the corpus was not found next to the tests")
        var channelCountsSeen = Set<Int>()
        for path in files {
            let header = PNGHeader(try readFileBytes(path, maxBytes: 1 << 30))
            let image = try Image.decodePNG(at: path)
            let name = path.split(separator: "/").suffix(2).joined(separator: "/")
            XCTAssertEqual(image.width, header.width, name)
            XCTAssertEqual(image.height, header.height, name)
            XCTAssertEqual(image.channels, header.expectedChannels, name)
            XCTAssertEqual(image.pixels.count, header.width * header.height * header.expectedChannels, name)
            XCTAssertTrue(image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(name): a value outside [0, 1]")
            channelCountsSeen.insert(image.channels)
        }
        XCTAssertEqual(channelCountsSeen, [1, 2, 3, 4], "the corpus should exercise every channel count")
    }

    func testPngSuiteNamesAgreeWithTheDecodedChannels() throws {
        // PngSuite names encode the colour type: ...n0g.. gray, n2c.. RGB, n3p.. palette,
        // n4a.. gray+alpha, n6a.. RGBA. The "ft*" files carry transparency (tRNS) except ftp0*.
        for path in Corpus.pngs(under: "pngsuite") {
            let file = String(path.split(separator: "/").last!)
            let characters = Array(file)
            // The colour type digit follows the "n" (non-interlaced marker) of e.g. "ftbbn0g01".
            guard let n = (0..<(characters.count - 2)).first(where: {
                characters[$0] == "n" && characters[$0 + 1].isNumber && characters[$0 + 2].isLetter
            }) else { XCTFail("unexpected PngSuite name \(file)"); continue }
            let transparent = file.contains("ft") && !file.contains("ftp0")
            let expected: Int
            switch characters[n + 1] {
            case "0": expected = transparent ? 2 : 1
            case "2", "3": expected = transparent ? 4 : 3
            case "4": expected = 2
            default: expected = 4
            }
            XCTAssertEqual(try Image.decodePNG(at: path).channels, expected, file)
        }
    }

    func testEightBitCorpusFilesRoundTripExactly() throws {
        var tested = 0
        for path in Corpus.readable {
            let header = PNGHeader(try readFileBytes(path, maxBytes: 1 << 30))
            guard header.bitDepth <= 8 else { continue }
            let decoded = try Image.decodePNG(at: path)
            let again = try Image.decodePNG(data: try decoded.encodePNG())
            XCTAssertEqual(again, decoded, path)
            tested += 1
        }
        XCTAssertGreaterThan(tested, 100)
    }

    func testEncodeDecodeIsExactForEveryChannelCount() throws {
        var state: UInt32 = 12345
        for channels in 1...4 {
            let (width, height) = (7, 5)  // odd sizes: no accidental row alignment
            let levels = (0..<(width * height * channels)).map { _ -> Float in
                state = state &* 1_664_525 &+ 1_013_904_223
                return Float(state >> 24) / 255
            }
            let image = try Image(width: width, height: height, channels: channels, pixels: levels)
            let bytes = try image.encodePNG()
            XCTAssertEqual(PNGHeader(bytes).expectedChannels, channels, "the file's own colour type")
            XCTAssertEqual(try Image.decodePNG(data: bytes), image, "\(channels) channel(s)")
        }
    }

    func testEncodeClampsAndRoundsToNearest() throws {
        let pixels: [Float] = [-0.3, 1.7, 0.5, 0.2 / 255, 0.7 / 255]  // Swift 6.0 types `0.2 / 255` as Double in an argument
        let image = try Image(width: 5, height: 1, channels: 1, pixels: pixels)
        let decoded = try Image.decodePNG(data: try image.encodePNG())
        XCTAssertEqual(decoded.pixels, [0, 1, Float(128) / 255, 0, Float(1) / 255])
    }

    func testEncodingNaNIsAClearError() throws {
        var image = try Image(width: 3, height: 2, channels: 3, fill: .white)
        image[2, 1, 1] = .nan
        XCTAssertThrowsError(try image.encodePNG()) { error in
            XCTAssertTrue("\(error)".contains("NaN (first at x 2, y 1, channel 1)"), "\(error)")
        }
    }

    func testSixteenBitSamplesKeepTheirPrecision() throws {
        // A hand-made 16-bit gray file without gamma information: libpng takes it as linear data
        // and PixelIO must return sample / 65535 exactly.
        let samples: [UInt16] = [0, 1, 257, 1000, 32768, 65534, 65535, 12345]
        var scanline: [UInt8] = [0]
        for s in samples { scanline += [UInt8(s >> 8), UInt8(s & 0xFF)] }
        let png = handMadePNG(width: samples.count, height: 1, bitDepth: 16, colorType: 0, scanlines: scanline)
        let image = try Image.decodePNG(data: png)
        XCTAssertEqual(image.channels, 1)
        XCTAssertEqual(image.pixels, samples.map { Float($0) / 65535 })
    }

    func testSixteenBitAlphaIsStraightNotPremultiplied() throws {
        // Gray 40000 at alpha 30000 must come back as 40000/65535 (libpng hands it out premultiplied).
        let pairs: [(UInt16, UInt16)] = [(40000, 30000), (65535, 65535), (20000, 65535), (5000, 0)]
        var scanline: [UInt8] = [0]
        for (g, a) in pairs { scanline += [UInt8(g >> 8), UInt8(g & 0xFF), UInt8(a >> 8), UInt8(a & 0xFF)] }
        let png = handMadePNG(width: pairs.count, height: 1, bitDepth: 16, colorType: 4, scanlines: scanline)
        let image = try Image.decodePNG(data: png)
        XCTAssertEqual(image.channels, 2)
        for (i, (g, a)) in pairs.enumerated() {
            XCTAssertEqual(image[i, 0, 1], Float(a) / 65535)
            let expectedGray: Float = a == 0 ? 0 : Float(g) / 65535  // no colour survives alpha 0
            XCTAssertEqual(image[i, 0, 0], expectedGray, accuracy: 2 / 65535 * 65535 / Float(max(a, 1)), "pixel \(i)")
        }
    }

    func testHandMadeEightBitFileDecodesToItsSamples() throws {
        // The same hand-made route at 8 bits, RGB: checks the decoder's values, not just its shape.
        let rgb: [UInt8] = [0, 0, 0, 255, 128, 7, 1, 2, 3]
        let png = handMadePNG(width: 3, height: 1, bitDepth: 8, colorType: 2, scanlines: [0] + rgb)
        XCTAssertEqual(try Image.decodePNG(data: png).pixels, rgb.map { Float($0) / 255 })
    }
}
