import ArgumentParser
import Fitting
import Foundation
import PlanIO

/// rkat's command line: thin; the work happens in PlanIO and Fitting.
@main
struct RKAT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rkat",
        abstract: "Target planning for BPJS Ketenagakerjaan: fit, project and export RKAT targets.",
        version: RKATInfo.version,
        subcommands: [Validate.self, Run.self, Compare.self, Solve.self, Explain.self, Track.self, BacktestCommand.self, ServeCommand.self, Fit.self, Regress.self, Bench.self])

    /// Exit codes (README, "Exit codes"): 0 ok, 1 runtime failure, 2 bad input. Errors are one line on stderr.
    static func main() {
        var indonesian = true
        do {
            var command = try parseAsRoot()
            // --lang where a command has it; serve speaks to planners, fit, regress and bench to analysts.
            indonesian = (command as? Speaking).map { $0.language.lang == .id } ?? (command is ServeCommand)
            try command.run()
        } catch let error as InputError {
            fail(error.line(indonesian: indonesian), code: 2)
        } catch let error as FitError {
            fail(error.description, code: error.isInputError ? 2 : 1)
        } catch let error as RuntimeFailure {
            fail(error.message, code: 1)
        } catch let error as OutputWriteError {
            fail(error.message, code: 1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help and --version
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            // Usage errors from the argument parser: the first line of its message, then exit 2.
            let message = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            fail(message + " (see rkat --help)", code: 2)
        }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data((errorLine(message) + "\n").utf8))
        Foundation.exit(code)
    }

    /// One line: a located message starts with its location (`FILE:LINE:COL: message`, as compilers
    /// write them, so editors can jump to it); others keep the `rkat: ` prefix. Line breaks become
    /// spaces; other control characters (and U+0085, U+2028, U+2029) are escaped, so a key or value
    /// cannot split the line or move the cursor.
    static func errorLine(_ message: String) -> String {
        var text = ""
        for u in message.unicodeScalars {
            switch u {
            case "\n": text += " "
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029:
                text += "\\u{" + String(u.value, radix: 16) + "}"
            default: text.unicodeScalars.append(u)
            }
        }
        return isLocated(text) ? text : "rkat: " + text
    }

    /// `FILE:LINE:COL: …` with LINE and COL numbers, or a workbook's cell `FILE.xlsx!SHEET!F12: …`.
    static func isLocated(_ text: String) -> Bool {
        text.range(of: #"^[^ ][^\n]*?:[0-9]+:[0-9]+: "#, options: .regularExpression) != nil
            || text.range(of: #"^[^ ][^\n]*?\.[xX][lL][sS][xXmM]![^\n]*![A-Z]{1,3}[0-9]+: "#, options: .regularExpression) != nil
    }
}

struct RuntimeFailure: Error {
    var message: String
}
