import CallDashCore
import Foundation

extension SecretSource {
    /// The secrets of this process's environment.
    static var process: SecretSource { SecretSource(environment: ProcessInfo.processInfo.environment) }
}
