import Foundation

/// The numbers of a fixture under Tests/Fixtures, one a line (an oracle script's series); empty when
/// the file cannot be read, which the tests' count checks then catch.
func fixtureNumbers(_ path: String) -> [Double] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(path)
    return (try? String(contentsOf: url, encoding: .utf8))?.split(separator: "\n").compactMap { Double($0) } ?? []
}
