//! Renders the handlebars templates embedded from `templates/`. The registry runs in strict mode
//! (a missing variable is an error, not an empty string) and never HTML-escapes: values are escaped
//! for their target format before rendering (`toml_string`, `python_string` below, JSON through
//! serde), and a value is never itself rendered as a template, so a name such as `X{{ 7*7 }}` stays
//! literally that.

use std::sync::OnceLock;

use handlebars::Handlebars;
use include_dir::{include_dir, Dir};
use serde::Serialize;

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Files shipped as they are (`assets/`).
pub const LOGO_SVG: &str = include_str!("../../assets/logo.svg");
pub const GITIGNORE: &str = include_str!("../../assets/gitignore");

/// The registry, with each template compiled the first time it is rendered: a command renders a
/// few of them, and compiling all at start-up was most of `new`'s own time.
fn registry() -> &'static std::sync::Mutex<Handlebars<'static>> {
    static REGISTRY: OnceLock<std::sync::Mutex<Handlebars<'static>>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        std::sync::Mutex::new(hb)
    })
}

/// Renders the template `name` (its path under `templates/` without `.hbs`).
pub fn render<T: Serialize>(name: &str, data: &T) -> anyhow::Result<String> {
    let mut hb = registry()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !hb.has_template(name) {
        let path = format!("{name}.hbs");
        let text = TEMPLATES
            .get_file(&path)
            .and_then(|f| f.contents_utf8())
            .ok_or_else(|| anyhow::anyhow!("no template {path} in the binary"))?;
        hb.register_template_string(name, text)
            .unwrap_or_else(|e| panic!("template {path}: {e}"));
    }
    Ok(hb.render(name, data)?)
}

#[cfg(test)]
mod templates_tests {
    use super::*;

    /// Every embedded template compiles (they are compiled lazily, so a broken one would
    /// otherwise only show when a command needs it).
    #[test]
    fn every_template_compiles() {
        fn walk(dir: &'static Dir<'static>, n: &mut usize) {
            for file in dir.files() {
                let path = file.path().to_string_lossy();
                if path.ends_with(".hbs") {
                    let mut hb = Handlebars::new();
                    hb.register_template_string("t", file.contents_utf8().unwrap())
                        .unwrap_or_else(|e| panic!("{path}: {e}"));
                    *n += 1;
                }
            }
            for sub in dir.dirs() {
                walk(sub, n);
            }
        }
        let mut n = 0;
        walk(&TEMPLATES, &mut n);
        assert!(n >= 10, "{n} templates");
    }
}

/// A TOML basic string literal.
pub fn toml_string(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

/// A Python string literal as black writes it: double quotes, unless single quotes need fewer
/// escapes.
pub fn python_string(s: &str) -> String {
    let quote = if s.matches('"').count() > s.matches('\'').count() {
        '\''
    } else {
        '"'
    };
    let mut out = String::from(quote);
    for c in s.chars() {
        match c {
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_for_their_language() {
        // toml_edit may choose a literal string; what matters is that it reads back the same.
        for text in ["a\"b\\c", "it's", "x{{ 7*7 }}", "line\nbreak"] {
            let doc: toml_edit::DocumentMut = format!("v = {}", toml_string(text)).parse().unwrap();
            assert_eq!(doc["v"].as_str(), Some(text));
        }
        assert_eq!(python_string("a\"b{{ 7*7 }}\n"), r#"'a"b{{ 7*7 }}\n'"#);
        assert_eq!(python_string("it's \"x\""), r#"'it\'s "x"'"#);
        assert_eq!(python_string("it's"), r#""it's""#);
    }

    #[test]
    fn values_are_not_templates() {
        let out = render(
            "module/common/main.py",
            &serde_json::json!({"package": "x{{y}}", "module_class": "{{ 7*7 }}"}),
        )
        .unwrap();
        assert!(
            out.contains("from x{{y}}_modules") || out.contains("from x{{y}} import {{ 7*7 }}")
        );
    }

    #[test]
    fn strict_mode_catches_missing_values() {
        assert!(render("module/common/main.py", &serde_json::json!({})).is_err());
    }
}
