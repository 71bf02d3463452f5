import CallDashCore
import Foundation

/// Finds the webhook `--webhook` names: a .json file, or an id in the webhooks folder.
enum WebhookFiles {
    static func load(_ choice: String, folder: String?) throws -> Webhook {
        let path: String
        if choice.contains("/") || choice.hasSuffix(".json") {
            path = choice
        } else {
            guard Int(choice) != nil else { throw Failure("--webhook: \"\(choice)\" is neither an id nor a .json file") }
            path = (folder ?? Paths.defaultWebhooks) + "/\(choice).json"
        }
        guard let bytes = FileManager.default.contents(atPath: path) else {
            let hint = path == choice ? "" : " (--webhooks DIR names another folder)"
            throw Failure("cannot read the webhook file \(path)\(hint)")
        }
        do { return try Webhook(file: Array(bytes), path: path) } catch { throw Failure(error.description) }
    }
}
