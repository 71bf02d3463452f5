import CallDashCore
import Foundation
import Testing

@testable import CallDashUI

let crmFile = """
    { "id": 7, "name": "crm", "method": "POST", "format": "json",
      "url": "https://crm.example/ack?call_id={{id}}&status={{status}}",
      "headers": [ { "name": "Authorization", "value": "Bearer %token%" } ],
      "body": [ { "key": "to", "value": "{{to}}" },
                { "key": "status", "value": "{{status}}" } ] }
    """

/// A webhooks folder with the provider's example webhook and one broken file; snapshots name
/// theirs, since the header shows the folder.
func webhooksFolder(broken: Bool = true, named name: String? = nil) -> String {
    let dir = name.map { "/tmp/calldash-snapshot-\($0)" } ?? NSTemporaryDirectory() + "calldash-compose-" + UUID().uuidString
    try? FileManager.default.removeItem(atPath: dir)
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try! crmFile.write(toFile: dir + "/7.json", atomically: true, encoding: .utf8)
    if broken { try! "{\"url\": \"x\",\n \"method\": \"DELETE\"}".write(toFile: dir + "/9.json", atomically: true, encoding: .utf8) }
    return dir
}

/// The dashboard with calls and a webhooks folder, switched to Compose.
func composeHarness(width: Int = 120, height: Int = 40, folder: String = webhooksFolder()) -> Harness {
    var h = Harness(mixedRecorder(), width: width, height: height, webhooks: folder, secrets: ["CALLDASH_SECRET_TOKEN": "s3cr3t"])
    h.press(.char("c"))
    return h
}

extension Harness {
    /// The preview pane's text.
    var preview: String { state.compose.preview.lines.map(\.text).joined(separator: "\n") }

    /// Moves the editor cursor to `row` (0 name, 1 url, 2 method, 3 format, then headers and body keys).
    mutating func editorRow(_ row: Int) {
        press(.char("g"))
        for _ in 0..<row { press(.char("j")) }
    }
}

@Suite("Compose screen snapshots")
struct ComposeSnapshotTests {
    @Test func composeAt120x40ShowsTheListTheEditorAndTheExactRequestForTheSelectedCall() {
        let h = composeHarness(folder: webhooksFolder(named: "120"))
        assertSnapshot(h.text, named: "compose-120x40")
        #expect(h.text.contains("POST /ack?call_id=5786-9668-00020&status=ANSWER HTTP/1.1"))
        #expect(h.text.contains("Authorization: Bearer ••••••"))
        #expect(!h.text.contains("s3cr3t"))
    }

    @Test func composeAt80x24KeepsEveryPaneReadable() {
        let h = composeHarness(width: 80, height: 24, folder: webhooksFolder(named: "80"))
        assertSnapshot(h.text, named: "compose-80x24")
    }

    @Test func aTypoIsExplainedUnderThePreviewAndUnderlinedWhereItIs() {
        var h = composeHarness(folder: webhooksFolder(named: "error"))
        h.editorRow(1)
        h.press(.enter, .end)
        h.type("&x={{stauts}}")
        assertSnapshot(h.text, named: "compose-error-120x40")
        #expect(h.text.contains("✗ url, column 62: unknown variable {{stauts}}"))
        #expect(h.text.contains("did you mean {{status}}?"))
        // The misspelt name is drawn in the error style, where it is in the URL.
        let screen = h.screen
        let y = screen.lines.firstIndex { $0.contains("&x={{stauts}}") }!
        let x = screen.lines[y].distance(from: screen.lines[y].startIndex, to: screen.lines[y].firstRange(of: "stauts")!.lowerBound)
        #expect(screen[x, y].style == h.state.theme[.editorError].over(h.state.theme[.detailValue]))
        #expect(screen[x - 2, y].style != screen[x, y].style)
    }
}

@Suite("Compose: editing, keystroke by keystroke")
struct ComposeUpdateTests {
    @Test func eachKeystrokeInTheUrlRedrawsThePreview() {
        var h = composeHarness()
        h.editorRow(1)
        h.press(.enter, .end)
        h.type("&d=")
        #expect(h.preview.contains("&status=ANSWER&d= HTTP/1.1"))
        h.type("{{duration}}")
        #expect(h.preview.contains("&status=ANSWER&d=150 HTTP/1.1"))
        h.press(.ctrl("w"))
        #expect(h.preview.contains("&d= HTTP/1.1") || h.state.compose.preview.error != nil)
    }

    @Test func renamingStatusToMessageStatusAndSavingWritesTheFileAtomically() throws {
        let folder = webhooksFolder(broken: false)
        var h = composeHarness(folder: folder)
        h.editorRow(6) // body key "status"
        h.press(.char("r"), .ctrl("u"))
        h.type("message_status")
        h.press(.enter)
        #expect(h.preview.contains(#""message_status":"ANSWER""#))
        #expect(h.text.contains("● unsaved"))
        h.press(.char("s"))
        let saved = try Webhook(file: Array(FileManager.default.contents(atPath: folder + "/7.json")!), path: "7.json")
        #expect(saved.body.map(\.name) == ["to", "message_status"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["7.json"])
        #expect(h.text.contains("saved crm to 7.json"))
        #expect(!String(decoding: FileManager.default.contents(atPath: folder + "/7.json")!, as: UTF8.self).contains("s3cr3t"))
    }

    @Test func newDuplicateAndDeleteWithConfirmation() throws {
        let folder = webhooksFolder(broken: false)
        var h = composeHarness(folder: folder)
        h.press(.char("n"))
        #expect(h.state.compose.draft?.webhook.id == 8)
        h.press(.char("s"))
        #expect(FileManager.default.fileExists(atPath: folder + "/8.json"))
        h.press(.char("Y"), .char("s"))
        #expect(FileManager.default.fileExists(atPath: folder + "/9.json"))
        h.press(.char("X"))
        #expect(h.text.contains("Delete webhook 8 copy (9.json)? y deletes"))
        h.press(.char("n"))
        #expect(FileManager.default.fileExists(atPath: folder + "/9.json"))
        h.press(.char("X"), .char("y"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/9.json"))
        #expect(h.state.compose.entries.map(\.id) == [7, 8])
    }

    @Test func aBrokenFileIsListedWithItsLineAndNeverOpenedForEditing() {
        var h = composeHarness()
        h.press(.tab, .tab) // editor → preview → list
        h.press(.char("j"), .enter)
        #expect(h.text.contains("✗ 9.json broken"))
        #expect(h.text.contains("line 2: unknown method \"DELETE\""))
        #expect(h.state.compose.draft == nil)
        h.press(.char("s"))
        #expect(h.state.message?.isError == true)
    }

    @Test func aFileChangedOnDiskUnderUnsavedChangesIsNoticedAndSavingAsksFirst() throws {
        let folder = webhooksFolder(broken: false)
        var h = composeHarness(folder: folder)
        h.editorRow(0)
        h.press(.enter)
        h.type(" mine")
        h.press(.enter)
        let byHand = crmFile.replacingOccurrences(of: "\"crm\"", with: "\"crm by hand\"")
        try byHand.write(toFile: folder + "/7.json", atomically: true, encoding: .utf8)
        h.send(.webhooksLoaded(WebhookFolder(path: folder).load()))
        #expect(h.text.contains("changed on disk"))
        h.press(.char("s"))
        #expect(h.text.contains("7.json changed on disk since it was read. y overwrites it"))
        h.press(.char("n"))
        #expect(try String(contentsOfFile: folder + "/7.json", encoding: .utf8) == byHand)
        h.press(.char("s"), .char("y"))
        #expect(try String(contentsOfFile: folder + "/7.json", encoding: .utf8).contains("\"crm mine\""))
    }

    @Test func anUnchangedDraftTakesInAHandEditAtOnce() throws {
        let folder = webhooksFolder(broken: false)
        var h = composeHarness(folder: folder)
        try crmFile.replacingOccurrences(of: "\"crm\"", with: "\"renamed\"").write(
            toFile: folder + "/7.json", atomically: true, encoding: .utf8)
        h.send(.webhooksLoaded(WebhookFolder(path: folder).load()))
        #expect(h.state.compose.draft?.webhook.name == "renamed")
        #expect(h.text.contains("7.json changed on disk: reloaded"))
    }

    @Test func thePaletteShowsTheCallsValuesAndInsertsAtTheCursor() {
        var h = composeHarness()
        h.editorRow(1)
        h.press(.enter, .home)
        h.press(.ctrl("p"))
        #expect(h.text.contains("{{bridge}}"))
        #expect(h.text.contains("918068280000"))
        h.press(.char("j"), .enter) // webhook_id, then bridge
        #expect(h.state.compose.draft?.webhook.url.hasPrefix("{{bridge}}https://") == true)
    }

    @Test func headersAreAddedRemovedAndReordered() {
        var h = composeHarness()
        h.press(.char("A"))
        h.type("X-Call")
        h.press(.tab)
        h.type("{{mid}}")
        h.press(.enter)
        #expect(h.preview.contains("X-Call: 5786-9668-00020"))
        h.press(.char("K"))
        #expect(h.state.compose.draft?.webhook.headers.map(\.name) == ["X-Call", "Authorization"])
        h.press(.char("d"))
        #expect(h.state.compose.draft?.webhook.headers.map(\.name) == ["Authorization"])
        h.press(.char("u"))
        #expect(h.state.compose.draft?.webhook.headers.map(\.name) == ["X-Call", "Authorization"])
    }

    @Test func methodAndFormatCycleAndGetMovesBodyKeysToTheQuery() {
        var h = composeHarness()
        h.editorRow(2)
        h.press(.char(" "), .char(" ")) // POST → PUT → GET
        #expect(h.preview.contains("GET /ack?call_id=5786-9668-00020&status=ANSWER&to=919876500020&status=ANSWER HTTP/1.1"))
        h.editorRow(3)
        h.press(.right)
        h.editorRow(2)
        h.press(.left)
        #expect(h.state.compose.draft?.webhook.method == .put)
        #expect(h.preview.contains("to=919876500020&status=ANSWER"))
        #expect(h.preview.contains("Content-Type: application/x-www-form-urlencoded"))
    }

    @Test("a send to itself says it is mapped back through the saved webhook, and that unsaved changes are not")
    func sendToItselfSaysWhatIsMappedBack() {
        let delivered = TestSend.done(SendVerdict(status: 200, millis: 2, reply: ""), toSelf: true)
        func hint(unsaved: Bool) -> [String] {
            ComposePreviewView.verdict(delivered, masking: SecretRedactor(secrets: []), unsaved: unsaved).map(\.text)
        }
        #expect(
            hint(unsaved: false).contains(
                "  Esc shows it in Calls, mapped back through this webhook by a receiver whose webhooks folder has it"))
        #expect(
            hint(unsaved: true).contains(
                "  Esc shows it in Calls, mapped back through this webhook's saved file, not these unsaved changes"))
        let test = ComposePreviewView.verdict(
            .done(SendVerdict(status: 200, millis: 2, reply: ""), toSelf: false), masking: SecretRedactor(secrets: []), unsaved: true)
        #expect(!test.map(\.text).contains { $0.contains("mapped back") }, "a test to the webhook's own URL is not seen here")
    }

    @Test func aTestIsSentOnlyWhenTheTemplateRendersAndTheVerdictIsShown() {
        var h = composeHarness()
        h.press(.char("P"))
        guard case .sendTest(let request, let webhook, let toSelf) = h.effects.last else {
            Issue.record("no send effect")
            return
        }
        #expect(!toSelf && webhook.id == 7 && request.headers.contains(NameValue("Authorization", "Bearer s3cr3t")))
        #expect(h.text.contains("sending a test…"))
        h.send(.testSent(SendVerdict(status: 500, millis: 12, reply: "{\"error\":\"nope\"}"), toSelf: false))
        #expect(h.text.contains("✗ test → 500 in 12 ms: not delivered: the provider counts only 200 and 202"))
        #expect(h.text.contains("reply: {\"error\":\"nope\"}"))
        h.send(.testSent(SendVerdict(status: nil, millis: 3001, failure: "no connection within 3 s"), toSelf: false))
        #expect(h.text.contains("✗ test: not delivered: no connection within 3 s (3001 ms)"))
        h.editorRow(1)
        h.press(.enter, .end)
        h.type("{{")
        h.press(.enter)
        let sends = h.effects.count
        h.press(.char("T"))
        #expect(h.effects.count == sends)
        #expect(h.state.message?.text.hasPrefix("cannot send: url, column") == true)
    }

    @Test func anUnsetSecretNamesTheVariableToExportAndDoesNotStopASave() {
        let folder = webhooksFolder(broken: false)
        var h = Harness(mixedRecorder(), webhooks: folder)
        h.press(.char("c"))
        #expect(h.text.contains("secret %token% is not set: export CALLDASH_SECRET_TOKEN"))
        #expect(h.text.contains("the webhook can still be saved"))
        h.editorRow(0)
        h.press(.enter)
        h.type("!")
        h.press(.enter, .char("s"))
        #expect(h.text.contains("saved crm! to 7.json"))
    }

    @Test func aSecretWrittenWrongIsAMistakeThatIsNotSaved() {
        let folder = webhooksFolder(broken: false)
        var h = composeHarness(folder: folder)
        h.editorRow(4) // the Authorization header
        h.press(.enter, .end, .backspace)
        h.press(.enter, .char("s"))
        #expect(h.text.contains("secret %token is not closed: write %token%"))
        #expect(h.state.message?.text.hasPrefix("not saved: header Authorization, column 8") == true)
        #expect(try! String(contentsOfFile: folder + "/7.json", encoding: .utf8).contains("Bearer %token%"))
    }

    @Test func xDeletesABrokenFileUnderTheListCursor() {
        let folder = webhooksFolder()
        var h = composeHarness(folder: folder)
        h.press(.tab, .tab, .char("j"), .enter)
        #expect(h.state.compose.draft == nil)
        h.press(.char("X"))
        #expect(h.text.contains("Delete 9.json? y deletes"))
        h.press(.char("y"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/9.json"))
    }

    @Test func aVerdictIsMarkedOnceTheRequestChangesAndGoesWhenAnotherWebhookOpens() {
        var h = composeHarness()
        h.press(.char("P"))
        h.send(.testSent(SendVerdict(status: 200, millis: 3, reply: ""), toSelf: false))
        #expect(h.text.contains("✓ test → 200 in 3 ms"))
        h.editorRow(1)
        h.press(.enter, .end)
        h.type("&x=1")
        h.press(.enter)
        #expect(h.text.contains("(an earlier version of the request) test → 200 in 3 ms"))
        h.press(.char("n"), .char("y")) // y: the unsaved change may go
        #expect(!h.text.contains("test → 200"))
    }

    @Test func enteringComposeShowsItsKeysNotAMessageFromCalls() {
        var h = Harness(mixedRecorder(), webhooks: webhooksFolder())
        h.press(.char("f"))
        #expect(h.state.message?.text == "following the newest call")
        h.press(.char("c"))
        #expect(h.state.message == nil)
        #expect(h.screen.lines.last?.contains("Esc back to calls") == true)
    }

    @Test func anUnsetSecretShowsAPlaceholderInTheWholePreviewAndOnlySendingIsBlocked() {
        var h = Harness(mixedRecorder(), webhooks: webhooksFolder())
        h.press(.char("c"))
        #expect(h.preview.contains("Authorization: Bearer ‹unset CALLDASH_SECRET_TOKEN›"))
        #expect(h.preview.contains("POST /ack"), "the request line and body are still shown")
        #expect(h.text.contains("⚠ secret %token% is not set: export CALLDASH_SECRET_TOKEN"))
        h.press(.char("P"))
        #expect(!h.effects.contains { if case .sendTest = $0 { true } else { false } })
        #expect(h.state.message?.text == "not sent: secret %token% is not set: export CALLDASH_SECRET_TOKEN")
    }

    @Test func anErrorInTheSecondOfTwoHeadersWithOneNameMarksThatRowOnly() {
        let hook = Webhook(
            id: 1, name: "t", method: .post, format: .json, url: "https://x/a",
            headers: [NameValue("X-Tag", "ok"), NameValue("X-Tag", "{{stauts}}")])
        var error: TemplateError?
        do { _ = try hook.render(.sample, secrets: SecretSource(environment: [:])) } catch let e { error = e }
        #expect(error?.location == .headerValue(1, name: "X-Tag"))
        #expect(error?.description == "header X-Tag, column 3: unknown variable {{stauts}} (did you mean status?)")
        #expect(EditorRow.header(1).errorColumn(error) == 3)
        #expect(EditorRow.header(0).errorColumn(error) == nil)
        #expect(EditorRow.url.errorColumn(error) == nil)
    }

    @Test func xOnAHighlightedBrokenFileDeletesThatFileNotTheOpenOne() {
        let folder = webhooksFolder()
        var h = composeHarness(folder: folder)
        #expect(h.state.compose.draft?.file.hasSuffix("7.json") == true)
        h.press(.tab, .tab, .char("j")) // the list has focus, its highlight on the broken 9.json
        h.press(.char("X"))
        #expect(h.text.contains("Delete 9.json? y deletes"))
        h.press(.char("y"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/9.json"))
        #expect(FileManager.default.fileExists(atPath: folder + "/7.json"))
    }

    @Test func escCancelsAnEditAndPutsTheValueBackEnterKeepsIt() {
        var h = composeHarness()
        h.editorRow(0)
        h.press(.enter)
        h.type(" XYZ")
        #expect(h.state.compose.draft?.webhook.name == "crm XYZ")
        h.press(.escape)
        #expect(h.state.compose.draft?.webhook.name == "crm")
        #expect(h.state.compose.draft?.isDirty == false)
        h.press(.enter)
        h.type("!")
        h.press(.enter)
        #expect(h.state.compose.draft?.webhook.name == "crm!")
    }

    @Test func escOnANewBodyKeyTakesTheRowAwayAgain() {
        var h = composeHarness()
        let before = h.state.compose.draft?.webhook.body.count
        h.press(.char("a"))
        h.type("extra")
        h.press(.escape)
        #expect(h.state.compose.draft?.webhook.body.count == before)
    }

    @Test func aNewUnsavedWebhookCanBeDiscarded() {
        var h = composeHarness()
        h.press(.char("n"))
        #expect(h.state.compose.draft?.stamp == nil)
        h.press(.char("X"))
        #expect(h.text.contains("Discard the new webhook"))
        h.press(.char("y"))
        #expect(h.state.compose.draft == nil)
        #expect(h.state.message?.text == "discarded the new webhook")
    }

    @Test func aNewHeaderGoesFromItsNameToItsValueOnEnter() {
        var h = composeHarness()
        h.press(.char("A"))
        h.type("X-Call")
        h.press(.enter)
        h.type("{{mid}}")
        h.press(.enter)
        #expect(h.state.compose.draft?.webhook.headers.last == NameValue("X-Call", "{{mid}}"))
        #expect(h.state.compose.modals.editing == nil)
    }

    @Test func escapeSequencesPastedIntoAFieldAreShownAsSymbols() {
        var h = composeHarness()
        h.editorRow(0)
        h.press(.enter, .paste("\u{1B}[2J\u{1B}]52;c;x\u{07}"))
        #expect(h.state.compose.draft?.webhook.name.hasSuffix("\u{1B}[2J\u{1B}]52;c;x\u{07}") == true)
        #expect(!h.text.contains("\u{1B}"))
        #expect(h.text.contains("␛[2J␛]52;c;x␇"))
    }

    @Test func aLongUrlScrollsSidewaysToKeepTheCursorInView() {
        var h = composeHarness(width: 80, height: 24)
        h.editorRow(1)
        h.press(.enter, .end)
        h.type("&tail=" + String(repeating: "x", count: 80) + "END")
        #expect(h.text.contains("xxxEND"))
        #expect(!h.text.contains("https://crm.example/ack?call_id"))
        h.press(.home)
        #expect(h.text.contains("https://crm.example/ack?call_id"))
    }

    @Test func escGoesBackToCallsAndCComesBackToTheSameDraft() {
        var h = composeHarness()
        h.editorRow(0)
        h.press(.enter)
        h.type("!")
        h.press(.enter, .escape)
        #expect(h.state.screen == .calls)
        h.press(.char("c"))
        #expect(h.state.compose.draft?.webhook.name == "crm!")
    }

    @Test func aClickPicksAWebhookOrAnEditorRowAndLeavesTheCallsListAlone() {
        var h = composeHarness()
        let cursor = h.state.cursor
        let y = h.screen.lines.firstIndex { $0.contains("9.json broken") }!
        h.send(.mouse(MouseEvent(.click, x: 2, y: y)))
        #expect(h.state.compose.focus == .list && h.state.compose.listCursor == 1)
        let urlY = h.screen.lines.firstIndex { $0.contains("URL      https://") }!
        h.send(.mouse(MouseEvent(.click, x: 40, y: urlY)))
        #expect(h.state.compose.focus == .editor && h.state.compose.currentRow == .url)
        #expect(h.state.cursor == cursor)
    }

    @Test func escapeResumesFollowingTheNewestCall() {
        var h = composeHarness()
        h.arrive([report(30, second: 30)])
        #expect(h.state.detail.record?.fields[.mid] == "5786-9668-00020")
        h.press(.escape)
        #expect(h.state.follow && h.state.detail.record?.fields[.mid] == "5786-9668-00030")
    }

    @Test func anotherCallIsPickedFromAShortListAndThePreviewFollowsIt() {
        var h = composeHarness()
        h.press(.char("C"))
        #expect(h.text.contains("Preview with which call?"))
        #expect(h.text.contains("#20      10:00:19 ANSWER      919876500019"), "aligned in the list's columns")
        h.press(.char("j"), .enter)
        #expect(h.state.compose.modals.callPicker == nil)
        #expect(h.text.contains("preview for call #20 ANSWER"))
        #expect(h.preview.contains("call_id=5786-9668-00019&status=ANSWER"))
    }

    @Test func thePickerSearchesTheCallsWithTheListsSearchAndPicksAFoundOne() {
        var h = composeHarness()
        h.press(.char("C"), .char("/"))
        h.type("busy")
        #expect(h.screen.lines.last?.hasPrefix(" /  busy ") == true, "the search is typed on Compose's bar: \(h.screen.lines.last ?? "")")
        h.press(.enter)
        #expect(h.state.compose.modals.callPicker != nil, "the picker stays open on what was found")
        #expect(h.text.contains("Preview with which call? /busy · 2 of 21"))
        #expect(h.text.contains("#13 ") && h.text.contains("#2 ") && !h.text.contains("#20 "))
        h.press(.char("j"), .enter)
        #expect(h.preview.contains("status=BUSY"))
        #expect(h.state.filter.text.isEmpty && h.state.visible.count == 21, "the picker's search was for the picker only")
        #expect(h.state.selectedSeq == 2, "Calls is on the call chosen")

        h.press(.char("C"), .char("/"))
        h.type("nosuchcall")
        h.press(.down) // moves in the picker once the search has answered, not in Calls behind it
        #expect(h.text.contains("No call matches /nosuchcall"))
        h.press(.enter)
        #expect(h.state.compose.modals.callPicker != nil, "nothing to choose: the picker stays")
        h.press(.escape)
        #expect(h.state.compose.modals.callPicker == nil)
        #expect(h.preview.contains("status=BUSY") && h.state.visible.count == 21, "Esc goes back to the call previewed before")
    }

    @Test func escFollowedAtOnceByAKeyCancelsTheLineAndRunsTheKey() {
        var h = composeHarness(folder: webhooksFolder(broken: false))
        h.editorRow(0)
        h.press(.enter)
        h.type("!")
        h.press(.alt("s"))
        #expect(h.state.compose.modals.editing == nil)
        #expect(h.text.contains("saved crm to 7.json"))
    }

    @Test func quittingWithUnsavedChangesAsksFirst() {
        var h = composeHarness()
        h.editorRow(0)
        h.press(.enter)
        h.type("!")
        h.press(.enter, .char("q"))
        #expect(!h.effects.contains(.quit))
        #expect(h.text.contains("y quits anyway"))
        h.press(.char("y"))
        #expect(h.effects.last == .quit)
    }
}

@Suite("Wrapping the preview and its notes")
struct WrapTests {
    @Test func sentencesBreakBetweenWordsAndWireTextAnywhere() {
        let note = StyledLine([("✗ secret %token% is not set: export CALLDASH_SECRET_TOKEN", .detailError)])
        #expect(note.wrapped(40, atWords: true).map(\.text) == ["✗ secret %token% is not set: export", "CALLDASH_SECRET_TOKEN"])
        #expect(note.wrapped(40).map(\.text) == ["✗ secret %token% is not set: export CALL", "DASH_SECRET_TOKEN"])
        // A word longer than a whole line fills the rest of the line it starts on.
        let long = StyledLine([("a " + String(repeating: "x", count: 12), .detailValue)])
        #expect(long.wrapped(8, atWords: true).map(\.text) == ["a xxxxxx", "xxxxxx"])
    }
}

@Suite("The line editor")
struct LineEditorTests {
    func edit(_ text: String, _ keys: Key...) -> LineEditor {
        var e = LineEditor(text)
        for k in keys { _ = e.handle(k) }
        return e
    }

    @Test func readlineKeysMoveAndDelete() {
        #expect(edit("hello world", .ctrl("a"), .char(">")).text == ">hello world")
        #expect(edit("hello world", .ctrl("w")).text == "hello ")
        #expect(edit("hello world", .ctrl("a"), .alt("f"), .ctrl("k")).text == "hello")
        #expect(edit("hello world", .alt("b"), .ctrl("u")).text == "world")
        #expect(edit("hello world", .home, .delete, .end, .backspace).text == "ello worl")
        #expect(edit("a{{status}}b", .wordLeft, .wordLeft).cursor == 3)
    }

    @Test func undoStepsBackAWholeRunOfTypingAtATime() {
        var e = edit("x", .char("a"), .char("b"), .char("c"), .left, .char("d"))
        #expect(e.text == "xabdc")
        _ = e.handle(.ctrl("z"))
        #expect(e.text == "xabc")
        _ = e.handle(.ctrl("z"))
        #expect(e.text == "x")
    }

    @Test func wideCharactersAndEmojiAreOneStepEach() {
        let e = edit("漢字👍🏽é", .left, .left, .backspace)
        #expect(e.text == "漢👍🏽é")
        #expect(e.cursor == 1)
    }

    @Test func aPasteIsInsertedWholeAndUndoneInOneStep() {
        var e = edit("ab", .left, .paste("{{to}}"))
        #expect(e.text == "a{{to}}b" && e.cursor == 7)
        _ = e.handle(.ctrl("z"))
        #expect(e.text == "ab")
    }
}

@Suite("Input decoding: bracketed paste and Alt")
struct InputDecoderTests {
    @Test func aPasteBecomesOneKeyEvenAcrossReads() {
        var d = InputDecoder()
        let start: [Key] = [.escape, .char("["), .char("2"), .char("0"), .char("0"), .char("~")]
        #expect(d.decode(start + [.char("q"), .enter, .char("x"), .escape, .char("[")]) == [])
        #expect(d.decode([.char("2"), .char("0"), .char("1"), .char("~"), .char("j")]) == [.paste("q\nx"), .char("j")])
    }

    @Test func escThenALetterInOneReadIsAlt() {
        var d = InputDecoder()
        #expect(d.decode([.escape, .char("b")]) == [.alt("b")])
        #expect(d.decode([.escape]) == [.escape])
        #expect(d.decode([.escape, .escape]) == [.escape, .escape])
    }
}

@Suite("Compose is a model of its own")
struct ComposeModelTests {
    @Test("it handles keys with only the context it reads, and asks the dashboard for the rest")
    func asksTheDashboard() {
        var c = ComposeState(folder: "", secrets: SecretSource(environment: [:]))
        let ctx = ComposeContext(cursor: 4, calls: 10, width: 120, height: 40)
        for (key, asked) in [
            (Key.char("]"), ComposeRequest.previewCall(row: 5)), (.char("["), .previewCall(row: 3)), (.char("?"), .help), (.escape, .back)
        ] {
            #expect(c.handle(key, ctx).isEmpty)
            #expect(c.takeRequests() == [asked], "\(key)")
        }
        _ = c.handle(.char("C"), ctx)
        #expect(c.modals.callPicker == 4, "the picker opens on the Calls cursor")
        _ = c.handle(.char("j"), ctx)
        _ = c.handle(.enter, ctx)
        #expect(c.takeRequests() == [.previewCall(row: 5), .pickerClosed] && c.modals.isEmpty)
    }
}

@Suite("The preview wraps visibly")
struct PreviewWrapTests {
    @Test("a wire line longer than the pane goes on with a marker, so it is not read as a line break")
    func wrappedLinesAreMarked() {
        let line = StyledLine([("POST /calls?id=6289-8545 HTTP/1.1", .detailValue)])
        #expect(line.wrapped(12, continuation: "↪ ").map(\.text) == ["POST /calls?", "↪ id=6289-85", "↪ 45 HTTP/1.", "↪ 1"])
        #expect(line.wrapped(12).map(\.text).first == "POST /calls?")
    }
}

@Suite("Compose under changes it did not make")
struct ComposeRaceTests {
    @Test("a file that goes away while its discard question is open is named, not opened (and nothing traps)")
    func discardThenOpenAVanishedFile() {
        let folder = webhooksFolder(broken: false)
        try! crmFile.replacingOccurrences(of: "\"id\": 7", with: "\"id\": 8").write(
            toFile: folder + "/8.json", atomically: true, encoding: .utf8)
        var h = composeHarness(folder: folder)
        h.editorRow(0)
        h.press(.enter)
        h.type("!")
        h.press(.enter, .tab, .tab, .char("j"), .enter) // open 8.json over unsaved changes: the question
        #expect(h.text.contains("will be lost"))
        try! FileManager.default.removeItem(atPath: folder + "/8.json")
        h.send(.webhooksLoaded(WebhookFolder(path: folder).load()))
        h.press(.char("y"))
        #expect(h.state.message?.text == "8.json is no longer in the folder")
    }

    @Test("the reply to a test has the secrets masked, and a multipart boundary does not depend on them")
    func secretsStayOutOfReplyAndBoundary() {
        var h = composeHarness()
        h.press(.char("P"))
        h.send(.testSent(SendVerdict(status: 200, millis: 1, reply: "you sent Bearer s3cr3t"), toSelf: false))
        #expect(h.text.contains("reply: you sent Bearer ***") && !h.text.contains("s3cr3t"))
        var w = Webhook(id: 1, name: "m", method: .post, format: .multipart, url: "https://x/a", body: [NameValue("t", "%token%")])
        w.format = .multipart
        let a = try! w.render(.sample, secrets: SecretSource(environment: ["CALLDASH_SECRET_TOKEN": "one"]))
        let b = try! w.render(.sample, secrets: SecretSource(environment: ["CALLDASH_SECRET_TOKEN": "two"]))
        #expect(a.maskedHeaders == b.maskedHeaders, "the boundary in Content-Type is the same whatever the secret")
    }
}

@Suite("Quitting never loses a webhook's unsaved changes")
struct QuitAsksTests {
    @Test("q on the Calls screen with unsaved Compose changes asks in Compose first; y quits")
    func quitFromCallsAsks() {
        var h = composeHarness()
        h.editorRow(0)
        h.press(.enter)
        h.type("!")
        h.press(.enter, .escape) // back to Calls, the change unsaved
        #expect(h.state.screen == .calls)
        h.press(.char("q"))
        #expect(!h.effects.contains(.quit))
        #expect(h.state.screen == .compose && h.text.contains("y quits anyway"))
        h.press(.char("y"))
        #expect(h.effects.contains(.quit))
    }
    @Test("answering no to that question goes back to the screen q was pressed on, the change still unsaved")
    func stayingGoesBack() {
        var h = composeHarness()
        h.editorRow(0)
        h.press(.enter)
        h.type("!")
        h.press(.enter, .escape, .char("a"))
        #expect(h.state.screen == .campaign)
        h.press(.char("q"))
        #expect(h.state.screen == .compose)
        h.press(.char("n"))
        #expect(h.state.screen == .campaign && !h.effects.contains(.quit))
        #expect(h.state.compose.draft?.isDirty == true)
    }
}
