import CallDashCore

/// Compose's saving, deleting and sending, and what comes back from them: the folder read again,
/// a file changed on disk, a test's verdict.
extension ComposeState {
    // MARK: saving and sending

    mutating func save(overwrite: Bool) -> [Effect] {
        guard let d = self.draft else {
            tell("nothing to save: open a webhook or n for a new one", isError: true)
            return []
        }
        if let e = preview.error, !e.isAboutValues {
            // A mistake in the template would be saved into the file; a secret not set here would not.
            tell("not saved: \(e.description)", isError: true)
            return []
        }
        if d.changedOnDisk, !overwrite {
            modals.push(.confirm(.overwrite))
            return []
        }
        return [.saveWebhook(d.webhook, file: d.file, expected: d.stamp, overwrite: overwrite)]
    }

    mutating func sendTest(toSelf: Bool) -> [Effect] {
        guard let d = self.draft else {
            tell("open a webhook first", isError: true)
            return []
        }
        guard let request = preview.request else {
            tell("cannot send: \(preview.error?.description ?? "nothing rendered")", isError: true)
            return []
        }
        if let why = request.unsendable {
            tell("not sent: \(why)", isError: true)
            return []
        }
        if case .sending = test {
            tell("a test is still on its way")
            return []
        }
        test = .sending(toSelf: toSelf)
        return [.sendTest(request, webhook: d.webhook, toSelf: toSelf)]
    }

    mutating func handle(_ event: AppEvent) {
        switch event {
        case .webhooksLoaded(let entries):
            self.entries = entries
            listCursor = min(listCursor, max(0, entries.count - 1))
            noticeDiskChanges()
        case .webhookSaved(let file, let webhook, let result):
            switch result {
            case .success(let stamp):
                if draft?.file == file {
                    draft?.stamp = stamp
                    draft?.saved = webhook
                    draft?.changedOnDisk = false
                }
                tell("saved \(webhook.name) to \(WebhookFolder.fileName(file))")
            case .failure(let f):
                if f.changedOnDisk, draft?.file == file { draft?.changedOnDisk = true }
                tell("not saved: \(f.description)", isError: true)
            }
        case .webhookDeleted(let file, let failure):
            if let failure {
                tell("not deleted: \(failure.description)", isError: true)
            } else {
                if draft?.file == file {
                    draft = nil
                    refreshPreview()
                }
                tell("deleted \(WebhookFolder.fileName(file))")
            }
        case .testSent(let verdict, let toSelf):
            test = .done(verdict, toSelf: toSelf)
        default:
            break
        }
    }

    /// A file changed on disk under the open draft: taken in when nothing would be lost,
    /// else flagged, so saving asks before overwriting it.
    mutating func noticeDiskChanges() {
        guard let d = self.draft, d.saved != nil else { return }
        let entry = entries.first { $0.path == d.file }
        guard entry?.stamp != d.stamp else { return }
        if let entry, case .success(let w) = entry.content, w == d.webhook {
            // The file holds what the editor holds (our own save, read before its answer came).
            draft = Draft(webhook: w, file: d.file, stamp: entry.stamp, saved: w)
            return
        }
        // A row being typed counts as a change: reloading under it would write into another row.
        if !d.isDirty, modals.editing == nil, let entry, case .success(let w) = entry.content {
            draft = Draft(webhook: w, file: d.file, stamp: entry.stamp, saved: w)
            clampRow()
            refreshPreview()
            tell("\(WebhookFolder.fileName(d.file)) changed on disk: reloaded")
        } else if !d.changedOnDisk {
            draft?.changedOnDisk = true
            tell(
                "\(WebhookFolder.fileName(d.file)) \(entry == nil ? "was deleted" : "changed") on disk: R reloads it, s asks before overwriting",
                isError: true)
        }
    }
}
