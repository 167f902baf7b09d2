import Foundation
import Sampling
import Tables

/// libFuzzer harness (scripts/fuzz.sh): a frame (CSV bytes) drawn by a stratified two-stage
/// design with certainty units, PPS villages and reserves, with the checks a draw makes.
let design = try! Design.parse("""
    name: 模糊测试
    id: household_id
    stages:
      - unit: village
        strata: [town]
        order: [village]
        method: pps-systematic
        size: members
        certainty: {column: members, at-least: 500}
        allocation: {per-stratum: 2}
        take-all: true
      - unit: household_id
        order: [household_id]
        method: systematic
        allocation: {per-unit: 3}
        reserve: 1

    """, file: "fuzz-design.yaml")

func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let frame = try? CSVReader.read(bytes: Array(UnsafeBufferPointer(start: data, count: size)), name: "fuzz-frame.csv"),
          (try? SamplingJob.check(design, against: frame)) != nil else { return 0 }
    if let draw = try? Sampler(design: design.design, table: frame, designFile: "fuzz-design.yaml").draw(seed: 7) {
        _ = SampleList.csv(draw, frame: frame, replicates: 1)
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
