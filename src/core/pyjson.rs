//! Byte-exact ports of Python's `json.dumps`, which is how the SDK and the automation-library write
//! every manifest (`json.dumps(obj, indent=2)`: two-space indent, `": "`, `\uXXXX` escapes, no final
//! newline). Key order is the `serde_json::Map` insertion order (`preserve_order` feature).

use serde_json::Value;

/// How to write: the SDK's `json.dumps(obj, indent=2)` is `Style::SDK`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub indent: usize,
    /// Python's `ensure_ascii`: escape every non-ASCII character as `\uXXXX`.
    pub ensure_ascii: bool,
}

impl Style {
    /// `json.dumps(obj, indent=2)`, as `generate-files-from-code` and the library's linter write.
    pub const SDK: Style = Style {
        indent: 2,
        ensure_ascii: true,
    };
}

/// `json.dumps(value, indent=2)`.
pub fn dumps(value: &Value) -> String {
    dumps_with(value, Style::SDK)
}

pub fn dumps_with(value: &Value, style: Style) -> String {
    let mut out = String::new();
    write_value(&mut out, value, style, 0);
    out
}

fn write_value(out: &mut String, value: &Value, style: Style, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if n.is_f64() {
                out.push_str(&float_repr(n.as_f64().unwrap_or(f64::NAN)));
            } else {
                out.push_str(&n.to_string());
            }
        }
        Value::String(s) => write_string(out, s, style.ensure_ascii),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, depth + 1);
                write_value(out, item, style, depth + 1);
            }
            newline(out, style, depth);
            out.push(']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, depth + 1);
                write_string(out, key, style.ensure_ascii);
                out.push_str(": ");
                write_value(out, item, style, depth + 1);
            }
            newline(out, style, depth);
            out.push('}');
        }
    }
}

fn newline(out: &mut String, style: Style, depth: usize) {
    out.push('\n');
    for _ in 0..style.indent * depth {
        out.push(' ');
    }
}

/// A JSON string literal as Python's encoder writes it (lowercase hex, surrogate pairs).
pub fn write_string(out: &mut String, s: &str, ensure_ascii: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if ensure_ascii && !c.is_ascii() => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{:04x}", unit));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The JSON string literal for `s` (no `\uXXXX` for non-ASCII): for templates that embed user text.
pub fn string_literal(s: &str) -> String {
    let mut out = String::new();
    write_string(&mut out, s, false);
    out
}

/// Python's `repr(float)`: shortest round-trip digits, scientific notation below 1e-4 and from 1e16.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let sci = format!("{:e}", f);
    let (mantissa, exp) = sci.split_once('e').expect("{:e} always has an exponent");
    let exp: i32 = exp.parse().expect("exponent is an integer");
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if negative { "-" } else { "" };
    if !(-4..16).contains(&exp) {
        let mut m = digits[..1].to_string();
        if digits.len() > 1 {
            m.push('.');
            m.push_str(&digits[1..]);
        }
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{m}e{esign}{:02}", exp.abs());
    }
    if exp < 0 {
        let zeros = "0".repeat((-exp - 1) as usize);
        return format!("{sign}0.{zeros}{digits}");
    }
    let int_len = exp as usize + 1;
    if digits.len() <= int_len {
        let pad = "0".repeat(int_len - digits.len());
        format!("{sign}{digits}{pad}.0")
    } else {
        format!("{sign}{}.{}", &digits[..int_len], &digits[int_len..])
    }
}

/// Parses JSON that this tool may write back, refusing what it could not write back exactly:
/// bytes that are not UTF-8 (they would become U+FFFD) and integers beyond 64 bits (they would
/// become floats). The error says which, and where.
pub fn loads_exact(bytes: &[u8]) -> Result<Value, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        format!("line {line}: a byte sequence that is not UTF-8")
    })?;
    if let Some((line, digits)) = oversized_integer(text) {
        return Err(format!(
            "line {line}: the integer {digits} does not fit in 64 bits"
        ));
    }
    serde_json::from_str(text).map_err(|e| format!("line {}: invalid JSON ({e})", e.line()))
}

/// The first integer literal outside strings that neither i64 nor u64 can hold.
fn oversized_integer(text: &str) -> Option<(usize, String)> {
    let bytes = text.as_bytes();
    let (mut i, mut line, mut in_string) = (0, 1, false);
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if b == b'-' || b.is_ascii_digit() {
            let start = i;
            i += 1;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || matches!(bytes[i], b'.' | b'e' | b'E' | b'+' | b'-'))
            {
                i += 1;
            }
            let token = &text[start..i];
            let integer = !token.contains(['.', 'e', 'E']);
            if integer && token.parse::<i64>().is_err() && token.parse::<u64>().is_err() {
                return Some((line, token.to_string()));
            }
            continue;
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_python_layout() {
        let v = json!({"a": [], "b": {}, "c": [1, {"d": null}], "é": "Requête – x\"\n"});
        assert_eq!(
            dumps(&v),
            "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    1,\n    {\n      \"d\": null\n    }\n  ],\n  \"\\u00e9\": \"Requ\\u00eate \\u2013 x\\\"\\n\"\n}"
        );
    }

    #[test]
    fn astral_characters_become_surrogate_pairs() {
        assert_eq!(dumps(&json!("😀")), "\"\\ud83d\\ude00\"");
    }

    #[test]
    fn floats_follow_python_repr() {
        for (f, s) in [
            (1.0, "1.0"),
            (0.5, "0.5"),
            (-2.25, "-2.25"),
            (1e16, "1e+16"),
            (1.5e-7, "1.5e-07"),
            (0.0001, "0.0001"),
            (123456789.125, "123456789.125"),
            (1e15, "1000000000000000.0"),
            (0.1, "0.1"),
        ] {
            assert_eq!(float_repr(f), s, "{f}");
        }
    }
}

#[cfg(test)]
mod exact_tests {
    use super::*;

    /// Issue 15 (6): what cannot be written back exactly is refused, never rewritten.
    #[test]
    fn refuses_what_it_could_not_write_back() {
        assert!(loads_exact(b"{\"a\": 1}").is_ok());
        assert!(loads_exact(b"{\"a\": 18446744073709551615, \"b\": -9223372036854775808}").is_ok());
        let big = loads_exact(b"{\n\"a\": 123456789012345678901234567890\n}").unwrap_err();
        assert!(
            big.contains("line 2") && big.contains("does not fit in 64 bits"),
            "{big}"
        );
        assert!(
            loads_exact(b"{\"a\": \"123456789012345678901234567890\", \"b\": 1.5e300}").is_ok()
        );
        let utf = loads_exact(b"{\n\"a\": \"\xff\"}").unwrap_err();
        assert!(utf.contains("line 2") && utf.contains("not UTF-8"), "{utf}");
    }
}
