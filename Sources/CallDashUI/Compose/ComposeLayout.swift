/// Where each part of the Compose screen goes: the webhook list on the left, the editor above
/// the preview on the right, the header and the bottom bar. Wide terminals put the preview
/// beside the editor.
public struct ComposeLayout: Equatable, Sendable {
    public var tooSmall: Bool
    public var header: Rect
    public var list: Rect
    public var editor: Rect
    public var preview: Rect
    public var footer: Rect

    public init(width: Int, height: Int, editorRows: Int) {
        let all = Rect(x: 0, y: 0, width: width, height: height)
        tooSmall = width < CallsLayout.minWidth || height < CallsLayout.minHeight
        let (header, rest) = all.splitTop(1)
        let (main, footer) = rest.splitTop(rest.height - 1)
        self.header = header
        self.footer = footer
        (list, editor) = main.splitLeft(width >= 100 ? 26 : width >= 60 ? 20 : 0)
        if width >= 160 {
            (editor, preview) = editor.splitLeft(editor.width / 2)
        } else {
            // The editor takes what its rows need (plus its title and two section lines), up to
            // a little over half, so the preview always keeps room.
            let need = editorRows + 3
            (editor, preview) = editor.splitTop(min(max(need, 6), max(6, main.height * 11 / 20)))
        }
    }
}
