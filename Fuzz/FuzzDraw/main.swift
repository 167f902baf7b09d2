import Foundation
import FuzzSupport
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

runFuzzer { bytes in
    guard let frame = try? CSVReader.read(bytes: Array(bytes), name: "fuzz-frame.csv"),
          (try? SamplingJob.check(design, against: frame)) != nil else { return }
    if let draw = try? Sampler(design: design.design, table: frame, designFile: "fuzz-design.yaml").draw(seed: 7) {
        _ = SampleList.csv(draw, frame: frame, replicates: 1)
    }
}
