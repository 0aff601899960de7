// A walk over a PNG's chunk layout before libpng sees the data. libpng copes with broken files, but
// a chunk header claiming a gigabyte makes it allocate and wait before it notices the file is
// 57 bytes long, and it silently skips chunks the PNG specification forbids (e.g. an empty gAMA).
// Both are damaged files; saying so up front is faster and clearer.

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
            if type == "IEND" { return }
            offset += 12 + length
            index += 1
        }
    }
}
