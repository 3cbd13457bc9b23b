//! One test per rule of the real checker: a library with a clean code module (`Mod`) and a clean
//! intake module (`Fmt`), one thing broken, and the exact set of lines the real checker prints.
//! With `SEKOIA_COMPLIANCE_PYTHON` + `SEKOIA_COMPLIANCE_DIR` set, each case is also run through the
//! real Python checker and the sets must be equal (except the cases marked as deliberate fixes).

use crate::check_support;

use check_support::*;
use serde_json::json;

/// Whether the real checker gives the same lines (`false` for the bugs fixed on purpose).
#[derive(PartialEq)]
enum Python {
    Same,
    Differs,
}

fn case(setup: impl FnOnce(&Lib), expected: &[&str], python: Python) {
    let lib = Lib::new();
    lib.code_module("Mod");
    lib.format_module("Fmt");
    setup(&lib);
    let ours = check_library(&lib);
    assert_eq!(ours, set(expected), "sekoia-wizard check");
    if python == Python::Same {
        if let Some((theirs, code)) = python_lines(&lib) {
            assert_eq!(theirs, ours, "real checker disagrees");
            assert_eq!(code, if ours.is_empty() { 0 } else { 1 });
        } else if std::env::var("CI").as_deref() == Ok("true")
            && std::env::var_os("SEKOIA_COMPLIANCE_DIR").is_some()
        {
            panic!("the Python checker was asked for but could not run");
        }
    }
}

#[test]
fn clean_library_passes() {
    case(|_| {}, &[], Python::Same);
}

// ---- CHANGELOG.md ----

#[test]
fn changelog_missing() {
    case(
        |l| l.remove("Mod/CHANGELOG.md"),
        &["Mod:CHANGELOG.md:changelog is missing"],
        Python::Same,
    );
}

#[test]
fn changelog_without_header() {
    case(
        |l| l.write("Fmt/CHANGELOG.md", "Changes\n\n## Unreleased\n"),
        &["Fmt:CHANGELOG.md:No 'Changelog' header found."],
        Python::Same,
    );
}

#[test]
fn changelog_header_title_and_extra_heading() {
    let text = CHANGELOG.replace("# Changelog", "# Release notes") + "\n# Appendix\n";
    case(
        |l| l.write("Mod/CHANGELOG.md", text),
        &[
            "Mod:CHANGELOG.md:Unexpected additional top-level heading found.",
            "Mod:CHANGELOG.md:Header title not valid. Options are [Changelog,Change log]",
        ],
        Python::Same,
    );
}

#[test]
fn changelog_default_content() {
    let text = "# Changelog\n\nAll changes are here.\n\n## Unreleased\n";
    case(
        |l| l.write("Fmt/CHANGELOG.md", text),
        &[
            "Fmt:CHANGELOG.md:Missing default content 'All notable changes to this project will be documented in this file.'",
            "Fmt:CHANGELOG.md:Missing default content 'The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.0.0/), and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).'",
        ],
        Python::Same,
    );
}

#[test]
fn changelog_without_entries() {
    let text = CHANGELOG.split("## Unreleased").next().unwrap().to_string();
    case(
        |l| l.write("Fmt/CHANGELOG.md", text),
        &["Fmt:CHANGELOG.md:No entries in changelog"],
        Python::Same,
    );
}

#[test]
fn changelog_invalid_version_missing_and_bad_dates() {
    let text = CHANGELOG
        .replace("## 2024-05-28 - 1.1.0", "## 2024-05-28 - 1.1")
        .replace(
            "## 2024-01-10 - 1.0.0",
            "## 1.0.0\n\n### Fixed\n\n- x\n\n## 2023-21-01 - 0.9.0",
        );
    case(
        |l| l.write("Mod/CHANGELOG.md", text),
        &[
            "Mod:CHANGELOG.md:Line '2024-05-28 - 1.1' has invalid semantic version.",
            "Mod:CHANGELOG.md:Versions need to be decorated with a release date in the following format 'YYYY-MM-DD'",
            "Mod:CHANGELOG.md:Date does not match format 'YYYY-MM-DD'",
        ],
        Python::Same,
    );
}

#[test]
fn changelog_content_outside_section_and_bad_section() {
    let text = CHANGELOG.replace(
        "### Changed\n\n- Upgrade",
        "Some words\n\n### Improved\n\n- Upgrade",
    );
    case(
        |l| l.write("Mod/CHANGELOG.md", text),
        &[
            "Mod:CHANGELOG.md:Version has content outside of a section.",
            "Mod:CHANGELOG.md:\"Improved\" is not a valid section for a version. Options are [Added,Changed,Deprecated,Removed,Fixed,Security]",
        ],
        Python::Same,
    );
}

#[test]
fn changelog_versions_not_descending() {
    let text = CHANGELOG.replace("- 1.0.0", "- 1.2.0");
    case(
        |l| l.write("Mod/CHANGELOG.md", text),
        &["Mod:CHANGELOG.md:Versions are not in descending order."],
        Python::Same,
    );
}

#[test]
fn changelog_crlf_and_heading_quirks_are_read_like_python() {
    // CRLF is read with universal newlines; `## a` right after a heading line is invisible.
    let text = CHANGELOG
        .replace('\n', "\r\n")
        .replace("## Unreleased\r\n\r\n", "## Unreleased\r\n");
    case(|l| l.write("Mod/CHANGELOG.md", text), &[], Python::Same);
}

// ---- manifest.json ----

#[test]
fn manifest_missing_and_unreadable() {
    case(
        |l| {
            l.remove("Fmt/manifest.json");
            l.write("Mod/manifest.json", "{\"name\": ");
        },
        &[
            "Fmt:manifest.json:manifest.json is missing",
            "Mod:manifest.json:manifest.json is not readable",
        ],
        Python::Same,
    );
}

#[test]
fn manifest_required_keys_and_slug() {
    case(
        |l| {
            l.edit("Mod/manifest.json", |m| {
                m.remove("uuid");
                m.insert("name".into(), json!(""));
                m.remove("slug");
            });
            l.edit("Fmt/manifest.json", |m| {
                m.insert("slug".into(), json!("Fmt Module"));
            });
        },
        &[
            "Mod:manifest.json:`uuid` is not present in manifest.json",
            "Mod:manifest.json:`name` is not present in manifest.json",
            "Mod:manifest.json:`slug` is not present in manifest.json",
            "Fmt:manifest.json:`slug` is not correct in manifest.json",
        ],
        Python::Same,
    );
}

#[test]
fn manifest_version_not_semver() {
    case(
        |l| {
            l.edit("Fmt/manifest.json", |m| {
                m.insert("version".into(), json!("1.0"));
            })
        },
        &["Fmt:manifest.json:'1.0' is not valid semantic version. Read more: https://semver.org/"],
        Python::Same,
    );
}

#[test]
fn manifest_configuration_schema() {
    case(
        |l| {
            l.edit("Mod/manifest.json", |m| {
                m["configuration"]["properties"]["api_key"]["pattern"] = json!("(?<name>x)");
            });
            l.edit("Fmt/manifest.json", |m| {
                m.insert("configuration".into(), json!({"type": "text"}));
            });
        },
        &[
            "Mod:manifest.json:`configuration` is not valid JSON schema",
            "Fmt:manifest.json:`configuration` is not valid JSON schema",
        ],
        Python::Same,
    );
}

#[test]
fn manifest_categories() {
    case(
        |l| {
            l.edit("Mod/manifest.json", |m| {
                m.remove("categories");
            });
            l.edit("Fmt/manifest.json", |m| {
                m.insert("categories".into(), json!(["Network", "Firewall"]));
            });
        },
        &[
            "Mod:manifest.json:`category` is non-existent or doesn't contain any category",
            "Fmt:manifest.json:`category` could not contain value 'Firewall'",
        ],
        Python::Same,
    );
}

#[test]
fn manifest_empty_version_does_not_claim_configuration_is_missing() {
    // The real checker also prints "`configuration` is not present" here (it tests `version`).
    case(
        |l| {
            l.edit("Fmt/manifest.json", |m| {
                m.insert("version".into(), json!(""));
            })
        },
        &[
            "Fmt:manifest.json:`version` is not present in manifest.json",
            "Fmt:manifest.json:'' is not valid semantic version. Read more: https://semver.org/",
        ],
        Python::Differs,
    );
}

#[test]
fn manifest_crash_cases_become_errors() {
    // Each of these crashes the real checker (traceback, exit 1).
    case(
        |l| {
            l.edit("Mod/manifest.json", |m| {
                m.insert("version".into(), json!(2));
                m.insert("categories".into(), json!(null));
            });
            l.write("Fmt/manifest.json", "[]");
        },
        &[
            "Mod:manifest.json:'2' is not valid semantic version. Read more: https://semver.org/",
            "Mod:manifest.json:`category` is non-existent or doesn't contain any category",
            "Fmt:manifest.json:manifest.json is not readable",
        ],
        Python::Differs,
    );
}

// ---- logo ----

#[test]
fn logo_missing_svg_enough() {
    case(
        |l| {
            l.remove("Mod/logo.png");
            l.remove("Fmt/logo.png");
            l.write("Fmt/logo.svg", "not even svg");
        },
        &["Mod:logo.png:Logo is missing"],
        Python::Same,
    );
}

#[test]
fn logo_not_square_too_heavy_not_png() {
    case(
        |l| {
            l.write("Mod/logo.png", fixture("logo_3x2.png"));
            l.write("Fmt/logo.png", fixture("logo_big.png"));
            l.code_module("Jpeg");
            l.edit("Jpeg/manifest.json", |m| {
                m.insert("slug".into(), json!("jpeg"));
                m.insert("uuid".into(), json!(uid("jpeg")));
            });
            l.write("Jpeg/logo.png", fixture("logo_jpeg.png"));
        },
        &[
            "Mod:logo.png:Logo is not square - 3x2px",
            "Fmt:logo.png:Logo file weights more than 50 KiB",
            "Jpeg:logo.png:Logo is not in PNG format",
        ],
        Python::Same,
    );
}

// ---- code modules: tests, lock, Dockerfile ----

#[test]
fn tests_folder_missing_or_empty() {
    case(
        |l| l.remove("Mod/tests"),
        &["Mod:tests:Tests folder is missing"],
        Python::Same,
    );
    case(
        |l| l.remove("Mod/tests/test_search.py"),
        &["Mod:tests:There are no tests in tests folder"],
        Python::Same,
    );
    // tests found recursively
    case(
        |l| {
            l.remove("Mod/tests/test_search.py");
            l.write("Mod/tests/unit/test_deep.py", "");
        },
        &[],
        Python::Same,
    );
}

#[test]
fn lock_file_and_dockerfile() {
    case(
        |l| {
            l.remove("Mod/poetry.lock");
            l.remove("Mod/Dockerfile");
        },
        &[
            "Mod:pyproject.toml:poetry.lock is missing",
            "Mod:Dockerfile:Dockerfile is missing",
        ],
        Python::Same,
    );
}

/// Issue 11: a uv module is told that its uv.lock is the alternative outside the library (a warning
/// beside the checker's own error, whose words stay the same).
#[test]
fn a_uv_lock_is_named_as_the_alternative() {
    let setup = |l: &Lib| {
        l.remove("Mod/poetry.lock");
        l.write("Mod/uv.lock", "version = 1\n");
    };
    case(
        setup,
        &["Mod:pyproject.toml:poetry.lock is missing"],
        Python::Same,
    );
    let lib = Lib::new();
    lib.code_module("Mod");
    setup(&lib);
    let findings = sekoia_wizard::core::compliance::check_module(&lib.module("Mod"));
    assert!(
        findings.iter().any(|f| f.message.starts_with(
            "uv.lock is there: enough for a module not meant for the automation-library"
        )),
        "{findings:?}"
    );
}

#[test]
fn manifest_only_modules_skip_code_rules() {
    case(|l| l.remove("Mod/pyproject.toml"), &[], Python::Same);
}

// ---- component JSONs ----

#[test]
fn component_json_unreadable() {
    case(|l| l.write("Mod/action_search.json", "{,}"), &[
        "Mod:action_search.json:can't load JSON",
        "Mod:main.py:`Docker parameter search` is registered in main.py, but absent in any JSON",
    ], Python::Same);
}

#[test]
fn component_required_keys() {
    case(
        |l| {
            l.edit("Mod/action_search.json", |m| {
                m.insert("name".into(), json!(3));
                m.remove("description");
                m.insert("arguments".into(), json!(true));
                m.remove("results");
            });
            l.edit("Mod/trigger_events.json", |m| {
                m.remove("uuid");
            });
            l.edit("Mod/connector_events.json", |m| {
                m.insert(
                    "arguments".into(),
                    json!({"type": "object", "required": "intake_key"}),
                );
            });
        },
        &[
            "Mod:action_search.json:`name` is not present",
            "Mod:action_search.json:`description` is not present",
            "Mod:action_search.json:`arguments` is not present",
            "Mod:action_search.json:`results` is not present",
            "Mod:trigger_events.json:`uuid` is not present",
            "Mod:connector_events.json:`arguments` is not valid JSON schema",
        ],
        Python::Same,
    );
}

#[test]
fn component_docker_parameters_and_results_schema() {
    case(
        |l| {
            l.edit("Mod/action_search.json", |m| {
                m.remove("docker_parameters");
                m.insert("results".into(), json!({"properties": {"a": {"pattern": "\\p{L}+"}}}));
            });
        },
        &[
            "Mod:action_search.json:`docker_parameters` is not present",
            "Mod:action_search.json:`results` is not valid JSON schema",
            "Mod:main.py:`Docker parameter search` is registered in main.py, but absent in any JSON",
        ],
        Python::Same,
    );
}

// ---- main.py ----

#[test]
fn main_py_missing() {
    case(
        |l| l.remove("Mod/main.py"),
        &["Mod:main.py:main.py is missing"],
        Python::Same,
    );
}

#[test]
fn main_py_registrations() {
    let main = "from sekoia_automation.module import Module\n\nfrom mod_modules import A, B, C\n\n\
def build(module):\n    module.register(A, name=\"extra\")\n    module.register(B, \"extra\")\n\n\
if __name__ == \"__main__\":\n    module = Module()\n    module.register(C, \"events_trigger\")\n    \
m = module\n    m.register(A, \"search\")\n    module.register(A)\n    module.run()\n";
    case(
        |l| l.write("Mod/main.py", main),
        &[
            "Mod:main.py:Docker parameter `extra` used multiple times in main.py",
            "Mod:main.py:Docker parameter `search` is not registered in main.py",
            "Mod:main.py:`Docker parameter extra` is registered in main.py, but absent in any JSON",
        ],
        Python::Same,
    );
}

#[test]
fn main_py_crash_cases_become_errors() {
    case(
        |l| l.write("Mod/main.py", "module = Module()\nmodule.register(A, NAME)\nmodule.register(B, \"search\")\nmodule.register(C, \"events_trigger\")\n"),
        &["Mod:main.py:`module.register` on line 2 does not give the docker parameter as a string literal"],
        Python::Differs,
    );
    case(
        |l| l.write("Mod/main.py", "module = Module(\n"),
        &["Mod:main.py:main.py is not valid Python (syntax error on line 1)"],
        Python::Differs,
    );
}

// ---- across modules ----

#[test]
fn slug_and_uuid_uniqueness() {
    case(
        |l| {
            l.format_module("Other");
            l.edit("Other/manifest.json", |m| {
                m.insert("slug".into(), json!("fmt"));
                m.insert("uuid".into(), json!(uid("manifest-mod")));
            });
        },
        &[
            "Fmt:manifest.json:slug is not unique",
            "Other:manifest.json:slug is not unique",
            "Mod:manifest.json:UUID is not unique",
            "Other:manifest.json:UUID is not unique",
        ],
        Python::Same,
    );
}

#[test]
fn uuids_are_unique_per_kind_only() {
    // an action may reuse the module's UUID; two actions may not share one
    case(
        |l| {
            let mut second = action("Mod", "Count", "count");
            second["uuid"] = json!(uid("Mod-action-search"));
            l.json("Mod/action_count.json", &second);
            let main = std::fs::read_to_string(l.module("Mod/main.py")).unwrap();
            l.write(
                "Mod/main.py",
                main.replace(
                    "    module.run()",
                    "    module.register(SearchAction, \"count\")\n    module.run()",
                ),
            );
            l.edit("Mod/action_search.json", |m| {
                m.insert("uuid".into(), json!(uid("manifest-mod")));
            });
        },
        &[],
        Python::Same,
    );
}

#[test]
fn twins_share_uuid_and_docker_parameters() {
    case(
        |l| {
            l.edit("Mod/connector_events.json", |m| {
                m.insert("uuid".into(), json!(uid("other")));
                m.insert("docker_parameters".into(), json!("events_connector"));
            });
            let main = std::fs::read_to_string(l.module("Mod/main.py")).unwrap();
            l.write("Mod/main.py", main.replace("    module.run()", "    module.register(EventsConnector, \"events_connector\")\n    module.run()"));
        },
        // "events" loses its `e` to `lstrip`, so the real checker names `*_vents.json`
        &[
            "Mod:connector_events.json:UUID is not consistent with trigger_events.json",
            "Mod:connector_events.json:`docker_parameters` is not consistent with trigger_events.json",
        ],
        Python::Differs,
    );
}

#[test]
fn twins_named_without_lstrip_damage_match_python() {
    case(
        |l| {
            l.remove("Mod/trigger_events.json");
            l.remove("Mod/connector_events.json");
            l.json(
                "Mod/trigger_flows.json",
                &trigger("Mod", "Flows", "events_trigger"),
            );
            let mut c = connector("Mod", "Flows", "events_trigger");
            c["uuid"] = json!(uid("different"));
            l.json("Mod/connector_flows.json", &c);
        },
        &["Mod:connector_flows.json:UUID is not consistent with trigger_flows.json"],
        Python::Same,
    );
}

#[test]
fn docker_parameters_unique_per_kind() {
    case(
        |l| {
            let mut second = action("Mod", "Count", "search");
            second["uuid"] = json!(uid("count"));
            l.json("Mod/action_count.json", &second);
        },
        &[
            "Mod:action_search.json:`docker_parameters` is not unique",
            "Mod:action_count.json:`docker_parameters` is not unique",
        ],
        Python::Same,
    );
}

#[test]
fn complianceignore_hides_exact_files() {
    case(
        |l| {
            l.remove("Mod/main.py");
            l.write("Mod/main.py", "");
            l.write(".complianceignore", "# ignored\n\nMod/main.py\n");
        },
        &[],
        Python::Same,
    );
}
