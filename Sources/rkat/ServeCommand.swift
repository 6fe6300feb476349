import ArgumentParser
import Foundation
import Fitting
import PlanIO
import Serve

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "A local what-if page with sliders for the scenario's levers and assumptions (docs/serve.md). Ctrl-C stops it.")

    @Argument(help: "Scenario YAML file.") var scenario: String
    @Option(help: "Port (0: a free one, printed).") var port: Int = 8080
    @Option(help: "Address to listen on; loopback unless asked (another host is reachable from the network: the token is the only guard).") var host: String = "127.0.0.1"

    func validate() throws {
        guard (0...65535).contains(port) else { throw InputError("--port must be in 0...65535 (got \(port))") }
    }

    func run() throws {
        if !Server.isLoopback(host) {
            warn(Phrase { l in
                l.t("--host \(host) bukan alamat loopback: komputer lain dapat menjangkau server ini; hanya token di alamatnya yang menahan mereka",
                    "--host \(host) is not a loopback address: other machines can reach this server; only the token in the address keeps them out")
            }, .id)
        }
        do {
            try serve()
        } catch let e as InputError {
            throw e
        } catch {
            // Exit 1: e.g. the port is taken.
            throw RuntimeFailure(message: "serve: cannot listen on \(host):\(port): \(error)")
        }
        print("rkat serve: stopped")
    }

    func serve() throws {
        try Server.run(Server.Options(scenarioPath: scenario, host: host, port: port)) { url in
            // Unbuffered: a script reading the address through a pipe gets it at once.
            FileHandle.standardOutput.write(Data("rkat serve: \(url)\nCtrl-C stops it.\n".utf8))
        }
    }
}
