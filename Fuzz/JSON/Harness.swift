/// libFuzzer harness (scripts/fuzz.sh compiles it with Sources/Server/Controllers/JSONValue.swift
/// alone): the API's JSON parser on any bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? JSONValue.parse(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
