import XCTest
@testable import PixelIO

/// Broken input gives a thrown, readable error, fast, without a crash or a giant allocation.
final class PNGFailureTests: XCTestCase {
    /// Runs `decode`, expects a PixelIOError whose message contains every string in `mentions`,
    /// and that it took less than a second.
    private func assertClearError(_ what: String, mentions: [String], _ decode: () throws -> Image) {
        let clock = ContinuousClock()
        let start = clock.now
        XCTAssertThrowsError(try decode(), what) { error in
            XCTAssertTrue(error is PixelIOError, "\(what): \(type(of: error))")
            for text in mentions {
                XCTAssertTrue("\(error)".contains(text), "\(what): message \"\(error)\" should mention \"\(text)\"")
            }
        }
        XCTAssertLessThan(clock.now - start, .seconds(1), what)
    }

    func testEveryCrasherGivesAClearErrorFast() {
        let files = Corpus.crashers
        XCTAssertEqual(files.count, 23)
        for path in files {
            let file = String(path.split(separator: "/").last!)
            assertClearError(file, mentions: [file, "write or copy it again"]) { try Image.decodePNG(at: path) }
        }
    }

    func testEmptyFile() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/empty.png"
        try writeFileAtomically([], to: path)
        assertClearError("empty file", mentions: ["empty.png", "is empty"]) { try Image.decodePNG(at: path) }
    }

    func testFileCutInHalf() throws {
        let whole = try readFileBytes(Corpus.root + "/pngsuite/basn6a08.png", maxBytes: 1 << 30)
        let half = Array(whole.prefix(whole.count / 2))
        assertClearError("half file", mentions: ["half.png", "truncated"]) { try Image.decodePNG(data: half, name: "half.png") }
    }

    func testEveryPrefixOfAFileIsRejected() throws {
        // Cutting a file anywhere must never crash or hang; every proper prefix is an error.
        for name in ["basn3p08.png", "ibasn6a16.png"] {
            let whole = try readFileBytes(Corpus.root + "/pngsuite/" + name, maxBytes: 1 << 30)
            XCTAssertNoThrow(try Image.decodePNG(data: whole))
            for length in 0..<whole.count {
                XCTAssertThrowsError(try Image.decodePNG(data: Array(whole.prefix(length))), "\(name) cut at \(length)")
            }
        }
    }

    func testRandomlyDamagedFilesDecodeOrThrowButNeverCrash() throws {
        // Damage a few bytes anywhere (seeded, so a failure reproduces): libpng's CRC and zlib
        // checks catch most of it; whatever gets through must still be a well-formed image.
        var state: UInt64 = 2024
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var outcomes = (decoded: 0, rejected: 0)
        for name in ["basn6a08.png", "interlaced/ibasn0g04.png", "basn3p02.png"] {
            let whole = try readFileBytes(Corpus.root + "/pngsuite/" + name, maxBytes: 1 << 30)
            for _ in 0..<150 {
                var damaged = whole
                for _ in 0...next(3) { damaged[8 + next(whole.count - 8)] = UInt8(next(256)) }
                do {
                    let image = try Image.decodePNG(data: damaged)
                    XCTAssertEqual(image.pixels.count, image.width * image.height * image.channels)
                    outcomes.decoded += 1
                } catch is PixelIOError {
                    outcomes.rejected += 1
                }
            }
        }
        XCTAssertGreaterThan(outcomes.rejected, 300, "most damage is detected")
    }

    func testHeaderClaimingAHugeImage() throws {
        // Valid signature and IHDR (correct CRC) for 100000x100000 RGB: 30 GB of bytes, 120 GB of
        // Float. The decoder must refuse from the header alone.
        let ihdr = bigEndian(100_000) + bigEndian(100_000) + [8, 2, 0, 0, 0]
        let idat: [UInt8] = [0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01]
        let png = pngSignature + chunk("IHDR", ihdr) + chunk("IDAT", idat) + chunk("IEND", [])
        XCTAssertEqual(PNGHeader(png).width, 100_000)
        let before = try XCTUnwrap(peakResidentBytes())
        assertClearError("huge header", mentions: ["huge.png", "100000x100000", "16384x16384"]) {
            try Image.decodePNG(data: png, name: "huge.png")
        }
        let after = try XCTUnwrap(peakResidentBytes())
        XCTAssertGreaterThan(before, 1 << 20, "a test process holds more than 1 MB: the units are right")
        XCTAssertLessThan(after - before, 64 << 20, "peak memory grew by \(after - before) bytes")
    }

    func testNotAPNG() {
        let text = Array("hello, I am a text file\n".utf8)
        assertClearError("text", mentions: ["notes.txt", "not a PNG file"]) { try Image.decodePNG(data: text, name: "notes.txt") }
    }

    func testMissingFile() {
        assertClearError("missing", mentions: ["/no/such/folder/x.png", "cannot read"]) {
            try Image.decodePNG(at: "/no/such/folder/x.png")
        }
    }

    func testImpossibleImagesAreErrorsNotCrashes() {
        XCTAssertThrowsError(try Image(width: 100_000, height: 100_000, channels: 3, fill: .black))
        XCTAssertThrowsError(try Image(width: 2, height: 2, channels: 5, fill: .black))
        XCTAssertThrowsError(try Image(width: 0, height: 2, channels: 1, fill: .black))
        XCTAssertThrowsError(try Image(width: 2, height: 2, channels: 1, pixels: [0, 0, 0]))
    }

    /// The process's peak resident memory: `getrusage`'s maximum resident set size, which Linux
    /// gives in kilobytes and macOS in bytes (both have it; /proc is Linux only).
    private func peakResidentBytes() -> Int? {
        var usage = rusage()
        #if canImport(Glibc)
        let who = RUSAGE_SELF.rawValue  // an enum in Glibc's header, an Int32 on Darwin
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return nil }
        #if os(macOS)
        return Int(usage.ru_maxrss)
        #else
        return Int(usage.ru_maxrss) * 1024
        #endif
    }

    func testAPixelBeyondThePaletteIsRefused() throws {
        // Largest index and palette size of each, read independently with Pillow (Image.open(f).getdata()).
        let pillow: [String: (largest: Int, entries: Int)] = [
            "regression-palette-8.png": (255, 254), "small-palette-1.png": (1, 1), "small-palette-2.png": (3, 3),
            "small-palette-4.png": (15, 15), "small-palette-8.png": (255, 255), "test-palette-1.png": (1, 1),
            "test-palette-2.png": (3, 3), "test-palette-4.png": (15, 15), "test-palette-8.png": (254, 254),
        ]
        XCTAssertEqual(Corpus.outOfRangePalette.map { ($0 as NSString).lastPathComponent }.sorted(), pillow.keys.sorted())
        for path in Corpus.outOfRangePalette {
            let expected = pillow[(path as NSString).lastPathComponent]!
            XCTAssertThrowsError(try Image.decodePNG(at: path)) { error in
                XCTAssertTrue("\(error)".contains("palette entry \(expected.largest), but its palette has \(expected.entries) entr"), "\(error)")
            }
        }
        // Hand-made, 2-bit indexes, filter "up" on the second row: index 3 with a 3-entry palette.
        for (last, accepted) in [(UInt8(2), true), (3, false)] {
            let rows: [UInt8] = [0, 0b0001_1000, 2, last << 6]  // row 0: 0 1 2 0; row 1 (up): +last, +1, +2, +0
            var png = handMadePNG(width: 4, height: 2, bitDepth: 2, colorType: 3, scanlines: rows)
            let plte = chunk("PLTE", [255, 0, 0, 0, 255, 0, 0, 0, 255])
            png.insert(contentsOf: plte, at: 8 + 25)  // after the signature and IHDR
            if accepted {
                XCTAssertNoThrow(try Image.decodePNG(data: png), "the largest index, 2, is in a 3-entry palette")
            } else {
                XCTAssertThrowsError(try Image.decodePNG(data: png)) { XCTAssertTrue("\($0)".contains("palette entry 3"), "\($0)") }
            }
        }
    }

    func testPixelDataBeyondTheHeadersSizeIsRefusedBeforeItIsInflated() throws {
        // A 4x4 gray image needs 4 * (1 + 4) = 20 bytes; this stream holds 20 + 200 KB of zeros.
        let bomb = handMadePNG(width: 4, height: 4, bitDepth: 8, colorType: 0, scanlines: [UInt8](repeating: 0, count: 20 + 200_000))
        XCTAssertThrowsError(try Image.decodePNG(data: bomb)) { error in
            XCTAssertTrue("\(error)".contains("inflates to more than"), "\(error)")
        }
        let exact = handMadePNG(width: 4, height: 4, bitDepth: 8, colorType: 0, scanlines: [UInt8](repeating: 0, count: 20))
        XCTAssertNoThrow(try Image.decodePNG(data: exact))
    }
}
