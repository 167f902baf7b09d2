import Foundation
import Definitions
import Questionnaire
import Sampling

/// libFuzzer harness (scripts/fuzz.sh): YAML text read as a design and as a questionnaire.
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    _ = try? Design.parse(text, file: "fuzz.yaml")
    if let root = try? YAMLValue.parse(text, file: "fuzz.yaml") {
        _ = try? Questionnaire(yaml: root, directory: "/nonexistent")
    }
    return 0
}

// libFuzzer's driver (linked by -sanitize=fuzzer) runs the harness with the command line.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32
var arguments = CommandLine.argc
var vector = CommandLine.unsafeArgv
exit(runDriver(&arguments, &vector) { data, size in fuzz(data ?? UnsafePointer(bitPattern: 1)!, size) })
