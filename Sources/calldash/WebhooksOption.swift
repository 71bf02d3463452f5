import ArgumentParser
import CallDashCore

/// `--webhooks DIR`: the compose webhooks folder, for every command that reads it.
struct WebhooksOption: ParsableArguments {
    @Option(help: ArgumentHelp("Folder of compose webhook files (default: $XDG_CONFIG_HOME/calldash/webhooks).", valueName: "dir"))
    var webhooks: String?

    var path: String { webhooks ?? Paths.defaultWebhooks }

    /// The webhook `--webhook` names: a .json file, or an id in the folder.
    func load(_ choice: String) throws -> Webhook {
        let file: String
        if choice.contains("/") || choice.hasSuffix(".json") {
            file = choice
        } else {
            guard let id = Int(choice) else { throw Failure("--webhook: \"\(choice)\" is neither an id nor a .json file") }
            file = WebhookFolder(path: path).file(for: id)
        }
        guard let entry = WebhookFolder.entry(file: file) else {
            let hint = file == choice ? "" : " (--webhooks DIR names another folder)"
            throw Failure("cannot read the webhook file \(file)\(hint)")
        }
        do { return try entry.content.get() } catch { throw Failure(error.description) }
    }
}
