import Foundation
import Testing

@testable import CallDashUI

@Suite("Themes")
struct ThemeTests {
    static let themesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes")

    static var shippedFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: themesFolder.path)) ?? []).filter { $0.hasSuffix(".theme") }.sorted()
    }

    @Test func theProjectShipsDarkLightHighContrastAndMonoThemes() {
        #expect(Self.shippedFiles == ["dark.theme", "high-contrast.theme", "light.theme", "mono.theme"])
    }

    @Test(arguments: shippedFiles)
    func everyShippedThemeFileIsValidAndSetsEveryRole(_ name: String) throws {
        let path = Self.themesFolder.appendingPathComponent(name).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let theme = try ThemeFile.parse(text, name: ThemeCatalog.name(ofPath: path), file: path)
        #expect(theme.name == String(name.dropLast(6)))
        for role in ThemeRole.allCases {
            #expect(text.contains("\n\(role.rawValue) = "), "\(name) sets \(role.rawValue)")
        }
    }

    @Test func darkThemeFileIsTheBuiltInDefault() throws {
        let text = try String(contentsOfFile: Self.themesFolder.appendingPathComponent("dark.theme").path, encoding: .utf8)
        let theme = try ThemeFile.parse(text, name: "dark", file: "dark.theme", over: Theme.dark.withoutColors)
        #expect(theme == .dark)
    }

    @Test func monoThemeUsesNoColours() throws {
        let text = try String(contentsOfFile: Self.themesFolder.appendingPathComponent("mono.theme").path, encoding: .utf8)
        let theme = try ThemeFile.parse(text, name: "mono", file: "mono.theme")
        #expect(theme == theme.withoutColors)
    }

    @Test func unknownRoleIsRefusedWithFileLineAndSuggestion() {
        #expect(throws: ThemeError(file: "t.theme", line: 3, problem: "unknown role \"list.curser\" (did you mean list.cursor?)")) {
            try ThemeFile.parse("# mine\nlist.row = red\nlist.curser = blue\n", name: "t", file: "t.theme")
        }
    }

    @Test func badColourIsRefusedWithTheReason() {
        #expect(
            throws: ThemeError(
                file: "t.theme", line: 1,
                problem: "status.busy: \"gren\" is not a colour (did you mean green?): use a name, 0-255 or #rrggbb")
        ) {
            try ThemeFile.parse("status.busy = gren bold", name: "t", file: "t.theme")
        }
        #expect(throws: ThemeError(file: "t.theme", line: 1, problem: "status.busy: colour 300 is outside 0-255")) {
            try ThemeFile.parse("status.busy = 300", name: "t", file: "t.theme")
        }
        #expect(throws: ThemeError(file: "t.theme", line: 2, problem: "role \"border\" is set twice")) {
            try ThemeFile.parse("border = red\nborder = blue", name: "t", file: "t.theme")
        }
        #expect(throws: ThemeError(file: "t.theme", line: 1, problem: "expected \"role = colour\", found \"border red\"")) {
            try ThemeFile.parse("border red", name: "t", file: "t.theme")
        }
    }

    @Test func aFileOverridesOnlyTheRolesItNames() throws {
        let t = try ThemeFile.parse("status.busy = bright-red on #000000 underline", name: "t", file: "t.theme")
        #expect(t[.statusBusy] == Style(fg: .palette(9), bg: .palette(16), .underline))
        #expect(t[.listCursor] == Theme.dark[.listCursor])
    }

    @Test func catalogListsTheDefaultFirstAndReportsBrokenFiles() {
        let c = ThemeCatalog(files: [("a/light.theme", "border = red"), ("a/broken.theme", "nope = red"), ("a/dark.theme", "border = blue")]
        )
        #expect(c.names == ["dark", "light"])
        #expect(c.theme(named: "dark")?[.border] == Style(fg: .blue))
        #expect(c.errors.map(\.description) == ["a/broken.theme:1: unknown role \"nope\""])
    }

    @Test func eightColourFallbackMapsPaletteColoursToTheirBasicHue() {
        #expect(Color.palette(196).basic == .red)
        #expect(Color.palette(46).basic == .green)
        #expect(Color.palette(21).basic == .blue)
        #expect(Color.palette(226).basic == .yellow)
        #expect(Color.palette(9).basic == .red)
        #expect(Color.palette(236).basic == .black)
        #expect(Color.palette(252).basic == .white)
    }

    @Test func aFileWithSeveralProblemsIsRefusedNamingEveryOne() {
        #expect {
            try ThemeFile.parse("list.row = red\nstatus.bsy = red\nborder = #zz0000\n", name: "bad", file: "bad.theme")
        } throws: { error in
            guard let e = error as? ThemeError else { return false }
            return e.line == 2 && e.problem.hasPrefix("unknown role \"status.bsy\"") && e.more.map(\.line) == [3]
                && e.more[0].problem.hasPrefix("border: ") && e.description.contains("; line 3: border: ")
        }
    }

    static func shipped() throws -> [Theme] {
        try ["dark", "light", "high-contrast", "mono"].map { name in
            let path = themesFolder.appendingPathComponent(name + ".theme").path
            return try ThemeFile.parse(String(contentsOfFile: path, encoding: .utf8), name: name, file: path)
        }
    }

    @Test("t skips the light theme on a terminal that says its background is dark, and names it on one that does not")
    func themeCycleMindsTheTerminalBackground() throws {
        let themes = try Self.shipped()
        #expect(themes.map(\.background) == [.dark, .light, .any, .any])
        #expect(ThemeBackground.ofTerminal(["COLORFGBG": "15;0"]) == .dark)
        #expect(ThemeBackground.ofTerminal(["COLORFGBG": "0;default;15"]) == .light)
        #expect(ThemeBackground.ofTerminal([:]) == .any && ThemeBackground.ofTerminal(["COLORFGBG": "x"]) == .any)

        var h = Harness(mixedRecorder(), themes: themes)
        h.state.terminalBackground = .dark
        h.press(.char("t"))
        #expect(h.state.theme.name == "high-contrast")
        #expect(h.state.message?.text == "theme: high-contrast (skipped light: made for a light background)")
        h.press(.char("t"), .char("t"))
        #expect(h.state.theme.name == "dark", "mono, then round to dark; light never comes")

        var unknown = Harness(mixedRecorder(), themes: themes)
        unknown.press(.char("t"))
        #expect(unknown.state.theme.name == "light")
        #expect(unknown.state.message?.text == "theme: light, made for a light terminal background (t for the next)")
    }

    @Test func aThemeFileNamesItsBackgroundOrIsRefused() {
        #expect((try? ThemeFile.parse("background = LIGHT\n", name: "x", file: "x.theme"))?.background == .light)
        #expect((try? ThemeFile.parse("list.row = red\n", name: "x", file: "x.theme"))?.background == .any)
        #expect {
            try ThemeFile.parse("background = grey\n", name: "x", file: "x.theme")
        } throws: { ($0 as? ThemeError)?.problem == "background: \"grey\" is not dark, light or any" }
    }
}
