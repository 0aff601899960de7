import Foundation
import XCTest
@testable import PixelIO

/// Where the test PNG corpora live (copied next to this file; found via #filePath, not Bundle.module,
/// because the folders are excluded from the target rather than declared as resources).
enum Corpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path

    /// Every .png under `folder` (recursively), sorted, as absolute paths.
    static func pngs(under folder: String) -> [String] {
        let base = root + "/" + folder
        let found = FileManager.default.enumerator(atPath: base)?.compactMap { $0 as? String } ?? []
        return found.filter { $0.hasSuffix(".png") }.sorted().map { base + "/" + $0 }
    }

    /// Files that must decode: both corpora except testpngs/crashers and testpngs/badpal.
    static var readable: [String] {
        (pngs(under: "pngsuite") + pngs(under: "testpngs")).filter { !$0.contains("/crashers/") && !$0.contains("/badpal/") }
    }

    /// libpng's files whose pixels use palette entries beyond the palette: libpng decodes them
    /// (painting those pixels black), PixelIO refuses them.
    static var outOfRangePalette: [String] { pngs(under: "testpngs/badpal") }

    static var crashers: [String] { pngs(under: "testpngs/crashers") }
}

/// A fresh, empty temporary folder for one test, removed by the caller's `defer`.
func makeTemporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "pixelio-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The PNG facts this test suite reads from the bytes itself, independently of libpng and PixelIO.
struct PNGHeader {
    var width: Int, height: Int, bitDepth: Int, colorType: Int, hasTRNS: Bool

    /// Channels the decoder must produce: the color type's own, plus alpha when a tRNS chunk exists.
    var expectedChannels: Int {
        switch colorType {
        case 0: return hasTRNS ? 2 : 1        // gray
        case 2, 3: return hasTRNS ? 4 : 3     // RGB, palette
        case 4: return 2                      // gray + alpha
        default: return 4                     // 6: RGBA
        }
    }

    init(_ bytes: [UInt8]) {
        func u32(_ i: Int) -> Int { bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        // IHDR is always the first chunk: length at 8, type at 12, data at 16.
        width = u32(16); height = u32(20); bitDepth = Int(bytes[24]); colorType = Int(bytes[25])
        hasTRNS = false
        var offset = 8
        while offset + 8 <= bytes.count {
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            if type == "tRNS" { hasTRNS = true }
            if type == "IDAT" || type == "IEND" { break }
            offset += 12 + u32(offset)
        }
    }
}

/// CRC-32 (ISO 3309, as PNG uses it), written out here so the tests can build PNGs byte by byte.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}

/// One PNG chunk: length, type, data, CRC over type + data.
func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let typeAndData = Array(type.utf8) + data
    return bigEndian(UInt32(data.count)) + typeAndData + bigEndian(crc32(typeAndData))
}

let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

/// A complete PNG built by hand: IHDR with the given fields, the raw scanlines (filter byte 0 +
/// samples, big-endian) wrapped in a zlib stream of *stored* (uncompressed) deflate blocks, IEND.
/// No compressor needed, so the tests know every sample value exactly.
func handMadePNG(width: Int, height: Int, bitDepth: Int, colorType: Int, scanlines: [UInt8]) -> [UInt8] {
    let ihdr = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [UInt8(bitDepth), UInt8(colorType), 0, 0, 0]
    var zlib: [UInt8] = [0x78, 0x01]
    var rest = scanlines[...]
    repeat {
        let block = rest.prefix(65535)
        rest = rest.dropFirst(block.count)
        let n = UInt16(block.count)
        zlib += [rest.isEmpty ? 1 : 0, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)] + block
    } while !rest.isEmpty
    var a: UInt32 = 1, b: UInt32 = 0  // Adler-32 of the uncompressed data
    for byte in scanlines { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
    zlib += bigEndian(b << 16 | a)
    return pngSignature + chunk("IHDR", ihdr) + chunk("IDAT", zlib) + chunk("IEND", [])
}
