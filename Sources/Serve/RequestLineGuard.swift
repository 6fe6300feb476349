import NIOCore
import NIOHTTP1
import HummingbirdCore
import Logging

/// Looks at each request as it arrived (its request line and every Host header) before Hummingbird
/// turns it into HTTPTypes, which keep only the first Host header and only the path of an
/// absolute-form target. A malformed one (`Gate.malformed`) is marked with the header
/// `X-RKAT-Malformed` (any such header the client sent is dropped first), and the responder answers
/// it 400 before anything else.
final class RequestLineGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    static let markHeader = "X-RKAT-Malformed"

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        head.headers.remove(name: Self.markHeader)
        if let why = Gate.malformed(target: head.uri, hostHeaders: head.headers["Host"]) {
            head.headers.add(name: Self.markHeader, value: why)
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}

/// Hummingbird's HTTP/1 channel with `RequestLineGuard` inserted right after the HTTP decoder, and
/// idle connections closed after `idleTimeout`.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel

    static func builder(idleTimeout: TimeAmount) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(inner: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: idleTimeout)))
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(RequestLineGuard(), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
