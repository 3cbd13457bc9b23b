//! Names derived from a module name, following the SDK's cookiecutter template exactly where that
//! yields valid Python, and deriving valid names (with a note for the user) where it does not.
//!
//! The SDK's expressions (`sdk-notes.md` §2.2), with `N` the module name:
//! dir `N.replace(" ", "")`, package `N.lower().replace(" ", "_") + "_modules"`,
//! class prefix `N.title().replace(" ", "")`, slug `N.lower().replace(" ", "-")`.

use std::fmt;

use super::failure::Failure;

/// Longest module name accepted: longer names make directory and package names that file systems
/// refuse (255 bytes) and that nobody can read in the Sekoia.io catalogue.
pub const MAX_NAME_CHARS: usize = 100;

/// Every name the templates need, derived from the module name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleNames {
    /// The human name, as written in manifest.json.
    pub name: String,
    /// Directory created under the output directory.
    pub dir: String,
    /// The Python package, e.g. `testhttp_modules`.
    pub package: String,
    /// Class name prefix, e.g. `Testhttp` (module class `TesthttpModule`).
    pub class_prefix: String,
    /// manifest.json `slug`.
    pub slug: String,
    /// What had to differ from the SDK's derivation, and why: shown to the user.
    pub notes: Vec<String>,
}

impl ModuleNames {
    pub fn module_class(&self) -> String {
        format!("{}Module", self.class_prefix)
    }

    pub fn configuration_class(&self) -> String {
        format!("{}ModuleConfiguration", self.class_prefix)
    }

    /// The PEP 508 distribution name of a uv project, `<package stem>-automation-module`.
    pub fn distribution(&self) -> String {
        let stem = self.package.trim_end_matches("_modules");
        let ascii = ascii_fold(stem).to_lowercase();
        let cleaned: String = ascii
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("{}-automation-module", cleaned.trim_matches('_'))
    }
}

impl fmt::Display for ModuleNames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "directory {}, package {}, class {}, slug {}",
            self.dir,
            self.package,
            self.module_class(),
            self.slug
        )
    }
}

/// Derives every name, or says why the name cannot be used.
pub fn derive(name: &str) -> Result<ModuleNames, Failure> {
    validate_module_name(name)?;
    let mut notes = Vec::new();

    let sdk_dir = name.replace(' ', "");
    let dir = safe_dir_name(&sdk_dir);
    if dir != sdk_dir {
        notes.push(format!(
            "directory `{dir}` instead of `{sdk_dir}` (a directory name cannot contain path separators, \
             control or reserved characters, or start with a dot)"
        ));
    }

    let sdk_package = format!("{}_modules", py_lower(name).replace(' ', "_"));
    let package = if is_importable(&sdk_package) {
        sdk_package.clone()
    } else {
        let derived = format!(
            "{}_modules",
            identifier_stem(&py_lower(&nfkc(name)), "_", "module_")
        );
        notes.push(format!(
            "package `{derived}` instead of `{sdk_package}` ({})",
            why_not_importable(&sdk_package)
        ));
        derived
    };

    let sdk_prefix = py_title(name).replace(' ', "");
    // A class name starting with `__` is mangled inside other classes' bodies (`module: __XModule`).
    let class_prefix =
        if is_importable(&format!("{sdk_prefix}Module")) && !sdk_prefix.starts_with("__") {
            sdk_prefix
        } else {
            // No leading underscores: `__Init__Module` would be mangled inside class bodies.
            let stem = identifier_stem(&py_title(&nfkc(name)), "", "Module");
            let derived = match stem.trim_start_matches('_') {
                "" => "Module".to_string(),
                rest if rest.starts_with(|c: char| c.is_numeric()) => format!("Module{rest}"),
                rest => rest.to_string(),
            };
            notes.push(format!(
                "class `{derived}Module` instead of `{sdk_prefix}Module` ({})",
                why_not_importable(&format!("{sdk_prefix}Module"))
            ));
            derived
        };

    let sdk_slug = py_lower(name).replace(' ', "-");
    let slug = if is_valid_slug(&sdk_slug) {
        sdk_slug
    } else {
        let derived = slugify(name);
        notes.push(format!(
            "slug `{derived}` instead of `{sdk_slug}` (a slug must match ^[a-z]([a-z_.\\-]|\\d)*$)"
        ));
        derived
    };

    Ok(ModuleNames {
        name: name.to_string(),
        dir,
        package,
        class_prefix,
        slug,
        notes,
    })
}

/// The one validator for module names, shared by flags, answers files and the TUI.
pub fn validate_module_name(name: &str) -> Result<(), Failure> {
    if name.trim().is_empty() {
        return Err(Failure::with_hint(
            "the module name is empty",
            "give a name such as --name TestHTTP",
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Failure::with_hint(
            format!(
                "the module name is {} characters long; at most {MAX_NAME_CHARS} are allowed",
                name.chars().count()
            ),
            "use a shorter name; the description can say more",
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(Failure::with_hint(
            "the module name contains a control character (newline, tab…)",
            "write the name on one line",
        ));
    }
    if !name.chars().any(char::is_alphanumeric) {
        return Err(Failure::with_hint(
            format!("the module name `{name}` has no letter or digit to build Python names from"),
            "use a name with letters, such as TestHTTP",
        ));
    }
    Ok(())
}

/// Python's `str.lower()` (full Unicode mapping, final sigma included).
pub fn py_lower(s: &str) -> String {
    s.to_lowercase()
}

/// Python's `str.title()`: a cased character after an uncased one is title-cased, others lowered.
/// Lowered as in the whole string, as Python does: a `Σ` that ends a word is `ς` (Final_Sigma looks
/// at the characters around it, which `str::to_lowercase` of the whole string also does).
pub fn py_title(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut out = String::with_capacity(s.len());
    let mut previous_cased = false;
    // Where `c`'s lowercase starts in `lower`: each character lowers on its own, but for the
    // sigma's form, which has the same length either way.
    let mut at = 0;
    for c in s.chars() {
        let len: usize = c.to_lowercase().map(char::len_utf8).sum();
        if previous_cased {
            out.push_str(&lower[at..at + len]);
        } else {
            push_titlecase(&mut out, c);
        }
        at += len;
        previous_cased = is_cased(c);
    }
    out
}

fn is_cased(c: char) -> bool {
    c.is_lowercase() || c.is_uppercase() || TITLECASE_LETTERS.contains(&c)
}

/// `(c, titlecase(c))` for every character whose titlecase mapping is not its uppercase one,
/// sorted: Unicode's UnicodeData.txt and SpecialCasing.txt, as Python 3 applies them in
/// `str.title()`. Made with `python3 -c "[(c, c.title()) for c in map(chr, range(0x110000))
/// if c.title() != c.upper()]"` (Unicode 14.0.0); `tests/naming_title.rs` compares with Python.
const TITLECASE: &[(char, &str)] = &[
    ('\u{df}', "Ss"),
    ('\u{1c4}', "\u{1c5}"),
    ('\u{1c5}', "\u{1c5}"),
    ('\u{1c6}', "\u{1c5}"),
    ('\u{1c7}', "\u{1c8}"),
    ('\u{1c8}', "\u{1c8}"),
    ('\u{1c9}', "\u{1c8}"),
    ('\u{1ca}', "\u{1cb}"),
    ('\u{1cb}', "\u{1cb}"),
    ('\u{1cc}', "\u{1cb}"),
    ('\u{1f1}', "\u{1f2}"),
    ('\u{1f2}', "\u{1f2}"),
    ('\u{1f3}', "\u{1f2}"),
    ('\u{587}', "\u{535}\u{582}"),
    ('\u{10d0}', "\u{10d0}"),
    ('\u{10d1}', "\u{10d1}"),
    ('\u{10d2}', "\u{10d2}"),
    ('\u{10d3}', "\u{10d3}"),
    ('\u{10d4}', "\u{10d4}"),
    ('\u{10d5}', "\u{10d5}"),
    ('\u{10d6}', "\u{10d6}"),
    ('\u{10d7}', "\u{10d7}"),
    ('\u{10d8}', "\u{10d8}"),
    ('\u{10d9}', "\u{10d9}"),
    ('\u{10da}', "\u{10da}"),
    ('\u{10db}', "\u{10db}"),
    ('\u{10dc}', "\u{10dc}"),
    ('\u{10dd}', "\u{10dd}"),
    ('\u{10de}', "\u{10de}"),
    ('\u{10df}', "\u{10df}"),
    ('\u{10e0}', "\u{10e0}"),
    ('\u{10e1}', "\u{10e1}"),
    ('\u{10e2}', "\u{10e2}"),
    ('\u{10e3}', "\u{10e3}"),
    ('\u{10e4}', "\u{10e4}"),
    ('\u{10e5}', "\u{10e5}"),
    ('\u{10e6}', "\u{10e6}"),
    ('\u{10e7}', "\u{10e7}"),
    ('\u{10e8}', "\u{10e8}"),
    ('\u{10e9}', "\u{10e9}"),
    ('\u{10ea}', "\u{10ea}"),
    ('\u{10eb}', "\u{10eb}"),
    ('\u{10ec}', "\u{10ec}"),
    ('\u{10ed}', "\u{10ed}"),
    ('\u{10ee}', "\u{10ee}"),
    ('\u{10ef}', "\u{10ef}"),
    ('\u{10f0}', "\u{10f0}"),
    ('\u{10f1}', "\u{10f1}"),
    ('\u{10f2}', "\u{10f2}"),
    ('\u{10f3}', "\u{10f3}"),
    ('\u{10f4}', "\u{10f4}"),
    ('\u{10f5}', "\u{10f5}"),
    ('\u{10f6}', "\u{10f6}"),
    ('\u{10f7}', "\u{10f7}"),
    ('\u{10f8}', "\u{10f8}"),
    ('\u{10f9}', "\u{10f9}"),
    ('\u{10fa}', "\u{10fa}"),
    ('\u{10fd}', "\u{10fd}"),
    ('\u{10fe}', "\u{10fe}"),
    ('\u{10ff}', "\u{10ff}"),
    ('\u{1f80}', "\u{1f88}"),
    ('\u{1f81}', "\u{1f89}"),
    ('\u{1f82}', "\u{1f8a}"),
    ('\u{1f83}', "\u{1f8b}"),
    ('\u{1f84}', "\u{1f8c}"),
    ('\u{1f85}', "\u{1f8d}"),
    ('\u{1f86}', "\u{1f8e}"),
    ('\u{1f87}', "\u{1f8f}"),
    ('\u{1f88}', "\u{1f88}"),
    ('\u{1f89}', "\u{1f89}"),
    ('\u{1f8a}', "\u{1f8a}"),
    ('\u{1f8b}', "\u{1f8b}"),
    ('\u{1f8c}', "\u{1f8c}"),
    ('\u{1f8d}', "\u{1f8d}"),
    ('\u{1f8e}', "\u{1f8e}"),
    ('\u{1f8f}', "\u{1f8f}"),
    ('\u{1f90}', "\u{1f98}"),
    ('\u{1f91}', "\u{1f99}"),
    ('\u{1f92}', "\u{1f9a}"),
    ('\u{1f93}', "\u{1f9b}"),
    ('\u{1f94}', "\u{1f9c}"),
    ('\u{1f95}', "\u{1f9d}"),
    ('\u{1f96}', "\u{1f9e}"),
    ('\u{1f97}', "\u{1f9f}"),
    ('\u{1f98}', "\u{1f98}"),
    ('\u{1f99}', "\u{1f99}"),
    ('\u{1f9a}', "\u{1f9a}"),
    ('\u{1f9b}', "\u{1f9b}"),
    ('\u{1f9c}', "\u{1f9c}"),
    ('\u{1f9d}', "\u{1f9d}"),
    ('\u{1f9e}', "\u{1f9e}"),
    ('\u{1f9f}', "\u{1f9f}"),
    ('\u{1fa0}', "\u{1fa8}"),
    ('\u{1fa1}', "\u{1fa9}"),
    ('\u{1fa2}', "\u{1faa}"),
    ('\u{1fa3}', "\u{1fab}"),
    ('\u{1fa4}', "\u{1fac}"),
    ('\u{1fa5}', "\u{1fad}"),
    ('\u{1fa6}', "\u{1fae}"),
    ('\u{1fa7}', "\u{1faf}"),
    ('\u{1fa8}', "\u{1fa8}"),
    ('\u{1fa9}', "\u{1fa9}"),
    ('\u{1faa}', "\u{1faa}"),
    ('\u{1fab}', "\u{1fab}"),
    ('\u{1fac}', "\u{1fac}"),
    ('\u{1fad}', "\u{1fad}"),
    ('\u{1fae}', "\u{1fae}"),
    ('\u{1faf}', "\u{1faf}"),
    ('\u{1fb2}', "\u{1fba}\u{345}"),
    ('\u{1fb3}', "\u{1fbc}"),
    ('\u{1fb4}', "\u{386}\u{345}"),
    ('\u{1fb7}', "\u{391}\u{342}\u{345}"),
    ('\u{1fbc}', "\u{1fbc}"),
    ('\u{1fc2}', "\u{1fca}\u{345}"),
    ('\u{1fc3}', "\u{1fcc}"),
    ('\u{1fc4}', "\u{389}\u{345}"),
    ('\u{1fc7}', "\u{397}\u{342}\u{345}"),
    ('\u{1fcc}', "\u{1fcc}"),
    ('\u{1ff2}', "\u{1ffa}\u{345}"),
    ('\u{1ff3}', "\u{1ffc}"),
    ('\u{1ff4}', "\u{38f}\u{345}"),
    ('\u{1ff7}', "\u{3a9}\u{342}\u{345}"),
    ('\u{1ffc}', "\u{1ffc}"),
    ('\u{fb00}', "Ff"),
    ('\u{fb01}', "Fi"),
    ('\u{fb02}', "Fl"),
    ('\u{fb03}', "Ffi"),
    ('\u{fb04}', "Ffl"),
    ('\u{fb05}', "St"),
    ('\u{fb06}', "St"),
    ('\u{fb13}', "\u{544}\u{576}"),
    ('\u{fb14}', "\u{544}\u{565}"),
    ('\u{fb15}', "\u{544}\u{56b}"),
    ('\u{fb16}', "\u{54e}\u{576}"),
    ('\u{fb17}', "\u{544}\u{56d}"),
];

/// Letters of category Lt (titlecase): cased, though neither upper nor lower case.
const TITLECASE_LETTERS: &[char] = &[
    '\u{1c5}', '\u{1c8}', '\u{1cb}', '\u{1f2}', '\u{1f88}', '\u{1f89}', '\u{1f8a}', '\u{1f8b}',
    '\u{1f8c}', '\u{1f8d}', '\u{1f8e}', '\u{1f8f}', '\u{1f98}', '\u{1f99}', '\u{1f9a}', '\u{1f9b}',
    '\u{1f9c}', '\u{1f9d}', '\u{1f9e}', '\u{1f9f}', '\u{1fa8}', '\u{1fa9}', '\u{1faa}', '\u{1fab}',
    '\u{1fac}', '\u{1fad}', '\u{1fae}', '\u{1faf}', '\u{1fbc}', '\u{1fcc}', '\u{1ffc}',
];

/// The Unicode titlecase mapping of `c`, which differs from uppercase for some characters (`ß` →
/// `Ss`, `ǆ` → `ǅ`, `ᾳ` → `ᾼ`).
fn push_titlecase(out: &mut String, c: char) {
    match TITLECASE.binary_search_by_key(&c, |(k, _)| *k) {
        Ok(i) => out.push_str(TITLECASE[i].1),
        Err(_) => out.extend(c.to_uppercase()),
    }
}

const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Whether `s` is a Python identifier that is not a keyword. Non-ASCII letters are allowed, as in
/// Python 3 (`école_modules` imports fine).
pub fn is_identifier(s: &str) -> bool {
    is_python_name(s) && !PYTHON_KEYWORDS.contains(&s)
}

fn nfkc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().collect()
}

/// Why a generated name cannot be used as it is, for the note that says what was used instead.
fn why_not_importable(name: &str) -> String {
    if !is_identifier(name) {
        "not a valid Python identifier".into()
    } else if name.starts_with("__") {
        "a name starting with `__` is mangled inside class bodies".into()
    } else {
        format!("Python reads it as `{}`", nfkc(name))
    }
}

/// An identifier Python finds under the same name: Python NFKC-normalises identifiers, so `ﬁle`
/// is looked up as `file` and a folder named `ﬁle_modules` is never imported.
pub fn is_importable(s: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    is_identifier(s) && s.nfkc().eq(s.chars())
}

/// Python's `str.isidentifier()`: XID_Start or `_`, then XID_Continue (so `a·b` is a name and a
/// leading combining mark is not). Keywords are names too here.
pub fn is_python_name(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first == '_' || unicode_ident::is_xid_start(first))
        && chars.all(unicode_ident::is_xid_continue)
}

/// Turns text into an identifier stem: runs of other characters become `sep`, and `prefix` goes in
/// front when the text starts with a digit.
fn identifier_stem(text: &str, sep: &str, prefix: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // The name Python will look up (NFKC: `ﬁle` → `file`, `ｆｕｌｌ` → `full`).
    let text: String = text.nfkc().collect();
    let mut out = String::new();
    let mut pending_sep = false;
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            if pending_sep && !out.is_empty() {
                out.push_str(sep);
            }
            pending_sep = false;
            out.push(c);
        } else {
            pending_sep = true;
        }
    }
    if out.starts_with(|c: char| c.is_numeric()) {
        out.insert_str(0, prefix);
    }
    out
}

/// The library's slug rule.
pub fn is_valid_slug(slug: &str) -> bool {
    let mut chars = slug.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_' | '.' | '-'))
}

/// Transliterates to ASCII (`Ü` → `U`, `ß` → `ss`).
pub fn ascii_fold(s: &str) -> String {
    deunicode::deunicode(s)
}

/// A slug that always matches the library's rule: ASCII-folded, lowercase, other characters as `-`.
pub fn slugify(name: &str) -> String {
    let folded = ascii_fold(name).to_lowercase();
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out
        .trim_matches(|c: char| c == '-' || c == '.' || c == '_')
        .to_string();
    if trimmed.starts_with(|c: char| c.is_ascii_lowercase()) {
        trimmed
    } else {
        format!("module-{trimmed}")
            .trim_end_matches('-')
            .to_string()
    }
}

/// A single, portable path component: no separators, reserved or control characters, no leading dot.
fn safe_dir_name(dir: &str) -> String {
    let cleaned: String = dir
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*')
        })
        .collect();
    let cleaned = cleaned
        .trim_start_matches('.')
        .trim_end_matches(['.', ' '])
        .to_string();
    if cleaned.is_empty() {
        "module".to_string()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_titlecase_table_is_sorted_for_binary_search() {
        assert!(TITLECASE.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(py_title("ᾳx ǆx"), "ᾼx ǅx");
    }

    #[test]
    fn python_title_semantics() {
        assert_eq!(py_title("mod2go x"), "Mod2Go X");
        assert_eq!(py_title("TestHTTP"), "Testhttp");
        assert_eq!(py_title("o'neil"), "O'Neil");
        assert_eq!(py_title("ÉCOLE ßtraße"), "École Sstraße");
        assert_eq!(py_title("foo-bar baz"), "Foo-Bar Baz");
    }

    #[test]
    fn sdk_names_when_valid() {
        let n = derive("TestHTTP").unwrap();
        assert_eq!(
            (
                n.dir.as_str(),
                n.package.as_str(),
                n.module_class().as_str(),
                n.slug.as_str()
            ),
            ("TestHTTP", "testhttp_modules", "TesthttpModule", "testhttp")
        );
        assert!(n.notes.is_empty());
        let n = derive("mod2go x").unwrap();
        assert_eq!(n.module_class(), "Mod2GoXModule");
        assert_eq!(n.package, "mod2go_x_modules");
        assert_eq!(n.slug, "mod2go-x");
    }

    #[test]
    fn derived_names_when_the_sdk_would_break() {
        let n = derive("My-module").unwrap();
        assert_eq!(n.package, "my_module_modules");
        assert_eq!(n.module_class(), "MyModuleModule");
        assert_eq!(n.slug, "my-module");
        let n = derive("2fast").unwrap();
        assert_eq!(n.package, "module_2fast_modules");
        assert_eq!(n.module_class(), "Module2FastModule");
        assert_eq!(n.slug, "module-2fast");
        let n = derive("Ümlaut Straße").unwrap();
        assert_eq!(n.slug, "umlaut-strasse");
        assert_eq!(n.package, "ümlaut_straße_modules");
        let n = derive("../evil").unwrap();
        assert_eq!(n.dir, "evil");
        assert!(n.package == "evil_modules");
        assert!(is_valid_slug(&derive("a\"b").unwrap().slug));
    }

    #[test]
    fn refusals() {
        assert!(derive("").is_err());
        assert!(derive("   ").is_err());
        assert!(derive("!!!").is_err());
        assert!(derive(&"x".repeat(300)).is_err());
        assert!(derive("a\nb").is_err());
    }
}

#[cfg(test)]
mod identifier_tests {
    use super::*;

    #[test]
    fn identifiers_follow_python_xid_rules() {
        // Python: "a·b".isidentifier() is True; "\u0301a".isidentifier() is False.
        assert!(is_identifier("a·b"));
        assert!(!is_identifier("\u{301}a"));
        assert!(is_identifier("Straße"));
        assert!(!is_identifier("class"));
        assert!(is_python_name("class"));
        assert!(!is_identifier("2x"));
    }

    /// Issue 15 (9): names Python NFKC-normalises, and dunder names mangled inside classes.
    #[test]
    fn generated_names_are_the_names_python_imports() {
        let file = derive("ﬁle").unwrap();
        assert_eq!(file.package, "file_modules");
        let full = derive("ｆｕｌｌ").unwrap();
        assert_eq!(
            (full.package.as_str(), full.class_prefix.as_str()),
            ("full_modules", "Full")
        );
        let hello = derive("ℌello").unwrap();
        assert_eq!(
            (hello.package.as_str(), hello.class_prefix.as_str()),
            ("hello_modules", "Hello")
        );
        let init = derive("__init__").unwrap();
        assert!(!init.class_prefix.starts_with('_'), "{}", init.class_prefix);
        // Names Python keeps as they are stay the SDK's.
        assert_eq!(
            derive("Ümlaut Straße").unwrap().package,
            "ümlaut_straße_modules"
        );
    }
}
