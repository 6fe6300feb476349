import Foundation
import Hummingbird
import HTTPTypes
import Logging
import UnixSignals
import PlanIO

/// The HTTP layer over `WhatIf` (Hummingbird 2): one responder for every request. Run requests are
/// numbered as they arrive and computed one at a time off the server's threads; one that a newer
/// request overtook while it waited is answered "superseded" without computing.
public enum Server {
    /// Seconds a connection may stay idle before the server closes it (docs/serve.md).
    static let idleTimeoutSeconds: Int64 = 30

    public struct Options: Sendable {
        public var scenarioPath: String
        public var host: String
        /// 0: a free port chosen by the system (printed).
        public var port: Int

        public init(scenarioPath: String, host: String = "127.0.0.1", port: Int = 8080) {
            self.scenarioPath = scenarioPath
            self.host = host
            self.port = port
        }
    }

    /// Whether the host is a loopback address (another host is served only when asked, with a warning).
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1" || h == "[::1]" || h.hasPrefix("127.")
    }

    /// Starts the server and blocks until SIGINT or SIGTERM. `announce` receives the address with the
    /// token once the port is bound.
    public static func run(_ o: Options, announce: @escaping @Sendable (String) -> Void) throws {
        // Read and check the scenario before anything listens (exit 2 as `rkat validate`).
        let token = Gate.newToken()
        let probe = try WhatIf(scenarioPath: o.scenarioPath, gate: Gate(token: token, boundHost: o.host, port: o.port))
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await serve(o, token: token, probe: probe, announce: announce)
            } catch {
                box.set(error)
            }
            done.signal()
        }
        done.wait()
        if let e = box.error { throw e }
    }

    static func serve(_ o: Options, token: String, probe: WhatIf, announce: @escaping @Sendable (String) -> Void) async throws {
        let holder = AppHolder(probe)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            try await respond(request, holder: holder)
        }
        let app = Application(
            responder: responder,
            // An idle connection is closed after 30 s, so connections opened and left do not pile up.
            server: GuardedHTTP1Channel.builder(idleTimeout: .seconds(idleTimeoutSeconds)),
            configuration: .init(address: .hostname(o.host, port: o.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? o.port
                // The gate needs the port the system chose.
                if let app = try? WhatIf(scenarioPath: o.scenarioPath, gate: Gate(token: token, boundHost: o.host, port: port)) { holder.set(app) }
                let shown = o.host.contains(":") && !o.host.hasPrefix("[") ? "[\(o.host)]" : o.host
                announce("http://\(shown):\(port)/?token=\(token)")
            },
            logger: quietLogger())
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    static func respond(_ request: Request, holder: AppHolder) async throws -> Response {
        let app = holder.get()
        var request = request
        let path = request.uri.path
        var query: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { query[String(k)] = String(v) }
        let tokenHeader = HTTPField.Name("X-RKAT-Token")!
        // Two Host headers, or an absolute-form target naming another host (RequestLineGuard).
        if let why = request.headers[HTTPField.Name(RequestLineGuard.markHeader)!] { return response(.text(400, why)) }
        // The gate first, before the body is read. The token rides in the address only to load the
        // page (GET /); every other request carries it in X-RKAT-Token (docs/serve.md).
        let queryToken = request.method == .get && path == "/" ? query["token"] : nil
        if let why = app.gate.refusal(host: request.head.authority, origin: request.headers[.origin], token: request.headers[tokenHeader] ?? queryToken) {
            return response(.text(403, why))
        }
        var body = Data()
        if request.method == .post {
            if let length = request.headers[.contentLength].flatMap(Int.init), length > WhatIf.bodyLimit {
                return response(.text(413, "refused: the request body is larger than \(WhatIf.bodyLimit) bytes"))
            }
            do {
                let buffer = try await request.collectBody(upTo: WhatIf.bodyLimit)
                body = Data(buffer.readableBytesView)
            } catch {
                return response(.text(413, "refused: the request body is larger than \(WhatIf.bodyLimit) bytes"))
            }
        }
        var incoming = Incoming(
            method: request.method.rawValue, path: path, query: query, host: request.head.authority, origin: request.headers[.origin],
            token: request.headers[tokenHeader], body: body)
        if path == "/api/run" { incoming.generation = app.nextGeneration() }
        let job = incoming
        let out = await Worker.shared.run { app.handle(job) }
        return response(out)
    }

    static func response(_ o: Outgoing) -> Response {
        var headers: HTTPFields = [
            .contentType: o.contentType,
            .cacheControl: "no-store",
            .contentSecurityPolicy: "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        for (k, v) in o.headers { if let name = HTTPField.Name(k) { headers[name] = v } }
        return Response(status: .init(code: o.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: o.body)))
    }

    static func quietLogger() -> Logger {
        var l = Logger(label: "rkat-serve")
        l.logLevel = .critical
        return l
    }
}

/// The what-if core, replaced once the port is known.
final class AppHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var app: WhatIf

    init(_ app: WhatIf) { self.app = app }

    func get() -> WhatIf {
        lock.lock()
        defer { lock.unlock() }
        return app
    }

    func set(_ a: WhatIf) {
        lock.lock()
        app = a
        lock.unlock()
    }
}

/// One serial thread for the computations (they are CPU-bound; the Monte Carlo has its own threads).
final class Worker: @unchecked Sendable {
    static let shared = Worker()
    private let queue = DispatchQueue(label: "rkat-serve-worker")

    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { c in queue.async { c.resume(returning: work()) } }
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: (any Error)?

    func set(_ e: any Error) {
        lock.lock()
        error = e
        lock.unlock()
    }
}
