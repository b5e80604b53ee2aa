/**
 * A 5×7 bitmap font for the few characters a chart draws: digits, the
 * separators of amounts and hours, and the k/M of abbreviated amounts. Words
 * stay out of the picture (they go in the caption, in the chat's language), so
 * a handful of glyphs is the whole font and no font file is needed.
 */
export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;

// Each glyph: seven rows of five columns, "#" lit.
const GLYPHS: Record<string, readonly string[]> = {
  "0": [" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "],
  "1": ["  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "],
  "2": [" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"],
  "3": ["#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "],
  "4": ["   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "],
  "5": ["#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "],
  "6": ["  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "],
  "7": ["#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "],
  "8": [" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "],
  "9": [" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "],
  k: ["#    ", "#    ", "#  # ", "# #  ", "##   ", "# #  ", "#  # "],
  M: ["#   #", "## ##", "# # #", "#   #", "#   #", "#   #", "#   #"],
  ".": ["     ", "     ", "     ", "     ", "     ", " ##  ", " ##  "],
  ",": ["     ", "     ", "     ", "     ", " ##  ", " ##  ", "#    "],
  ":": ["     ", " ##  ", " ##  ", "     ", " ##  ", " ##  ", "     "],
  "-": ["     ", "     ", "     ", "#### ", "     ", "     ", "     "],
  " ": [],
};

/** The glyph's lit pixels as rows of booleans; a blank for anything the font does not have. */
export function glyph(ch: string): boolean[][] {
  const rows = GLYPHS[ch] ?? [];
  return Array.from({ length: GLYPH_HEIGHT }, (_, y) => Array.from({ length: GLYPH_WIDTH }, (_, x) => rows[y]?.[x] === "#"));
}

export function hasGlyph(ch: string): boolean {
  return ch in GLYPHS;
}
