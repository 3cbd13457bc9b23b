//! Reading a spec: a file path or an http(s) URL, JSON or YAML decided by the content (not by the
//! file name, which the SDK trusts), into a `serde_json::Value` whose maps keep the spec's order.

use serde_json::{Map, Number, Value};

use crate::core::failure::Failure;

/// The text of `source`: fetched when it is an http(s) URL, read from disk otherwise.
pub fn read_source(source: &str) -> Result<String, Failure> {
    if is_url(source) {
        let response = ureq::get(source)
            .config()
            .timeout_global(Some(std::time::Duration::from_secs(30)))
            .build()
            .call()
            .map_err(|e| {
                Failure::with_hint(
                    format!("cannot fetch {source}: {e}"),
                    "check the URL, or download the spec and pass its path",
                )
            })?;
        return response
            .into_body()
            .read_to_string()
            .map_err(|e| Failure::new(format!("cannot read the answer from {source}: {e}")));
    }
    std::fs::read_to_string(source).map_err(|e| {
        Failure::with_hint(
            format!("cannot read {source}: {e}"),
            "pass the path of an OpenAPI 3 or Swagger 2 file (JSON or YAML), or an http(s) URL",
        )
    })
}

pub fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

/// Parses JSON when the text looks like JSON (its first character is `{`), else YAML.
pub fn parse(text: &str, source: &str) -> Result<Value, Failure> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| {
            Failure::with_hint(
                format!("{source} is not valid JSON: {e}"),
                "fix the JSON at that line and column",
            )
        });
    }
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| {
        Failure::with_hint(
            format!("{source} is neither JSON nor valid YAML: {e}"),
            "fix the YAML at that line and column",
        )
    })?;
    Ok(from_yaml(yaml))
}

/// YAML to JSON: non-string keys (`200:` response codes) become their text, tags are dropped.
fn from_yaml(value: serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or_else(|| Value::String(n.to_string()))
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(from_yaml).collect()),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                out.insert(key_text(k), from_yaml(v));
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => from_yaml(tagged.value),
    }
}

fn key_text(key: serde_yaml_ng::Value) -> String {
    use serde_yaml_ng::Value as Y;
    match key {
        Y::String(s) => s,
        Y::Null => "null".into(),
        Y::Bool(b) => b.to_string(),
        Y::Number(n) => n.to_string(),
        other => serde_json::to_string(&from_yaml(other)).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_are_told_apart_by_content() {
        let json = parse("{\"a\": {\"200\": 1}}", "x.yaml").unwrap();
        let yaml = parse("a:\n  200: 1\n", "x.json").unwrap();
        assert_eq!(json, yaml);
        let err = parse("{\"a\": }", "s.json").unwrap_err();
        assert!(err.message.contains("not valid JSON"), "{err:?}");
    }
}
