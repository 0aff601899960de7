// A walk over a PNG's chunk layout before libpng sees the data. libpng copes with broken files, but
// a chunk header claiming a gigabyte makes it allocate and wait before it notices the file is
// 57 bytes long, and it silently skips chunks the PNG specification forbids (e.g. an empty gAMA).
// Both are damaged files; saying so up front is faster and clearer. So is a "zip bomb": pixel data
// that inflates to far more than the header's size needs (libpng would inflate all of it), and a
// pixel naming a palette entry the palette does not have (libpng paints it black, silently).

import CLibPNG

/// Ancillary chunk types the PNG specification never allows to be empty (PNG 3rd ed., section 11.3).
private let chunksThatCarryData: Set<String> = [
    "bKGD", "cHRM", "eXIf", "gAMA", "hIST", "iCCP", "iTXt", "pCAL", "pHYs",
    "sCAL", "sPLT", "sRGB", "sTER", "tEXt", "tIME", "zTXt", "cICP", "mDCV", "cLLI",
]

extension Image {
    /// Checks that every chunk after the signature fits in `data`, has a letter-only type, is not
    /// an empty chunk that must carry data, and that the chunks end with IEND. Throws naming the
    /// first offending chunk. (CRCs, IHDR fields and pixel data are left to libpng.)
    static func checkChunkLayout(_ data: [UInt8], name: String) throws {
        var offset = 8
        var index = 0
        var header: Range<Int>?, pixelData: [Range<Int>] = [], paletteEntries = 0
        while true {
            let remaining = data.count - offset
            guard remaining >= 12 else {
                throw PixelIOError("\(name) is truncated: it ends \(index == 0 ? "right after the signature" : "after chunk \(index)") "
                    + "without the IEND chunk that closes every PNG; write or copy it again")
            }
            let length = data[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            let typeBytes = data[(offset + 4)..<(offset + 8)]
            let isLetter: (UInt8) -> Bool = { (65...90).contains($0) || (97...122).contains($0) }
            guard typeBytes.allSatisfy(isLetter) else {
                throw PixelIOError("\(name) is corrupt: chunk \(index + 1) at byte \(offset) has no valid type "
                    + "(bytes \(typeBytes.map(String.init).joined(separator: " "))); write or copy it again")
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            guard length <= Int(Int32.max), length <= remaining - 12 else {
                throw PixelIOError("\(name) is truncated or corrupt: its \(type) chunk claims \(length) bytes "
                    + "but only \(max(0, remaining - 12)) follow; write or copy it again")
            }
            if length == 0, chunksThatCarryData.contains(type) {
                throw PixelIOError("\(name) is corrupt: its \(type) chunk is empty, which the PNG format "
                    + "does not allow; write or copy it again")
            }
            if type == "IHDR", index == 0, length == 13 { header = (offset + 8)..<(offset + 21) }
            if type == "IDAT" { pixelData.append((offset + 8)..<(offset + 8 + length)) }
            if type == "PLTE" { paletteEntries = length / 3 }
            if type == "IEND" {
                if let header { try checkPixelData(data, header: header, pixelData: pixelData, paletteEntries: paletteEntries, name: name) }
                return
            }
            offset += 12 + length
            index += 1
        }
    }

    /// Inflates the IDAT data and throws as soon as it passes what the header's width, height and
    /// format need (plus 64 KB of slack): a bomb of a few MB that would inflate to gigabytes is
    /// refused after its first ones. Palette images are kept and their indexes checked against the
    /// palette. Damaged zlib data is left to libpng, which names it.
    private static func checkPixelData(_ data: [UInt8], header: Range<Int>, pixelData: [Range<Int>],
                                       paletteEntries: Int, name: String) throws {
        let h = Array(data[header])
        let width = h[0..<4].reduce(0) { $0 << 8 | Int($1) }, height = h[4..<8].reduce(0) { $0 << 8 | Int($1) }
        let depth = max(1, Int(h[8])), isPalette = h[9] == 3, interlaced = h[12] == 1
        let bits = ([0: 1, 2: 3, 3: 1, 4: 2, 6: 4][Int(h[9])] ?? 4) * depth
        guard width > 0, height > 0, width <= maxSide, height <= maxSide else { return }  // libpng / checkSize say why
        let passes = interlaced ? adam7Passes(width, height) : [(width, height)]
        let needed = passes.reduce(0) { $0 + $1.1 * (1 + ($1.0 * bits + 7) / 8) }
        let limit = needed + 65_536
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return }
        defer { inflateEnd(&stream) }
        var scratch = [UInt8](repeating: 0, count: 65_536)
        var produced = 0, kept: [UInt8] = [], complete = false
        try data.withUnsafeBufferPointer { bytes in
            try scratch.withUnsafeMutableBufferPointer { out in
                for range in pixelData where !complete {
                    stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress! + range.lowerBound)
                    stream.avail_in = uInt(range.count)
                    while stream.avail_in > 0 {
                        stream.next_out = out.baseAddress
                        stream.avail_out = uInt(out.count)
                        let status = inflate(&stream, Z_NO_FLUSH)
                        let n = out.count - Int(stream.avail_out)
                        produced += n
                        if produced > limit {
                            throw PixelIOError("\(name) is corrupt or hostile: its pixel data inflates to more than "
                                + "\(limit) bytes, but a \(width)x\(height) image of this format needs \(needed); write it again")
                        }
                        if isPalette { kept += out[0..<n] }
                        if status == Z_STREAM_END { complete = true; break }
                        if status != Z_OK { return }  // damaged data (or Z_BUF_ERROR): libpng reports it
                    }
                }
            }
        }
        if isPalette, complete, kept.count >= needed {
            let largest = largestPaletteIndex(kept, passes: passes, depth: depth)
            if largest >= paletteEntries {
                throw PixelIOError("\(name) is corrupt: a pixel uses palette entry \(largest), but its palette has "
                    + "\(paletteEntries) entr\(paletteEntries == 1 ? "y" : "ies") (0...\(paletteEntries - 1)); write it again")
            }
        }
    }

    /// Width and height of the 7 Adam7 sub-images (empty ones included, as 0).
    private static func adam7Passes(_ w: Int, _ h: Int) -> [(Int, Int)] {
        [(0, 8, 0, 8), (4, 8, 0, 8), (0, 4, 4, 8), (2, 4, 0, 4), (0, 2, 2, 4), (1, 2, 0, 2), (0, 1, 1, 2)].map { p in
            (max(0, (w - p.0 + p.1 - 1) / p.1), max(0, (h - p.2 + p.3 - 1) / p.3))
        }
    }

    /// Undoes the PNG row filters (none, sub, up, average, Paeth) of palette rows of `depth`-bit
    /// indexes and returns the largest index in them.
    private static func largestPaletteIndex(_ raw: [UInt8], passes: [(Int, Int)], depth: Int) -> Int {
        var largest = 0, at = 0
        for (w, h) in passes where w > 0 && h > 0 {
            let rowBytes = (w * depth + 7) / 8
            var previous = [UInt8](repeating: 0, count: rowBytes), row = previous
            for _ in 0..<h {
                let filter = raw[at]
                for i in 0..<rowBytes {
                    let x = raw[at + 1 + i], left = i > 0 ? row[i - 1] : 0, up = previous[i], upLeft = i > 0 ? previous[i - 1] : 0
                    switch filter {
                    case 1: row[i] = x &+ left
                    case 2: row[i] = x &+ up
                    case 3: row[i] = x &+ UInt8((Int(left) + Int(up)) / 2)
                    case 4:
                        let p = Int(left) + Int(up) - Int(upLeft)
                        let (pa, pb, pc) = (abs(p - Int(left)), abs(p - Int(up)), abs(p - Int(upLeft)))
                        row[i] = x &+ (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft)
                    default: row[i] = x
                    }
                }
                for x in 0..<w {
                    let bit = x * depth
                    let index = Int(row[bit / 8] >> (8 - depth - bit % 8)) & ((1 << depth) - 1)
                    largest = max(largest, index)
                }
                previous = row
                at += 1 + rowBytes
            }
        }
        return largest
    }
}
