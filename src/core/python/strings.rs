//! Python string literals → their value: prefixes, triple quotes, escapes and implicit
//! concatenation. f-strings with replacement fields and bytes are not static values (`None`).

/// Decodes the source text of a `string` or `concatenated_string` node.
pub fn decode_string(src: &str) -> Option<String> {
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut out = String::new();
    let mut any = false;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == '\\' || c == '(' || c == ')' {
            i += 1;
            continue;
        }
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        let (value, next) = literal(&chars, i)?;
        out.push_str(&value);
        any = true;
        i = next;
    }
    any.then_some(out)
}

/// One literal starting at `start`: returns its value and the index after it.
fn literal(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut i = start;
    let mut raw = false;
    let mut fmt = false;
    while i < chars.len() && chars[i].is_ascii_alphabetic() {
        match chars[i].to_ascii_lowercase() {
            'r' => raw = true,
            'f' => fmt = true,
            'u' => {}
            _ => return None, // bytes (`b`) or an unknown prefix
        }
        i += 1;
    }
    let quote = *chars.get(i)?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let triple = chars.get(i + 1) == Some(&quote) && chars.get(i + 2) == Some(&quote);
    let qlen = if triple { 3 } else { 1 };
    i += qlen;
    let mut out = String::new();
    loop {
        let c = *chars.get(i)?;
        if c == quote
            && (!triple || (chars.get(i + 1) == Some(&quote) && chars.get(i + 2) == Some(&quote)))
        {
            return Some((out, i + qlen));
        }
        if fmt && (c == '{' || c == '}') {
            if chars.get(i + 1) == Some(&c) {
                out.push(c);
                i += 2;
                continue;
            }
            return None;
        }
        if c == '\\' {
            let n = *chars.get(i + 1)?;
            if raw {
                out.push('\\');
                out.push(n);
                i += 2;
                continue;
            }
            i += 2;
            match n {
                '\n' => {}
                '\\' => out.push('\\'),
                '\'' => out.push('\''),
                '"' => out.push('"'),
                'a' => out.push('\u{7}'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'v' => out.push('\u{b}'),
                '0'..='7' => {
                    let mut v = n.to_digit(8)?;
                    for _ in 0..2 {
                        match chars.get(i).and_then(|c| c.to_digit(8)) {
                            Some(d) => {
                                v = v * 8 + d;
                                i += 1;
                            }
                            None => break,
                        }
                    }
                    out.push(char::from_u32(v)?);
                }
                'x' | 'u' | 'U' => {
                    let len = match n {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = chars.get(i..i + len)?.iter().collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                    i += len;
                }
                // `\N{NAME}` needs the Unicode name table: not static for us.
                'N' => return None,
                other => {
                    out.push('\\');
                    out.push(other);
                }
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::decode_string;

    #[test]
    fn decodes_python_literals() {
        assert_eq!(decode_string(r#""a\"b""#).as_deref(), Some("a\"b"));
        assert_eq!(decode_string("'x' \"y\"").as_deref(), Some("xy"));
        assert_eq!(decode_string(r"r'\d+'").as_deref(), Some("\\d+"));
        assert_eq!(
            decode_string("\"\"\"\n  doc\n\"\"\"").as_deref(),
            Some("\n  doc\n")
        );
        assert_eq!(
            decode_string(r#""caf\u00e9 \x41""#).as_deref(),
            Some("café A")
        );
        assert_eq!(decode_string("f'{x}'"), None);
        assert_eq!(decode_string("b'x'"), None);
        assert_eq!(decode_string("f'a{{b}}'").as_deref(), Some("a{b}"));
    }
}
