//! The Python-`re` validity port against verdicts of CPython 3.11's `re.compile` on thousands of
//! generated patterns (`tests/fixtures/check/python_re_cases.json`, produced by
//! `scripts/python-re-cases.py`).

use sekoia_wizard::core::compliance::pyre;

#[test]
fn agrees_with_python_re_compile() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check/python_re_cases.json");
    let cases: Vec<(String, bool)> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(cases.len() > 1000);
    let wrong: Vec<_> = cases
        .iter()
        .filter(|(p, ok)| pyre::is_valid(p) != *ok)
        .collect();
    assert!(
        wrong.is_empty(),
        "{} disagreements, e.g. {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(15)]
    );
}

/// Draft-07 schema validity against jsonschema 4.22's `Draft7Validator.check_schema` on generated
/// schemas (`tests/fixtures/check/draft7_schema_cases.json`, from `scripts/draft7-schema-cases.py`).
#[test]
fn agrees_with_python_check_schema() {
    use sekoia_wizard::core::compliance::schema;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check/draft7_schema_cases.json");
    let cases: Vec<(serde_json::Value, bool)> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(cases.len() > 1000);
    let wrong: Vec<_> = cases
        .iter()
        .filter(|(s, ok)| schema::is_valid(s) != *ok)
        .collect();
    assert!(
        wrong.is_empty(),
        "{} disagreements, e.g. {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(10)]
    );
}
