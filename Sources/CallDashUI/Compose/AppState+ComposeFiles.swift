import CallDashCore

/// Compose's saving, deleting and sending, and what comes back from them: the folder read again,
/// a file changed on disk, a test's verdict.
extension AppState {
    // MARK: saving and sending

    mutating func save(overwrite: Bool) -> [Effect] {
        guard let d = compose.draft else {
            say("nothing to save: open a webhook or n for a new one", isError: true)
            return []
        }
        if let e = compose.preview.error, !e.isAboutValues {
            // A mistake in the template would be saved into the file; a secret not set here would not.
            say("not saved: \(e.description)", isError: true)
            return []
        }
        if d.changedOnDisk, !overwrite {
            modals.push(.confirm(.overwrite))
            return []
        }
        return [.saveWebhook(d.webhook, file: d.file, expected: d.stamp, overwrite: overwrite)]
    }

    mutating func sendTest(toSelf: Bool) -> [Effect] {
        guard let d = compose.draft else {
            say("open a webhook first", isError: true)
            return []
        }
        guard let request = compose.preview.request else {
            say("cannot send: \(compose.preview.error?.description ?? "nothing rendered")", isError: true)
            return []
        }
        if let why = request.unsendable {
            say("not sent: \(why)", isError: true)
            return []
        }
        if case .sending = compose.test {
            say("a test is still on its way")
            return []
        }
        compose.test = .sending(toSelf: toSelf)
        return [.sendTest(request, webhook: d.webhook, toSelf: toSelf)]
    }

    mutating func composeEvent(_ event: AppEvent) {
        switch event {
        case .webhooksLoaded(let entries):
            compose.entries = entries
            compose.listCursor = min(compose.listCursor, max(0, entries.count - 1))
            noticeDiskChanges()
        case .webhookSaved(let file, let webhook, let result):
            switch result {
            case .success(let stamp):
                if compose.draft?.file == file {
                    compose.draft?.stamp = stamp
                    compose.draft?.saved = webhook
                    compose.draft?.changedOnDisk = false
                }
                say("saved \(webhook.name) to \(WebhookFolder.fileName(file))")
            case .failure(let f):
                if f.changedOnDisk, compose.draft?.file == file { compose.draft?.changedOnDisk = true }
                say("not saved: \(f.description)", isError: true)
            }
        case .webhookDeleted(let file, let failure):
            if let failure {
                say("not deleted: \(failure.description)", isError: true)
            } else {
                if compose.draft?.file == file {
                    compose.draft = nil
                    refreshPreview()
                }
                say("deleted \(WebhookFolder.fileName(file))")
            }
        case .testSent(let verdict, let toSelf):
            compose.test = .done(verdict, toSelf: toSelf)
        default:
            break
        }
    }

    /// A file changed on disk under the open draft: taken in when nothing would be lost,
    /// else flagged, so saving asks before overwriting it.
    mutating func noticeDiskChanges() {
        guard let d = compose.draft, d.saved != nil else { return }
        let entry = compose.entries.first { $0.path == d.file }
        guard entry?.stamp != d.stamp else { return }
        if let entry, case .success(let w) = entry.content, w == d.webhook {
            // The file holds what the editor holds (our own save, read before its answer came).
            compose.draft = Draft(webhook: w, file: d.file, stamp: entry.stamp, saved: w)
            return
        }
        if !d.isDirty, let entry, case .success(let w) = entry.content {
            compose.draft = Draft(webhook: w, file: d.file, stamp: entry.stamp, saved: w)
            clampRow()
            refreshPreview()
            say("\(WebhookFolder.fileName(d.file)) changed on disk: reloaded")
        } else if !d.changedOnDisk {
            compose.draft?.changedOnDisk = true
            say(
                "\(WebhookFolder.fileName(d.file)) \(entry == nil ? "was deleted" : "changed") on disk: R reloads it, s asks before overwriting",
                isError: true)
        }
    }
}
