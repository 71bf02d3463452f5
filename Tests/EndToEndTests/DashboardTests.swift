import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// POSTs `body` as JSON to the receiver on `port`; the status it answered.
func post(_ port: Int, _ body: String, path: String = "/ack", headers: [(String, String)] = []) async throws -> Int {
    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    request.body = .bytes(ByteBuffer(string: body))
    return Int(try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status.code)
}

/// A full report of the provider's shape.
func report(mid: String, status: String = "ANSWER", to: String = "919876543210") -> String {
    #"{"webhook_id":7,"bridge":918068280000,"from":"918068280000","to":"\#(to)","source":"OBD","mid":"\#(mid)","flow_id":917,"start_at":"2026-11-27 15:29:00","end_at":"2026-11-27 15:29:42","duration":"42","status":"\#(status)","recording_url":"https://rec.example.com/\#(mid).mp3"}"#
}

/// The built dashboard in a real terminal (tmux), driven by keys and real HTTP deliveries.
@Suite("calldash watch in a terminal", .serialized)
struct DashboardTests {
    @Test("a journal deleted while the dashboard runs is said on screen, and the calls after it are refused and shown as such")
    func journalProblemShown() async throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let t = try TmuxSession(["watch", "--port", "0", "--journal", folder + "/journal.jsonl"])
        let port = try #require(await t.port(), "\(t.screen)")
        #expect(try await post(port, report(mid: "MID-J1")) == 200)
        #expect(await t.waitFor { $0.contains("MID-J1") }, "\(t.screen)")
        try FileManager.default.removeItem(atPath: folder + "/journal.jsonl")
        #expect(try await post(port, report(mid: "MID-J2")) == 503)
        #expect(await t.waitFor { $0.contains("journal.jsonl was deleted while calldash runs") && $0.contains("REJECTED") }, "\(t.screen)")
        try t.press("q")
        #expect(await t.waitFor { $0.contains("EXITED:0") }, "\(t.screen)")
    }

    @Test("reports posted over HTTP appear on screen with their status and numbers")
    func postedReportsAppear() async throws {
        let t = try TmuxSession(["watch", "--port", "0"])
        let port = try #require(await t.port(), "\(t.screen)")
        #expect(await t.waitFor { $0.contains("Waiting for calls") })
        #expect(try await post(port, report(mid: "MID-AAA-1", status: "BUSY", to: "919000000001")) == 200)
        #expect(await t.waitFor { $0.contains("MID-AAA-1") && $0.contains("919000000001") && $0.contains("BUSY") }, "\(t.screen)")
        #expect(try await post(port, #"{"status":"ANSWER",}"#) == 400)
        #expect(await t.waitFor { $0.contains("REJECTED") && $0.contains("2 of 2") }, "\(t.screen)")
        try t.press("q")
        #expect(await t.waitFor { $0.contains("EXITED:0") })
    }

    @Test("a shows the campaign: the retry apart, the failing flow in the breakdown, Enter opens its calls")
    func campaignDrillDown() async throws {
        let t = try TmuxSession(["watch", "--port", "0"])
        let port = try #require(await t.port(), "\(t.screen)")
        for n in 1...4 { _ = try await post(port, report(mid: "F917-\(n)", status: n == 4 ? "BUSY" : "ANSWER")) }
        let failing = report(mid: "F204-1", status: "FAILED").replacingOccurrences(of: "\"flow_id\":917", with: "\"flow_id\":204")
        _ = try await post(port, failing)
        _ = try await post(port, report(mid: "F917-1", status: "ANSWER")) // the provider sends one again
        #expect(await t.waitFor { $0.contains("6 of 6") && $0.contains("↻ 1 retries") }, "\(t.screen)")
        try t.press("a")
        #expect(
            await t.waitFor { $0.contains("CallDash · Campaign") && $0.contains("calls 5   ASR 60.0%") && $0.contains("↻ 1 retries") },
            "\(t.screen)"
        )
        #expect(await t.waitFor { $0.contains("by flow_id") && $0.contains("917") && $0.contains("204") }, "\(t.screen)")
        try t.press("j")
        try t.press("Enter")
        #expect(await t.waitFor { $0.contains("flow_id=204") && $0.contains("1 of 6") && $0.contains("F204-1") }, "\(t.screen)")
        try t.press("q")
        #expect(await t.waitFor { $0.contains("EXITED:0") })
    }

    @Test("M opens the body in $EDITOR with the dashboard suspended, then replays the edited call to the app and shows its answer")
    func editAndReplay() async throws {
        let dir = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try CalldashProcess(["serve", "--port", "0", "--journal", dir + "/app.jsonl"])
        let appPort = try #require(await app.listeningPort())
        // A non-interactive editor: it edits the file in place and exits.
        let t = try TmuxSession(["watch", "--port", "0"], environment: ["EDITOR": "sed -i s/ANSWER/EDITED/", "VISUAL": ""])
        let port = try #require(await t.port(), "\(t.screen)")
        _ = try await post(port, report(mid: "EDIT-1"))
        #expect(await t.waitFor { $0.contains("EDIT-1") }, "\(t.screen)")
        try t.press("M")
        #expect(await t.waitFor { $0.contains("your app's URL (http://localhost:3000/…):") }, "\(t.screen)")
        try t.type("http://127.0.0.1:\(appPort)/hooks")
        try t.press("Enter")
        #expect(
            await t.waitFor { $0.contains("#1 replayed with the edited body to http://127.0.0.1:\(appPort)/hooks: 200 in") }, "\(t.screen)")
        #expect(await t.waitFor { $0.contains("CallDash") && $0.contains("EDIT-1") }, "the dashboard is back: \(t.screen)")
        #expect(await app.wait { _ in !journaled(dir + "/app.jsonl").isEmpty })
        let got = try #require(journaled(dir + "/app.jsonl").first)
        #expect(got.path == "/hooks/ack" && got.fields[.status] == "EDITED", "the edit was sent")
        #expect(got.headers.contains { $0.name == "CallDash-Replay-Of" && $0.value == "1" })
        try t.press("q")
        #expect(await t.waitFor { $0.contains("EXITED:0") })
        app.signal(SIGTERM)
        _ = await app.exitCode()
    }

    @Test("M without VISUAL or EDITOR says how to set one, and sends nothing")
    func editWithoutEditor() async throws {
        let t = try TmuxSession(["watch", "--port", "0"], environment: ["EDITOR": "", "VISUAL": ""])
        let port = try #require(await t.port(), "\(t.screen)")
        _ = try await post(port, report(mid: "EDIT-2"))
        #expect(await t.waitFor { $0.contains("EDIT-2") }, "\(t.screen)")
        try t.press("M")
        try t.type("http://127.0.0.1:9/app") // nothing listens there, and nothing is sent anyway
        try t.press("Enter")
        #expect(
            await t.waitFor { $0.contains("#1 not replayed: M needs an editor: set VISUAL or EDITOR (export EDITOR=vim)") }, "\(t.screen)")
        try t.press("q")
        #expect(await t.waitFor { $0.contains("EXITED:0") })
    }

    @Test("/ search narrows the list, Enter keeps it, Esc clears it")
    func searchFilters() async throws {
        let t = try TmuxSession(["watch", "--port", "0"])
        let port = try #require(await t.port(), "\(t.screen)")
        for n in 1...6 { _ = try await post(port, report(mid: "M-\(n)", status: n % 2 == 0 ? "ANSWER" : "NOANSWER")) }
        #expect(await t.waitFor { $0.contains("6 of 6") }, "\(t.screen)")
        try t.press("/")
        try t.type("noanswer")
        #expect(await t.waitFor { $0.contains("3 of 6") }, "\(t.screen)")
        try t.press("Enter")
        #expect(
            await t.waitFor { s in
                let rows = s.split(separator: "\n").filter { $0.contains("918068280000  919876543210") }
                return s.contains("/noanswer") && s.contains("3 of 6") && rows.count == 3 && rows.allSatisfy { $0.contains("NOANSWER") }
            }, "\(t.screen)")
        try t.press("Escape")
        #expect(await t.waitFor { $0.contains("6 of 6") }, "\(t.screen)")
        try t.press("2")
        #expect(await t.waitFor { $0.contains("3 of 6") && $0.contains("NOANSWER ·") }, "\(t.screen)")
    }

    @Test("? opens the help overlay and Esc closes it")
    func helpOpens() async throws {
        let t = try TmuxSession(["watch", "--port", "0"])
        #expect(await t.port() != nil)
        try t.press("?")
        #expect(
            await t.waitFor { $0.contains("Keys") && $0.contains("search every field") && $0.contains("copy the recording URL") },
            "\(t.screen)")
        try t.press("Escape")
        #expect(await t.waitFor { !$0.contains("search every field") })
    }

    @Test("resizing relayouts at once, says when the terminal is too small, and survives")
    func resizeSurvives() async throws {
        let t = try TmuxSession(["watch", "--port", "0"], width: 120, height: 40)
        let port = try #require(await t.port())
        _ = try await post(port, report(mid: "RESIZE-1"))
        #expect(await t.waitFor { $0.contains("RESIZE-1") && $0.contains("BRIDGE") })
        try t.resize(width: 70, height: 20)
        #expect(await t.waitFor { $0.contains("RESIZE-1") && !$0.contains("BRIDGE") }, "\(t.screen)")
        try t.resize(width: 30, height: 8)
        #expect(await t.waitFor { $0.contains("Terminal too small") }, "\(t.screen)")
        try t.resize(width: 120, height: 40)
        #expect(await t.waitFor { $0.contains("RESIZE-1") && $0.contains("BRIDGE") }, "\(t.screen)")
        _ = try await post(port, report(mid: "RESIZE-2"))
        #expect(await t.waitFor { $0.contains("RESIZE-2") })
    }

    @Test("q quits and gives the terminal back as it was")
    func quitRestoresTheScreen() async throws {
        let t = try TmuxSession(["watch", "--port", "0"])
        #expect(await t.port() != nil)
        try t.press("q")
        #expect(await t.waitFor { $0.contains("EXITED:0") }, "\(t.screen)")
        #expect(!t.screen.contains("CallDash"), "the dashboard is gone from the screen")
    }

    @Test("SIGTERM and Ctrl-C also restore the terminal and exit 0")
    func signalsRestoreTheScreen() async throws {
        let t = try TmuxSession(["watch", "--port", "0"])
        #expect(await t.port() != nil)
        try t.press("C-c")
        #expect(await t.waitFor { $0.contains("EXITED:0") && !$0.contains("CallDash") }, "\(t.screen)")

        let u = try TmuxSession(["watch", "--port", "0", "--log", "/dev/null"])
        #expect(await u.port() != nil)
        let pids = try spawn(["pgrep", "-f", "--", "--log /dev/null"]).1
        let pid = try #require(pids.split(separator: "\n").first.flatMap { Int32($0) })
        kill(pid, SIGTERM)
        #expect(await u.waitFor { $0.contains("EXITED:0") && !$0.contains("CallDash") }, "\(u.screen)")
    }

    @Test("y copies the recording URL through OSC 52 into the terminal's clipboard")
    func copyRecordingURL() async throws {
        let t = try TmuxSession(["watch", "--port", "0"])
        let port = try #require(await t.port())
        _ = try await post(port, report(mid: "COPY-ME"))
        #expect(await t.waitFor { $0.contains("COPY-ME") })
        try t.press("y")
        #expect(await t.waitFor { $0.contains("sent the recording URL to the terminal") }, "\(t.screen)")
        #expect(await waitUntil(seconds: 20) { !t.pasteBuffer.isEmpty })
        #expect(t.pasteBuffer == "https://rec.example.com/COPY-ME.mp3")
    }

    @Test("watch --demo fills the dashboard with simulated calls at once")
    func demoShowsCalls() async throws {
        let t = try TmuxSession(["watch", "--demo", "--demo-rate", "30", "--port", "0"])
        #expect(await t.waitFor { s in s.contains("following") && (s.components(separatedBy: "ANSWER").count > 5) }, "\(t.screen)")
        try t.press("Enter")
        #expect(await t.waitFor { $0.contains("recording_url") && $0.contains("Request") }, "\(t.screen)")
    }

    @Test("a theme file with a bad colour is refused on screen, naming file and line; the default is used")
    func badThemeIsReported() async throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/mine.theme"
        try "list.row = red\nstatus.busy = gren\n".write(toFile: file, atomically: true, encoding: .utf8)
        let t = try TmuxSession(["watch", "--port", "0", "--theme", file])
        #expect(await t.waitFor { $0.contains("theme refused: mine.theme:2: status.busy: \"gren\" is not a colour") }, "\(t.screen)")
        #expect(t.screen.contains("CallDash"), "the dashboard still runs")
    }
}

@Suite("calldash watch: recording URL and export actions", .serialized)
struct DashboardActionTests {

    @Test("v checks the recording URL with a HEAD request and shows status, type and time")
    func checkRecordingURL() async throws {
        let t = try TmuxSession(["watch", "--port", "0"])
        let port = try #require(await t.port())
        let body = #"{"mid":"CHECK-1","status":"ANSWER","recording_url":"http://127.0.0.1:\#(port)/_calldash/health"}"#
        _ = try await post(port, body)
        #expect(await t.waitFor { $0.contains("CHECK-1") })
        try t.press("v")
        #expect(await t.waitFor { $0.contains("✓ reachable, HTTP 200 OK · application/json") }, "\(t.screen)")
    }

    @Test("o opens the recording URL with $BROWSER, without a shell")
    func openWithBrowser() async throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let script = folder + "/browser.sh"
        try "#!/bin/sh\nprintf '%s' \"$1\" > \(folder)/opened\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let t = try TmuxSession(["watch", "--port", "0"], environment: ["BROWSER": script])
        let port = try #require(await t.port())
        _ = try await post(port, report(mid: "OPEN-1;rm -rf x"))
        #expect(await t.waitFor { $0.contains("OPEN-1") })
        try t.press("o")
        #expect(await t.waitFor { $0.contains("opened with browser.sh") }, "\(t.screen)")
        func opened() -> String { (try? String(contentsOfFile: folder + "/opened", encoding: .utf8)) ?? "" }
        #expect(await waitUntil(seconds: 20) { !opened().isEmpty })
        #expect(opened() == "https://rec.example.com/OPEN-1;rm -rf x.mp3")
    }

    @Test("o without any browser says how to get one and keeps running")
    func openWithoutBrowser() async throws {
        let t = try TmuxSession(["watch", "--port", "0"], environment: ["BROWSER": "", "PATH": "/nonexistent"])
        let port = try #require(await t.port())
        _ = try await post(port, report(mid: "NOBROWSER-1"))
        #expect(await t.waitFor { $0.contains("NOBROWSER-1") })
        try t.press("o")
        #expect(await t.waitFor { $0.contains("no browser to open it: set $BROWSER or install xdg-utils") }, "\(t.screen)")
    }

    @Test("e exports exactly the calls shown to a CSV file in the working directory; ^E writes one whose phone numbers a spreadsheet keeps")
    func exportShown() async throws {
        let t = try TmuxSession(["watch", "--port", "0"])
        let port = try #require(await t.port())
        for n in 1...5 { _ = try await post(port, report(mid: "EXP-\(n)", status: n <= 2 ? "BUSY" : "ANSWER")) }
        #expect(await t.waitFor { $0.contains("5 of 5") })
        try t.press("3")
        #expect(await t.waitFor { $0.contains("2 of 5") })
        try t.press("e")
        #expect(await t.waitFor { $0.contains("exported 2 calls to") }, "\(t.screen)")
        let files = try FileManager.default.contentsOfDirectory(atPath: t.folder).filter { $0.hasSuffix(".csv") }
        let csv = try String(contentsOfFile: t.folder + "/" + #require(files.first), encoding: .utf8)
        let lines = csv.split(separator: "\r\n")
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("seq,received_at,outcome,response_code,method,error,webhook_id,bridge") == true)
        #expect(lines.dropFirst().map { $0.contains("BUSY") && $0.contains("EXP-") } == [true, true])
        #expect(lines[1].contains("EXP-2") && lines[2].contains("EXP-1"), "in the order shown, newest first")
        #expect(lines[1].contains(",919876543210,"))

        try t.press("C-e")
        #expect(await t.waitFor { $0.contains("-sheet.csv") }, "\(t.screen)")
        let sheets = try FileManager.default.contentsOfDirectory(atPath: t.folder).filter { $0.hasSuffix("-sheet.csv") }
        let sheet = try String(contentsOfFile: t.folder + "/" + #require(sheets.first), encoding: .utf8).split(separator: "\r\n")
        #expect(sheet.count == 3 && sheet.first == lines.first)
        #expect(sheet[1].contains(",\"=\"\"919876543210\"\"\",") && sheet[1].contains(",42,"), "\(sheet[1])")
    }
}

@Suite("calldash watch: colours and themes", .serialized)
struct DashboardColourTests {
    /// The pane with its colour escape sequences, as tmux keeps them.
    func colouredScreen(_ t: TmuxSession) -> String {
        (try? spawn(["tmux", "-L", t.socket, "capture-pane", "-e", "-p", "-t", "t"]).1) ?? ""
    }

    @Test("256-colour terminals get palette colours, 8-colour terminals the basic ones, NO_COLOR none")
    func colourDepthAndNoColor() async throws {
        let rich = try TmuxSession(["watch", "--port", "0"], environment: ["TERM": "tmux-256color"])
        #expect(await rich.port() != nil)
        #expect(await waitUntil(seconds: 10) { colouredScreen(rich).contains("38;5;") }, "palette colours in use")

        let basic = try TmuxSession(["watch", "--port", "0"], environment: ["TERM": "screen"])
        #expect(await basic.port() != nil)
        let eight = colouredScreen(basic)
        #expect(!eight.contains("38;5;") && !eight.contains("48;5;"), "no palette colours on an 8-colour terminal")
        #expect(eight.range(of: "\u{1B}\\[[0-9;]*3[0-7][;m]", options: .regularExpression) != nil, "basic colours instead")

        let none = try TmuxSession(["watch", "--port", "0"], environment: ["NO_COLOR": "1"])
        #expect(await none.port() != nil)
        let plain = colouredScreen(none)
        #expect(
            plain.range(of: "\u{1B}\\[([0-9;]*;)?([34][0-7]|[34]8;5;[0-9]+)(;[0-9;]*)?m", options: .regularExpression) == nil,
            "no colours at all")
        #expect(plain.contains("\u{1B}[7m") || plain.contains(";7m") || plain.contains("\u{1B}[1m"), "attributes remain")
    }

    @Test("t switches themes live and says which one")
    func themeKey() async throws {
        let t = try TmuxSession(["watch", "--port", "0"])
        #expect(await t.port() != nil)
        try t.press("t")
        #expect(await t.waitFor { $0.contains("theme: high-contrast") }, "\(t.screen)")
        try t.press("t")
        #expect(await t.waitFor { $0.contains("theme: light") }, "\(t.screen)")
    }

    @Test("--theme naming a theme whose file was refused says why, with the file and line")
    func refusedThemeByName() async throws {
        let config = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: config) }
        try FileManager.default.createDirectory(atPath: config + "/calldash/themes", withIntermediateDirectories: true)
        try "list.row = red\nstatus.bsy = red\n".write(toFile: config + "/calldash/themes/bad.theme", atomically: true, encoding: .utf8)
        let p = try CalldashProcess(["watch", "--port", "0", "--no-journal", "--theme", "bad"], environment: ["XDG_CONFIG_HOME": config])
        #expect(await p.exitCode() == 1)
        #expect(p.stderr.hasPrefix("calldash: --theme: the theme file \(config)/calldash/themes/bad.theme:2: unknown role"), "\(p.stderr)")
        #expect(p.stderr.hasSuffix("was refused\n"), "\(p.stderr)")
    }

    @Test("--theme with an unknown name exits with one line naming the themes there are")
    func unknownThemeName() async throws {
        let r = try await runCalldash(["watch", "--port", "0", "--no-journal", "--theme", "nope"])
        #expect(r.code == 1)
        #expect(r.stderr == "calldash: --theme: no theme named \"nope\" (themes: dark, high-contrast, light, mono)\n")
    }
}
