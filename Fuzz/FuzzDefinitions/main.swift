import Definitions
import FuzzSupport
import Questionnaire
import Sampling

/// libFuzzer harness (scripts/fuzz.sh): YAML text read as a design and as a questionnaire.
runFuzzer { bytes in
    guard let text = String(validating: bytes, as: UTF8.self) else { return }
    _ = try? Design.parse(text, file: "fuzz.yaml")
    if let root = try? YAMLValue.parse(text, file: "fuzz.yaml") {
        _ = try? Questionnaire(yaml: root, directory: "/nonexistent")
    }
}
