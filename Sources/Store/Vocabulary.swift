public import Formats

/// The dispositions and roles the store keeps, as files spell them (defined in Formats).
public typealias Disposition = Formats.Disposition
public typealias CaseRole = Formats.CaseRole
