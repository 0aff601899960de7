import Foundation
import PixelIO

/// The lessons of the course, in order, for `course` (status, `all`, `compare`) and the lessons'
/// own titles.
public enum LessonCatalog {
    public struct Entry: Sendable {
        public let number: Int
        public let title: String
        /// The executable's name: `swift run -c release lessonN`.
        public var executable: String { "lesson\(number)" }
        /// What the lesson trains, for the status list.
        public let summary: String
    }

    public static let lessons: [Entry] = [
        Entry(number: 1, title: "Tensors and pixels",
              summary: "tensors, PNG in/out, the meadow scenes (no training)"),
        Entry(number: 2, title: "A plain conv stack",
              summary: "7 convs at full resolution: crisp detail, wrong color far from context"),
        Entry(number: 3, title: "Going deeper: residual skips",
              summary: "a deep plain stack vs the same with short skips; gradient norms per layer"),
        Entry(number: 4, title: "The autoencoder",
              summary: "down to a bottleneck and back up: right broad colors, blurry detail"),
        Entry(number: 5, title: "The U-Net",
              summary: "the autoencoder plus long skips: both"),
        Entry(number: 6, title: "Experiments",
              summary: "remove skips level by level, concat vs add, zero the bottleneck, 3 seeds"),
        Entry(number: 7, title: "Segmentation",
              summary: "the same three models label every pixel's region: edges, thin things, lake vs sky"),
    ]

    public static func entry(_ number: Int) -> Entry { lessons[number - 1] }
}

/// What a finished lesson run leaves behind in `Outputs/lessonN/lesson.json`: enough for
/// `course` to say it has been run and for the report to quote what the lesson concluded.
public struct LessonRecord: Codable, Sendable {
    public var lesson: Int
    public var title: String
    /// ISO 8601, when the run finished.
    public var finished: String
    /// Wall-clock seconds for the whole lesson.
    public var seconds: Double
    /// The flags the lesson ran with, e.g. "--seed 1 --steps 600 --size 64".
    public var settings: String
    /// Image side and `--data` folder (nil: meadow scenes): results compare only when these match.
    public var size: Int
    public var data: String?
    /// The closing paragraphs the lesson printed (with its measured numbers).
    public var conclusion: String
    /// Output files the report shows, in order (names inside the lesson's folder).
    public var pictures: [String]

    public init(lesson: Int, title: String, seconds: Double, settings: String, size: Int, data: String?,
                conclusion: String, pictures: [String]) {
        self.size = size
        self.data = data
        self.lesson = lesson
        self.title = title
        self.finished = ISO8601DateFormatter().string(from: Date())
        self.seconds = seconds
        self.settings = settings
        self.conclusion = conclusion
        self.pictures = pictures
    }

    public static let fileName = "lesson.json"

    /// Writes the record to `folder/lesson.json` (temporary file, then rename).
    public func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeFileAtomically([UInt8](try encoder.encode(self)), to: folder.appendingPathComponent(Self.fileName).path)
    }

    /// The record in `folder`, or nil when the lesson has not finished a run there. Throws, naming
    /// the file and the lesson to rerun, when the file is there but unreadable.
    public static func read(from folder: URL) throws -> LessonRecord? {
        let file = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        do {
            return try JSONDecoder().decode(LessonRecord.self, from: Data(readFileBytes(file.path, maxBytes: ReadLimit.json)))
        } catch {
            throw CourseError("\(file.relativePathFromCurrent) is unreadable: rerun \(folder.lastPathComponent.replacingOccurrences(of: "lesson", with: "lesson "))")
        }
    }
}
