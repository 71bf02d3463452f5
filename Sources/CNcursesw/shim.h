// The slice of ncursesw that CallDashTerminal uses. Macros and globals are wrapped in
// static inline functions: Swift cannot import function-like macros, and Swift 6 rejects
// the mutable globals (stdscr, COLORS) as shared state.
#ifndef CALLDASH_CNCURSESW_SHIM_H
#define CALLDASH_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *cd_stdscr(void) { return stdscr; }
static inline int cd_lines(void) { return LINES; }
static inline int cd_cols(void) { return COLS; }
static inline int cd_colors(void) { return COLORS; }
static inline int cd_color_pairs(void) { return COLOR_PAIRS; }
static inline int cd_err(void) { return ERR; }
static inline int cd_key_code_yes(void) { return KEY_CODE_YES; }

static inline attr_t cd_a_normal(void) { return A_NORMAL; }
static inline attr_t cd_a_bold(void) { return A_BOLD; }
static inline attr_t cd_a_dim(void) { return A_DIM; }
static inline attr_t cd_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cd_a_reverse(void) { return A_REVERSE; }

static inline mmask_t cd_mouse_mask(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t cd_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t cd_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t cd_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t cd_button5_pressed(void) { return BUTTON5_PRESSED; }

/// Puts one wide character (plus combining marks) with attributes and a colour pair at y, x.
/// Returns ERR only when curses cannot form the character; writing the bottom-right cell
/// also reports ERR (the cursor cannot advance past it) although the character is drawn.
static inline int cd_put(int y, int x, const wchar_t *wch, attr_t attrs, short pair) {
    cchar_t c;
    if (setcchar(&c, wch, attrs, pair, NULL) == ERR) return ERR;
    mvwadd_wch(stdscr, y, x, &c);
    return OK;
}

#endif
