import Foundation
@testable import Sampling
import Tables
import Testing

/// The YAML the workbench writes for a design, and the allocation it previews.
@Suite("Design YAML and allocation preview")
struct DesignEncodingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shipped = ["deputies", "enterprises", "rural", "urban"]

    static func path(_ name: String) -> String { root.appendingPathComponent("surveys/designs/\(name).yaml").path }

    @Test(arguments: shipped) func aShippedDesignReadsBackFromItsYAML(_ name: String) throws {
        let design = try Design.load(path: DesignEncodingTests.path(name)).design
        let again = try Design.parse(design.yaml(), file: "\(name).yaml").design
        #expect(again == design)
    }

    @Test func valuesYAMLWouldReadOtherwiseAreQuoted() throws {
        let text = ["是", "3", "0012", "true", "no", "a: b", "[x]", "#1", " lead", "", "x\"y\\z", "-1", "1e5", "城关镇 / 东乡"]
        let design = Design(name: "试验：\"引号\"", group: "urban", id: "id", casePrefix: "H", frame: "../a b.csv",
                            filter: [FilterCondition(column: "urban", values: text)],
                            stages: [Stage(unit: "id", strata: ["town id", "no"], order: ["true"], method: .systematic,
                                           allocation: .explicit(Dictionary(uniqueKeysWithValues: text.filter { !$0.isEmpty }.enumerated().map { ($1, $0) })),
                                           certainty: CertaintyRule(column: "size", minimum: 12.5), reserve: 2, takeAll: true)])
        let again = try Design.parse(design.yaml(), file: "t.yaml").design
        #expect(again == design)
    }

    /// The preview's counts are the draw's: units and drawn per stratum, and for a one-stage
    /// design the sample and reserves, on every shipped design with its shipped frame.
    @Test(arguments: shipped) func thePreviewIsWhatTheDrawTakes(_ name: String) throws {
        let file = try Design.load(path: DesignEncodingTests.path(name))
        let frame = try SamplingJob.resolveFrame(nil, design: file)
        let table = try TableFile.read(path: frame)
        let sampler = Sampler(design: file.design, table: table, designFile: file.path)
        let preview = try sampler.allocation()
        let draw = try Sampler(design: file.design, table: table, designFile: file.path).draw(seed: 20_260_401)
        #expect(preview.map(\.stratum) == draw.strata.map(\.stratum))
        #expect(preview.map(\.units) == draw.strata.map(\.units))
        #expect(preview.map(\.drawn) == draw.strata.map(\.drawn))
        if file.design.stages.count == 1 {
            #expect(preview.map(\.sample) == draw.strata.map(\.sample))
            #expect(preview.map(\.reserves) == draw.strata.map(\.reserves))
        }
    }

    @Test func aPreviewRefusesWhatTheDrawRefuses() throws {
        let file = try Design.parse("""
            name: 试验
            id: enterprise_id
            stages:
              - unit: enterprise_id
                strata: [industry]
                method: srs
                allocation: {total: 100000}

            """, file: "big.yaml")
        let table = try TableFile.read(path: DesignEncodingTests.root.appendingPathComponent("datasets/enterprises.csv").path)
        var previewError: String?
        do { _ = try Sampler(design: file.design, table: table, designFile: "big.yaml").allocation() } catch { previewError = error.description }
        var drawError: String?
        do { _ = try Sampler(design: file.design, table: table, designFile: "big.yaml").draw(seed: 1) } catch { drawError = error.description }
        #expect(previewError != nil && previewError == drawError)
    }
}
