//! `py_title` is Python's `str.title()`: the SDK derives the module class name with it, so the
//! wizard must give the same letters, including those whose titlecase is not their uppercase
//! (`ᾳx` → `ᾼx`, `ǆx` → `ǅx`, `ßx` → `Ssx`) and the titlecase letters themselves (`ᾼX` → `ᾼx`: a
//! titlecase letter is cased, so the next letter is lowered). Compared with the real `python3`.

use std::io::Write;
use std::process::{Command, Stdio};

use sekoia_wizard::core::naming::py_title;

/// Every character Python title-cases to something other than its uppercase, and every letter of
/// category Lt, as Python lists them.
fn special_letters() -> Option<Vec<char>> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import unicodedata, sys\n\
             cs = [c for c in map(chr, range(0x110000))\n\
                   if c.title() != c.upper() or unicodedata.category(c) == 'Lt']\n\
             sys.stdout.write(''.join(cs))",
        ])
        .output();
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8(o.stdout).unwrap().chars().collect()),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "python3 is required in CI"
            );
            eprintln!("skipped: no python3 to compare str.title() with");
            None
        }
    }
}

fn python_titles(words: &[String]) -> Vec<String> {
    let mut child = Command::new("python3")
        .args([
            "-c",
            "import json, sys\nprint(json.dumps([w.title() for w in json.load(sys.stdin)]))",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(words).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn titlecase_letters_title_as_python_does() {
    let Some(letters) = special_letters() else {
        return;
    };
    assert!(letters.len() > 100, "{letters:?}");
    let mut words = vec!["ᾳx".to_string(), "ǆungla".into(), "straße ßig".into()];
    for c in letters {
        words.extend([
            format!("{c}x"),
            format!("{c}X"),
            format!("a{c}x"),
            format!("x {c}{c}"),
            format!("1{c}"),
        ]);
    }
    let python = python_titles(&words);
    let differ: Vec<String> = words
        .iter()
        .zip(&python)
        .filter(|(w, p)| py_title(w) != **p)
        .map(|(w, p)| format!("{w:?}: python {p:?}, py_title {:?}", py_title(w)))
        .collect();
    assert!(
        differ.is_empty(),
        "{} of {} differ:\n{}",
        differ.len(),
        words.len(),
        differ.join("\n")
    );
    assert_eq!(py_title("ᾳx"), "ᾼx");
}

/// A capital sigma lowered inside a title is `ς` where it ends a word (Final_Sigma: a cased letter
/// before it, none after, case-ignorable characters such as `'` or a combining accent skipped).
#[test]
fn a_final_sigma_titles_as_python_does() {
    if special_letters().is_none() {
        return;
    }
    let words: Vec<String> = [
        "ΑΣ",
        "ΑΣ Β",
        "ΑΣΑ",
        "ΑΣ1",
        "Σ",
        "ΣΣ",
        "aΣ_x",
        "ΑΣ.",
        "ΑΣ'Β",
        "Α'Σ",
        "ΑΣ\u{301}",
        "ΑΣ\u{301}Β",
        "ΟΔΥΣΣΕΥΣ",
        "ΑΣ'",
        "1Σ",
    ]
    .iter()
    .map(|w| w.to_string())
    .collect();
    let python = python_titles(&words);
    for (w, p) in words.iter().zip(&python) {
        assert_eq!(&py_title(w), p, "{w:?}");
    }
    assert_eq!(py_title("ΟΔΥΣΣΕΥΣ"), "Οδυσσευς");
}
