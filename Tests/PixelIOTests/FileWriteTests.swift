import Foundation
import XCTest
@testable import PixelIO

/// Files are written whole or not at all, and missing folders are named.
final class FileWriteTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws { folder = try makeTemporaryFolder() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    private func folderContents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    func testWritePNGReplacesTheFileAndLeavesNoTemporaryFile() throws {
        let path = folder + "/picture.png"
        try Image(width: 4, height: 3, channels: 3, fill: .white).writePNG(to: path)
        let black = try Image(width: 2, height: 2, channels: 1, fill: .black)
        try black.writePNG(to: path)
        XCTAssertEqual(try Image.decodePNG(at: path), black)
        XCTAssertEqual(try folderContents(), ["picture.png"])
    }

    func testMissingFolderIsNamedAndNothingIsWritten() throws {
        let path = folder + "/not-there/picture.png"
        XCTAssertThrowsError(try Image(width: 1, height: 1, channels: 1, fill: .black).writePNG(to: path)) { error in
            XCTAssertTrue("\(error)".contains("the folder '\(self.folder)/not-there' does not exist"), "\(error)")
        }
        XCTAssertEqual(try folderContents(), [])
    }

    func testFailedEncodeLeavesTheOldFileIntact() throws {
        let path = folder + "/picture.png"
        let old = try Image(width: 2, height: 2, channels: 3, fill: .white)
        try old.writePNG(to: path)
        var broken = old
        broken[0, 0, 0] = .nan
        XCTAssertThrowsError(try broken.writePNG(to: path))
        XCTAssertEqual(try Image.decodePNG(at: path), old)
        XCTAssertEqual(try folderContents(), ["picture.png"])
    }

    func testFailedRenameRemovesTheTemporaryFile() throws {
        // The target is an existing folder: the temporary file is written, the rename fails, and
        // the temporary file must be cleaned up while the folder stays as it was.
        let target = folder + "/taken"
        try ensureDirectory(target + "/inside")
        XCTAssertThrowsError(try writeFileAtomically([1, 2, 3], to: target)) { error in
            XCTAssertTrue("\(error)".contains("cannot write '\(target)'"), "\(error)")
        }
        XCTAssertEqual(try folderContents(), ["taken"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target), ["inside"])
    }

    func testWrittenBytesAndPermissionsAreThoseOfAPlainFile() throws {
        let path = folder + "/metrics.json"
        let bytes = Array("{\"psnr\": 24.5}\n".utf8)
        try writeFileAtomically(bytes, to: path)
        XCTAssertEqual(try readFileBytes(path, maxBytes: 1 << 30), bytes)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertNotEqual((mode ?? 0) & 0o044, 0, "others can read it like any file written normally")
    }

    func testEnsureDirectoryCreatesParentsAndRefusesAFileInTheWay() throws {
        try ensureDirectory(folder + "/a/b/c")
        try ensureDirectory(folder + "/a/b/c")  // existing folder: fine
        var isFolder: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/a/b/c", isDirectory: &isFolder) && isFolder.boolValue)
        try writeFileAtomically([0], to: folder + "/file")
        XCTAssertThrowsError(try ensureDirectory(folder + "/file/sub")) { error in
            XCTAssertTrue("\(error)".contains("file"), "\(error)")
        }
    }

    func testReadingAFileLargerThanAllowedIsRefusedBeforeReading() throws {
        let path = folder + "/big.bin"
        try writeFileAtomically([UInt8](repeating: 7, count: 1000), to: path)
        XCTAssertEqual(try readFileBytes(path, maxBytes: 1000).count, 1000)
        XCTAssertThrowsError(try readFileBytes(path, maxBytes: 999)) { error in
            XCTAssertTrue("\(error)".contains("is 1000 bytes, more than the 999"), "\(error)")
        }
    }

    func testReadingAFolderIsAClearError() {
        XCTAssertThrowsError(try readFileBytes(folder, maxBytes: 1 << 30)) { error in
            XCTAssertTrue("\(error)".contains("not a regular file"), "\(error)")
        }
    }

    func testReadingAFIFOIsAClearErrorNotAHang() throws {
        let path = folder + "/pipe.png"
        XCTAssertEqual(mkfifo(path, 0o644), 0)
        XCTAssertThrowsError(try readFileBytes(path, maxBytes: 100)) { error in
            XCTAssertTrue("\(error)".contains("not a regular file"), "\(error)")
        }
        XCTAssertThrowsError(try Image.decodePNG(at: path)) { error in
            XCTAssertTrue("\(error)".contains("not a regular file"), "\(error)")
        }
    }

    /// A 300 MB (sparse) file that starts like a 32x32 PNG is refused from its header, before
    /// the rest is read; every real PNG of the corpora fits its header's bound.
    func testAFileFarLargerThanItsPNGHeaderIsRefusedUnread() throws {
        let small = try readFileBytes(Corpus.root + "/pngsuite/basn2c08.png", maxBytes: 1 << 20)
        let path = folder + "/sparse.png"
        try writeFileAtomically(small, to: path)
        XCTAssertEqual(truncate(path, 300 << 20), 0)
        XCTAssertThrowsError(try Image.decodePNG(at: path)) { error in
            XCTAssertTrue("\(error)".contains("but its header describes a picture that fits in"), "\(error)")
        }
        try writeFileAtomically(Array("not a picture at all, but long enough to be judged by its first bytes".utf8), to: path)
        XCTAssertEqual(truncate(path, 300 << 20), 0)
        XCTAssertThrowsError(try Image.decodePNG(at: path)) { error in
            XCTAssertTrue("\(error)".contains("does not start with the 8-byte PNG signature"), "\(error)")
        }
        for file in Corpus.readable {
            let bytes = try readFileBytes(file, maxBytes: 1 << 30)
            XCTAssertLessThanOrEqual(bytes.count, try Image.largestPlausibleSize(header: Array(bytes.prefix(64)), name: file), file)
        }
    }
}
