import Foundation

/// The input function libFuzzer's driver calls: a C callback cannot capture, so it is kept here.
nonisolated(unsafe) private var harness: ((UnsafeBufferPointer<UInt8>) -> Void)?

// libFuzzer's driver (linked by -sanitize=fuzzer) runs the harness with the command line.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                       _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// Hands `body` to libFuzzer (every harness's `main`): it is called with each input; an error
/// is fine, a crash, hang or memory error is a finding.
public func runFuzzer(_ body: @escaping (UnsafeBufferPointer<UInt8>) -> Void) -> Never {
    harness = body
    var arguments = CommandLine.argc
    var vector = CommandLine.unsafeArgv
    exit(runDriver(&arguments, &vector) { data, size in
        harness?(UnsafeBufferPointer(start: data, count: size))
        return 0
    })
}
