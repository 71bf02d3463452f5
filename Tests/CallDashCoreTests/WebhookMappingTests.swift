import Foundation
import Testing

@testable import CallDashCore

@Suite("Mapping back: a compose payload reads as the standard report it came from")
struct WebhookMappingTests {
    let crm = Webhook(
        id: 7, name: "crm", method: .post, format: .json,
        url: "https://crm.example/ack/{{flow_id}}?call_id={{id}}&st={{status}}",
        body: [NameValue("to", "{{to}}"), NameValue("message_status", "{{status}}"), NameValue("who", "caller {{from}} via {{bridge}}")])

    func parse(path: String, query: [NameValue] = [], _ body: String, webhooks: [Webhook]) throws -> ParsedDelivery {
        try DeliveryParser(webhooks: WebhookRegistry(webhooks)).parse(
            path: path, query: query, contentType: "application/json", body: Array(body.utf8))
    }

    @Test func renamedKeysFillTheStandardFieldsAndTheRecordNamesTheWebhook() throws {
        let p = try parse(
            path: "/ack/F-9", #"{"to":"91987","message_status":"BUSY","who":"caller 9188 via 9180","extra":"x"}"#, webhooks: [crm])
        #expect(p.webhook == 7)
        #expect(p.fields[.status] == "BUSY")
        #expect(p.fields[.to] == "91987")
        #expect(p.fields[.from] == "9188" && p.fields[.bridge] == "9180")
        #expect(p.fields[.flowID] == "F-9")
        #expect(p.extra == [NameValue("extra", "x")])
    }

    @Test func aWebhookIdInTheQueryClaimsThePayloadOnAnyPath() throws {
        let p = try parse(path: "/elsewhere", query: [NameValue("webhook_id", "7")], #"{"message_status":"ANSWER"}"#, webhooks: [crm])
        #expect(p.webhook == 7 && p.fields[.status] == "ANSWER")
        #expect(p.fields[.webhookID] == "7")
    }

    @Test func theUrlsQueryVariablesMapBackAndIdFillsTheMid() throws {
        let p = try parse(
            path: "/ack/1", query: [NameValue("call_id", "M-77"), NameValue("st", "CANCEL")],
            #"{"to":"1","message_status":"CANCEL","who":"caller 2 via 3"}"#, webhooks: [crm])
        #expect(p.fields[.mid] == "M-77" && p.fields[.status] == "CANCEL")
    }

    @Test func aPayloadMissingOneOfTheKeysIsAStandardReport() throws {
        let p = try parse(path: "/ack/1", #"{"to":"1","message_status":"BUSY"}"#, webhooks: [crm])
        #expect(p.webhook == nil)
        #expect(p.fields[.status] == nil)
        #expect(p.extra.map(\.name) == ["message_status"])
    }

    @Test func anotherPathIsNotClaimed() throws {
        let p = try parse(path: "/other/1", #"{"to":"1","message_status":"BUSY","who":"caller 2 via 3"}"#, webhooks: [crm])
        #expect(p.webhook == nil)
    }

    @Test func aValueThatDoesNotFitItsTemplateStaysAsSent() throws {
        let p = try parse(path: "/ack/1", #"{"to":"1","message_status":"BUSY","who":"someone else"}"#, webhooks: [crm])
        #expect(p.webhook == 7)
        #expect(p.fields[.from] == nil)
        #expect(p.extra.contains(NameValue("who", "someone else")))
    }

    @Test func templatesMatchLiteralsAndRefuseAdjacentVariables() throws {
        let two = try Template("{{from}}{{to}}", location: .url).parts
        #expect(WebhookMapping.match(two, "12"[...]) == nil)
        let dash = try Template("a-{{from}}-{{to}}", location: .url).parts
        #expect(WebhookMapping.match(dash, "a-1-2-3"[...])?.map(\.1) == ["1", "2-3"])
        #expect(WebhookMapping.match(dash, "b-1-2"[...]) == nil)
    }

    @Test func aDraftSentToItselfStandsInFrontOfItsFile() throws {
        let registry = WebhookRegistry([crm])
        var draft = crm
        draft.body = [NameValue("state", "{{status}}")]
        registry.include(draft: draft)
        let p = try DeliveryParser(webhooks: registry).parse(
            path: "/ack/1", query: [], contentType: nil, body: Array(#"{"state":"FAILED"}"#.utf8))
        #expect(p.webhook == 7 && p.fields[.status] == "FAILED")
        registry.forgetDraft(id: 7)
        let q = try DeliveryParser(webhooks: registry).parse(
            path: "/ack/1", query: [], contentType: nil, body: Array(#"{"state":"FAILED"}"#.utf8))
        #expect(q.webhook == nil)
    }
}

@Suite("The webhooks folder: atomic saves, broken files listed, changes on disk noticed")
struct WebhookFolderTests {
    let hook = Webhook(id: 3, name: "ops", method: .put, format: .form, url: "http://h/x", body: [NameValue("s", "{{status}}")])

    @Test func savedWebhooksReadBackWithNoTemporaryFilesLeft() throws {
        let dir = temporaryDirectory() + "/webhooks"
        let folder = WebhookFolder(path: dir)
        try folder.save(hook, to: folder.file(for: 3), expected: nil)
        let entries = folder.load()
        #expect(entries.map(\.content) == [.success(hook)])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["3.json"])
        #expect(WebhookFolder.nextID(after: entries) == 4)
    }

    @Test func brokenFilesAreListedWithTheirLineAndProblem() throws {
        let dir = temporaryDirectory()
        try "{\"url\": \"x\",\n \"method\": \"DELETE\"}".write(toFile: dir + "/5.json", atomically: true, encoding: .utf8)
        try "{\"id\": 2, \"url\": \"x\"}".write(toFile: dir + "/9.json", atomically: true, encoding: .utf8)
        let entries = WebhookFolder(path: dir).load()
        #expect(entries.map(\.id) == [5, 9])
        #expect(entries.map { (try? $0.content.get()) == nil } == [true, true])
        if case .failure(let e) = entries[0].content { #expect(e.line == 2 && e.problem.contains("DELETE")) }
        if case .failure(let e) = entries[1].content { #expect(e.problem == "the file holds id 2 but is named 9.json") }
        #expect(WebhookFolder.nextID(after: entries) == 10)
    }

    @Test func aFileWrittenByHandWithoutAnIdIsTheWebhookItsNameSays() throws {
        let dir = temporaryDirectory()
        try #"{"url": "http://h/x", "body": [{"key": "s", "value": "{{status}}"}]}"#.write(
            toFile: dir + "/12.json", atomically: true, encoding: .utf8)
        let entries = WebhookFolder(path: dir).load()
        #expect(try entries.map { try $0.content.get().id } == [12])
        #expect(WebhookFolder.nextID(after: entries) == 13)
    }

    @Test func aSecondFileForTheSameIdIsListedAsBroken() throws {
        let dir = temporaryDirectory()
        let folder = WebhookFolder(path: dir)
        try folder.save(hook, to: folder.file(for: 3), expected: nil)
        try folder.save(hook, to: dir + "/ops-copy.json", expected: nil)
        let entries = folder.load()
        #expect(entries.map { (try? $0.content.get()) != nil } == [true, false])
        if case .failure(let e) = entries[1].content { #expect(e.problem == "id 3 is already used by 3.json") }
    }

    @Test func aFileChangedOnDiskIsNotOverwritten() throws {
        let dir = temporaryDirectory()
        let folder = WebhookFolder(path: dir)
        let file = folder.file(for: 3)
        let stamp = try folder.save(hook, to: file, expected: nil)
        let handEdit = hook.fileText.replacingOccurrences(of: "ops", with: "ops-by-hand") + " "
        try handEdit.write(toFile: file, atomically: false, encoding: .utf8)
        var mine = hook
        mine.name = "mine"
        #expect(throws: WebhookFolder.Failure.self) { try folder.save(mine, to: file, expected: stamp) }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == handEdit)
        #expect(throws: WebhookFolder.Failure.self) { try folder.delete(file, expected: stamp) }
        let fresh = try #require(WebhookFolder.entry(file: file))
        try folder.save(mine, to: file, expected: fresh.stamp)
        #expect(try WebhookFolder.entry(file: file)?.content.get().name == "mine")
    }
}
