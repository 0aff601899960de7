import ArgumentParser
import CourseKit

/// `--outputs`, as every `course` command that reads or writes the lessons' outputs takes it:
/// one declaration and the lessons' one rule for it (`RunFolder.checkOutputs`: a folder, never ""
/// and never a file).
struct OutputsOption: ParsableArguments {
    @Option(help: "The folder the lessons write into (paint writes into its subfolder paint/).")
    var outputs: String = "Outputs"

    func validate() throws { try RunFolder.checkOutputs(outputs) }
}
