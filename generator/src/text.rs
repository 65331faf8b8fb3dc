//! Document text as it may appear in generated files. Titles, descriptions, names and paths end
//! up in doc comments, file headers and `Cargo.toml`; there a newline could end a comment early, a
//! bare carriage return is a compile error, and bidirectional-text controls (U+202A–U+202E,
//! U+2066–U+2069) make code read differently from how it compiles (rustc denies them in comments).
//! String literals need nothing from here: the tokenizer escapes them.

/// Characters that change how text is displayed without being visible themselves: bidirectional
/// marks, embeddings, overrides and isolates, zero-width characters, invisible operators, line and
/// paragraph separators and the byte-order mark.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// `c` written out as `\u{…}`, so a reader sees that it was there.
fn escaped(c: char) -> String {
    format!("\\u{{{:x}}}", u32::from(c))
}

/// Text for a message on one line: control and invisible characters escaped, nothing else changed.
pub fn escape_invisible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_invisible(c) {
            out.push_str(&escaped(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Text for one line (a file header, a short doc line, a `Cargo.toml` description): line breaks,
/// tabs and other control characters become spaces, invisible characters are escaped.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.push(' ');
        } else if is_invisible(c) {
            out.push_str(&escaped(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Text for a doc comment: line breaks (`\r\n`, `\r`) become `\n`, a tab four spaces (clippy
/// warns of tabs in doc comments), other control and invisible characters are escaped.
pub fn prose(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n").replace('\t', "    ");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (c.is_control() && c != '\n') || is_invisible(c) {
            out.push_str(&escaped(c));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_text_has_no_breaks_and_shows_invisible_characters() {
        let cases = [
            ("Plain title", "Plain title"),
            ("two\nlines\r\nand\rmore", "two lines  and more"),
            ("tab\tbell\u{7}del\u{7f}next\u{85}", "tab bell del next "),
            ("abc\u{202e}fed\u{2066}", "abc\\u{202e}fed\\u{2066}"),
            ("\u{feff}bom and \u{200b}zero width", "\\u{feff}bom and \\u{200b}zero width"),
            ("ünïcödé and emoji 🦀", "ünïcödé and emoji 🦀"),
        ];
        for (input, expected) in cases {
            assert_eq!(one_line(input), expected, "{input:?}");
        }
    }

    #[test]
    fn prose_keeps_line_breaks_as_newlines_and_escapes_the_rest() {
        let cases = [
            ("a\r\nb\rc\nd", "a\nb\nc\nd"),
            ("tab\tspaces", "tab    spaces"),
            ("nul\u{0} bell\u{7}", "nul\\u{0} bell\\u{7}"),
            ("\u{202a}embedded\u{202c} \u{2028}", "\\u{202a}embedded\\u{202c} \\u{2028}"),
        ];
        for (input, expected) in cases {
            assert_eq!(prose(input), expected, "{input:?}");
        }
    }
}
