// The ExerciseTables build-tool plugin's generator: writes what used to be written by hand for
// every exercise, from the twin files themselves.
//
// An exercise is its two files, `Exercises/LessonN/Name.swift` (the learner's stub) and
// `Solutions/LessonN/Name.swift` (the answer), plus its catalog entry (ExerciseGrading). The
// solution says which exercise it is ("/// Exercise 4.1 — solution") and declares the exercise's
// public functions; from those this tool writes, for one target:
//
//   functions  (ExerciseFunctions) the `Implementation` struct, one closure per function; its
//              `.exercises` value calling the learner's functions; and `ExerciseFunction.all`,
//              each function with its exercise, file, and whether the learner's copy still throws
//              `ExerciseError.notStarted` (read from the file's text, so nothing is called to ask);
//   solutions  (ExerciseGrading) `Implementation.solutions`, calling the `Solutions` module;
//   checks     (ExerciseChecks) three XCTest methods per exercise: the solution passes, the
//              learner's copy passes once written, every wrong answer is rejected.
//
// This file reads the twin files; Generate.swift writes the tables; the command line is
// Sources/exercise-tables.
import Foundation

/// One public function of an exercise, as its solution declares it.
public struct Function {
    let name: String
    /// (external label or nil for `_`, internal name, type), in order.
    let parameters: [(label: String?, name: String, type: String)]
    /// The text after the parameter list, before the body: "throws -> Tensor".
    let effectsAndResult: String
}

/// One exercise: its id, the learner's file (relative to the package root) and its functions.
public struct ExerciseFiles {
    public let id: String
    public let file: String
    public let functions: [Function]
    var lessonNumber: Int { Int(id.split(separator: ".")[0])! }
    var order: (Int, Int) { (lessonNumber, Int(id.split(separator: ".")[1])!) }
}

/// What stops the generator: a solution file it cannot read.
public struct GenerationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// `text` with comments and string literals blanked out (same length), so that braces, commas
/// and words are only ever code.
func codeOnly(_ text: String) -> [Character] {
    var out = Array(text)
    var i = 0
    func blank(_ range: Range<Int>) { for k in range where out[k] != "\n" { out[k] = " " } }
    while i < out.count {
        let rest = out.count - i
        if out[i] == "/", rest > 1, out[i + 1] == "/" {
            let start = i
            while i < out.count, out[i] != "\n" { i += 1 }
            blank(start..<i)
        } else if out[i] == "/", rest > 1, out[i + 1] == "*" {
            let start = i
            i += 2
            while i + 1 < out.count, !(out[i] == "*" && out[i + 1] == "/") { i += 1 }
            i = min(i + 2, out.count)
            blank(start..<i)
        } else if out[i] == "\"" {
            let triple = rest > 2 && out[i + 1] == "\"" && out[i + 2] == "\""
            let start = i
            i += triple ? 3 : 1
            while i < out.count {
                if out[i] == "\\" { i += 2; continue }
                if triple, i + 2 < out.count, out[i] == "\"", out[i + 1] == "\"", out[i + 2] == "\"" { i += 3; break }
                if !triple, out[i] == "\"" || out[i] == "\n" { i += 1; break }
                i += 1
            }
            i = min(i, out.count)
            blank(start..<i)
        } else {
            i += 1
        }
    }
    return out
}

/// The index just past the bracket that closes the one at `open`; nil when none does.
func matching(_ code: [Character], from open: Int) -> Int? {
    var depth = 0
    for i in open..<code.count {
        if "([{".contains(code[i]) { depth += 1 }
        if ")]}".contains(code[i]) { depth -= 1; if depth == 0 { return i + 1 } }
    }
    return nil
}

/// Splits at the commas outside brackets.
func splitTopLevel(_ text: String) -> [String] {
    var parts: [String] = [], depth = 0, current = ""
    for c in text {
        if "([".contains(c) { depth += 1 }
        if ")]".contains(c) { depth -= 1 }
        if c == ",", depth == 0 { parts.append(current); current = "" } else { current.append(c) }
    }
    if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append(current) }
    return parts
}

func squeezed(_ s: some StringProtocol) -> String {
    s.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
}

/// Each top-level `public func` of `text`: its name, the code ranges of its signature and body.
/// Stops at the first it cannot read (the learner's file may be half-typed: the compiler, not this
/// tool, should tell them).
func publicFunctions(in text: String) -> [(name: String, signature: String, body: Range<Int>)] {
    let code = codeOnly(text), original = Array(text)
    let key = Array("public func ")
    var found: [(String, String, Range<Int>)] = []
    var i = 0
    while i + key.count < code.count {
        guard (i == 0 || code[i - 1] == "\n"), Array(code[i..<i + key.count]) == key else { i += 1; continue }
        var j = i + key.count
        while j < code.count, code[j].isLetter || code[j].isNumber || code[j] == "_" { j += 1 }
        let name = String(code[(i + key.count)..<j])
        guard j < code.count, code[j] == "(", let open = code[j...].firstIndex(of: "{"),
              let end = matching(code, from: open) else { break }
        found.append((name, String(original[j..<open]), open..<end))
        i = end
    }
    return found
}

public func parse(solution path: String, root: String) throws -> ExerciseFiles {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw GenerationError("cannot read \(path)") }
    guard let match = text.range(of: #"/// Exercise \d+\.\d+"#, options: .regularExpression) else {
        throw GenerationError("\(path) does not say which exercise it is (a doc line \"/// Exercise N.M — solution\")")
    }
    let id = String(text[match].dropFirst("/// Exercise ".count))
    let relative = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    guard relative.hasPrefix("Solutions/") else { throw GenerationError("\(path) is not under \(root)/Solutions") }
    let functions = try publicFunctions(in: text).map { name, signature, _ -> Function in
        let chars = Array(signature)
        guard let close = matching(chars, from: 0) else { throw GenerationError("\(path): cannot read the parameters of \(name)") }
        let parameters = try splitTopLevel(String(chars[1..<(close - 1)])).map { parameter -> (String?, String, String) in
            guard let colon = parameter.firstIndex(of: ":") else { throw GenerationError("\(name): cannot read parameter '\(parameter)'") }
            let names = parameter[..<colon].split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
            let type = squeezed(parameter[parameter.index(after: colon)...])
            let label = names.count == 2 ? (names[0] == "_" ? nil : names[0]) : names[0]
            return (label, names.last!, type)
        }
        return Function(name: name, parameters: parameters, effectsAndResult: squeezed(String(chars[close...])))
    }
    guard !functions.isEmpty else { throw GenerationError("\(path) declares no public function") }
    return ExerciseFiles(id: id, file: "Exercises/" + relative.dropFirst("Solutions/".count), functions: functions)
}

/// The learner's functions in `file` whose body still says `ExerciseError.notStarted` (in code,
/// not in a comment or a string). A missing file or function counts as not started.
func notStarted(_ exercise: ExerciseFiles, root: String) -> [String] {
    guard let text = try? String(contentsOfFile: root + "/" + exercise.file, encoding: .utf8) else {
        return exercise.functions.map(\.name)
    }
    return notStarted(exercise.functions.map(\.name), in: text)
}

/// Which of `names` the Swift source `text` declares with a body that still says
/// `ExerciseError.notStarted`, or does not declare.
public func notStarted(_ names: [String], in text: String) -> [String] {
    let code = codeOnly(text)
    let bodies = Dictionary(publicFunctions(in: text).map { ($0.name, $0.body) }, uniquingKeysWith: { a, _ in a })
    return names.filter { name in
        guard let body = bodies[name] else { return true }
        return String(code[body]).contains("ExerciseError.notStarted")
    }
}
