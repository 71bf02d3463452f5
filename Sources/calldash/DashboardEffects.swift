import CallDashClient
import CallDashCore
import CallDashTerminal
import CallDashUI
import Dispatch
import Foundation
import Logging

/// Performs what the dashboard's `update` asks for and posts the results back as events.
/// Runs on the UI thread: anything slower than a journal read goes to another thread.
struct DashboardEffects: Sendable {
    let recorder: Recorder
    let dashboard: Dashboard
    let logger: Logger
    /// Where exports are written.
    let exportDirectory: String
    let webhooks: WebhookWatcher
    /// Sends Compose's tests.
    let pusher: Pusher
    /// The embedded (or followed) receiver, where "send to itself" goes, and its `--token`.
    let selfURL: String
    let selfToken: String?

    func perform(_ effect: Effect) {
        switch effect {
        case .loadRecord(let summary):
            do {
                dashboard.post(.recordLoaded(seq: summary.seq, .success(try recorder.record(for: summary))))
            } catch {
                dashboard.post(.recordLoaded(seq: summary.seq, .failure(LoadFailure(error.description))))
            }
        case .open(let url):
            open(url)
        case .computeStats(let job):
            // A scan of the whole store, like a search: off the UI thread.
            let dashboard = dashboard
            DispatchQueue.global(qos: .userInitiated).async { dashboard.post(.statsComputed(job.run())) }
        case .exportCampaign(let csv):
            exportCampaign(csv)
        case .search(let job):
            // A scan of the whole store: never on the UI thread, which shows the answer when it comes.
            let dashboard = dashboard
            DispatchQueue.global(qos: .userInitiated).async { dashboard.post(.searched(job.run())) }
        case .check(let seq, let url):
            let dashboard = dashboard
            Task {
                dashboard.post(.urlChecked(seq: seq, await URLChecker.check(url)))
            }
        case .export(let format, let seqs):
            let snapshot = recorder.store.snapshot()
            DispatchQueue.global().async { export(format, seqs, snapshot) }
        case .reloadWebhooks:
            webhooks.reload() // a change reaches the dashboard through the watcher's listener
        case .saveWebhook(let webhook, let file, let expected, let overwrite):
            let result = Result { () throws(WebhookFolder.Failure) in
                try webhooks.folder.save(webhook, to: file, expected: expected, overwriting: overwrite)
            }
            switch result {
            case .success:
                logger.info("saved webhook \(webhook.id) to \(file)")
                webhooks.registry.forgetDraft(id: webhook.id)
            case .failure(let f):
                logger.warning("webhook \(webhook.id) not saved: \(f.description)")
            }
            dashboard.post(.webhookSaved(file: file, webhook, result))
            perform(.reloadWebhooks)
        case .deleteWebhook(let file, let expected):
            var failure: WebhookFolder.Failure?
            let id = webhooks.entries.first { $0.path == file }?.id
            do { try webhooks.folder.delete(file, expected: expected) } catch { failure = error }
            if failure == nil, let id { webhooks.registry.forgetDraft(id: id) }
            dashboard.post(.webhookDeleted(file: file, failure: failure))
            perform(.reloadWebhooks)
        case .sendTest(var request, let webhook, let toSelf):
            if toSelf {
                webhooks.registry.include(draft: webhook)
                // A receiver with --token takes deliveries only with it: the webhook's own
                // Authorization is for its URL, not for this receiver.
                if let selfToken { request.authorize(bearer: selfToken) }
            }
            let (dashboard, pusher, logger, base) = (dashboard, pusher, logger, toSelf ? selfURL : nil)
            Task {
                let verdict = await pusher.sendOnce(request, to: base, timeout: .seconds(10))
                // Sent to itself, the request went to this receiver, not to the webhook's URL.
                let target = base.map { "CallDash itself (\($0))" } ?? request.maskedURL
                logger.info("test send \(request.method) to \(target): \(verdict.status.map { "HTTP \($0)" } ?? verdict.failure ?? "")")
                dashboard.post(.testSent(verdict, toSelf: toSelf))
            }
        case .replay(let request, let seq):
            let (dashboard, pusher, logger) = (dashboard, pusher, logger)
            Task {
                let verdict = await pusher.sendOnce(request, timeout: .seconds(10))
                logger.info("replay of \(seq) to \(request.url): \(verdict.status.map { "HTTP \($0)" } ?? verdict.failure ?? "")")
                dashboard.post(.replayed(seq: seq, verdict))
            }
        case .quit, .copy, .editBody:
            break // the UI thread does these: they use the terminal
        }
    }

    /// Opens an http(s) URL with `$BROWSER` or `xdg-open`, never through a shell.
    private func open(_ url: String) {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            dashboard.post(.message("not opening \(url.prefix(40)): only http and https URLs are opened", isError: true))
            return
        }
        let env = ProcessInfo.processInfo.environment
        var command: [String]?
        if let browser = env["BROWSER"]?.split(separator: ":").first.map(String.init), !browser.isEmpty {
            let words = browser.split(separator: " ").map(String.init)
            command = words.contains("%s") ? words.map { $0 == "%s" ? url : $0 } : words + [url]
        } else if let xdg = Self.find("xdg-open", in: env["PATH"] ?? "/usr/bin:/bin") {
            command = [xdg, url]
        }
        guard let command else {
            dashboard.post(.message("no browser to open it: set $BROWSER or install xdg-utils (y copies the URL)", isError: true))
            return
        }
        guard let program = command.first.flatMap({ $0.hasPrefix("/") ? $0 : Self.find($0, in: env["PATH"] ?? "") }),
            FileManager.default.isExecutableFile(atPath: program)
        else {
            dashboard.post(
                .message("cannot open it: $BROWSER names \(command[0]), which is not a program here (y copies the URL)", isError: true))
            return
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = Array(command.dropFirst())
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do {
            try p.run()
            dashboard.post(.message("opened with \((program as NSString).lastPathComponent)", isError: false))
        } catch {
            dashboard.post(.message("could not start \(program): \(error.localizedDescription)", isError: true))
        }
    }

    static func find(_ name: String, in path: String) -> String? {
        path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A new file in `exportDirectory` named for the time, `calldash-<kind>-<time><suffix>`;
    /// nil, with the reason on the bar, when it cannot be made.
    private func exportFile(_ kind: String, suffix: String) -> (fd: Int32, path: String)? {
        let stamp = Timestamp.now().civil(offset: TimeZone.current.secondsFromGMT())
            .replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "").replacingOccurrences(of: " ", with: "-")
        let path = "\(exportDirectory)/calldash-\(kind)-\(stamp)\(suffix)"
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            dashboard.post(.message("export failed: cannot create \(path): \(String(cString: strerror(errno)))", isError: true))
            return nil
        }
        return (fd, path)
    }

    /// Writes the Campaign table shown to a new CSV file.
    private func exportCampaign(_ csv: String) {
        guard let (fd, path) = exportFile("campaign", suffix: ".csv") else { return }
        defer { close(fd) }
        let failure = FileDescriptorOutput.writeAll(fd, Array(csv.utf8))
        guard failure == 0 else {
            dashboard.post(.message("export to \(path) failed: \(String(cString: strerror(failure)))", isError: true))
            return
        }
        let name = (path as NSString).lastPathComponent
        dashboard.post(
            .message("exported the table to \(name) (in \(Paths.short((path as NSString).deletingLastPathComponent)))", isError: false))
    }

    /// Writes the reports shown, in the order shown, to a new file in `exportDirectory`.
    private func export(_ format: ExportFormat, _ seqs: [UInt64], _ snapshot: StoreSnapshot) {
        guard let (fd, path) = exportFile("export", suffix: format.fileSuffix) else { return }
        defer { close(fd) }
        var buffer: [UInt8] = format == .jsonLines ? [] : Array(CSVExport.header.utf8)
        var written = 0
        var missing = 0
        var failure: Int32 = 0
        for seq in seqs {
            guard let i = snapshot.index(ofSeq: seq) else {
                missing += 1
                continue
            }
            let summary = snapshot[i]
            switch format {
            case .csv:
                buffer += CSVExport.row(summary).utf8
            case .spreadsheet:
                buffer += CSVExport.row(summary, forSpreadsheets: true).utf8
            case .jsonLines:
                guard let line = try? recorder.line(for: summary) else {
                    missing += 1
                    continue
                }
                buffer += line
                buffer.append(0x0A)
            }
            written += 1
            if buffer.count >= 1 << 20 {
                failure = FileDescriptorOutput.writeAll(fd, buffer)
                if failure != 0 { break }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if failure == 0 { failure = FileDescriptorOutput.writeAll(fd, buffer) }
        guard failure == 0 else {
            dashboard.post(.message("export to \(path) failed: \(String(cString: strerror(failure)))", isError: true))
            return
        }
        let note = missing > 0 ? " (\(missing) no longer held)" : ""
        logger.info("exported \(written) reports to \(path)")
        // The file's name first, so a narrow bar cuts the folder, not the name.
        let name = (path as NSString).lastPathComponent
        let folder = Paths.short((path as NSString).deletingLastPathComponent)
        dashboard.post(.message("exported \(CallText.count(written)) calls to \(name)\(note) (in \(folder))", isError: false))
    }
}
