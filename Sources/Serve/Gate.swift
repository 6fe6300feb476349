import Foundation

/// The checks every request passes before it is served (docs/serve.md, "Safe by construction"): a
/// loopback server is reachable from any web page the planner opens, and DNS rebinding lets such a
/// page read the answers, so a request must name this server in its Host header, come from no other
/// origin, and carry the launch token.
public struct Gate: Sendable {
    /// The per-launch token (64 hex digits from the system's random source).
    public let token: String
    /// Host names a request may give (lowercased): the loopback names and the bound host.
    let hosts: Set<String>
    public let port: Int

    public init(token: String, boundHost: String, port: Int) {
        self.token = token
        self.port = port
        var hosts: Set<String> = ["127.0.0.1", "localhost", "[::1]"]
        let h = boundHost.lowercased()
        // 0.0.0.0 / :: bind every interface; their own names are not hosts a browser asks for.
        if h != "0.0.0.0" && h != "::" && !h.isEmpty { hosts.insert(h.contains(":") && !h.hasPrefix("[") ? "[\(h)]" : h) }
        self.hosts = hosts
    }

    static func newToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", g.next() as UInt64) }.joined()
    }

    /// Nil when the request may pass, else why it is refused.
    func refusal(host: String?, origin: String?, token given: String?) -> String? {
        guard let host, allowed(authority: host) else { return "refused: the Host header does not name this server" }
        if let origin {
            guard allowed(origin: origin) else { return "refused: requests from another origin are not served" }
        }
        guard let given, Self.same(given, token) else { return "refused: the request does not carry this server's token" }
        return nil
    }

    /// Why a request line and its Host headers, as they arrived, are malformed (answered 400), or
    /// nil: two Host headers (which one a proxy or the page meant is unknowable), or an absolute-form
    /// target (`GET http://other/ HTTP/1.1`) whose host is not the Host header's (RFC 9112 §3.2.2).
    static func malformed(target: String, hostHeaders: [String]) -> String? {
        if hostHeaders.count > 1 { return "bad request: the request has \(hostHeaders.count) Host headers" }
        guard !target.hasPrefix("/"), target != "*" else { return nil }
        let lower = target.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lower.hasPrefix($0) }) else {
            return "bad request: the request target is neither a path nor an http URL"
        }
        let rest = lower.dropFirst(scheme.count)
        let authority = String(rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" })
        guard let host = hostHeaders.first?.lowercased(), authority == host else {
            return "bad request: the request line names another host than its Host header"
        }
        return nil
    }

    /// `host:port` with one of our host names and our port.
    func allowed(authority: String) -> Bool {
        let a = authority.lowercased()
        guard let colon = a.lastIndex(of: ":"), !a[colon...].contains("]") else { return false }
        let name = String(a[..<colon]), portText = a[a.index(after: colon)...]
        return hosts.contains(name) && Int(portText) == port
    }

    /// `http://host:port` naming this server (a browser sends it on fetches and form posts).
    func allowed(origin: String) -> Bool {
        let o = origin.lowercased()
        guard o.hasPrefix("http://") else { return false }
        return allowed(authority: String(o.dropFirst("http://".count)))
    }

    /// Compares in time independent of where the strings differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var d: UInt8 = 0
        for i in x.indices { d |= x[i] ^ y[i] }
        return d == 0
    }
}
