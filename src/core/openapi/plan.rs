//! Actions into a plan of files: on a module on disk (additive, like every `add`) or on a module
//! being created. Names that collide — between operations or with what the module has — get a
//! numbered suffix and a note, where the SDK silently skipped the operation.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{json, Map, Value};

use super::action::{self, Action};
use super::auth::{self, AuthSettings};
use super::python;
use super::spec::Spec;
use super::Options;
use crate::core::failure::Failure;
use crate::core::generate::{self, Generated};
use crate::core::model::{Answers, FieldSpec};
use crate::core::plan::Plan;
use crate::core::sync::{self, SourceTree};

/// One action as a front end shows it before writing (the review's preview of its JSON).
#[derive(Debug, Clone)]
pub struct ActionPreview {
    pub operation: super::Operation,
    pub file: String,
    pub class_name: String,
    pub docker_parameters: String,
    /// The manifest as it will be written.
    pub json: String,
}

/// What the module already uses, so new names do not collide with it.
#[derive(Debug, Default)]
struct Taken {
    files: BTreeSet<String>,
    names: BTreeSet<String>,
    docker: BTreeSet<String>,
    classes: BTreeSet<String>,
}

impl Taken {
    fn of(tree: &SourceTree, package: &str) -> anyhow::Result<Taken> {
        let mut taken = Taken::default();
        for (name, _) in tree.list_dir("") {
            taken.files.insert(name);
        }
        for json in sync::on_disk::component_jsons(tree) {
            taken.names.extend(json.name().map(str::to_string));
            taken
                .docker
                .extend(json.docker_parameters().map(str::to_string));
        }
        if let Some(main) = sync::on_disk::main_py(tree) {
            for r in main.registrations {
                taken.docker.extend(r.docker_parameters);
                taken.classes.insert(r.class);
            }
            taken.classes.extend(main.module.map(|m| m.class));
        }
        if tree.read("manifest.json").is_some() {
            let index = sync::index::Index::load(tree)?;
            for key in index.all_classes() {
                if key.module.split('.').next() == Some(package) {
                    taken.classes.insert(key.name);
                }
            }
        }
        taken.classes.insert("Base".into());
        Ok(taken)
    }
}

/// `base`, else `base{sep}2`, `base{sep}3`… the first that `free` accepts.
fn unique(base: &str, sep: &str, free: impl Fn(&str) -> bool) -> String {
    if free(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}{sep}{n}"))
        .find(|c| free(c))
        .expect("some suffix is free")
}

/// A class name Python accepts: the SDK's, prefixed when it starts with a digit or is a keyword.
fn valid_class(name: &str) -> String {
    let name = if name.is_empty() { "Action" } else { name };
    if name.starts_with(|c: char| c.is_ascii_digit()) || ["None", "True", "False"].contains(&name) {
        format!("Action{name}")
    } else {
        name.to_string()
    }
}

struct Built {
    actions: Vec<Action>,
    base_url: String,
    auth: AuthSettings,
    notes: Vec<String>,
}

fn build(spec: &Spec, options: &Options, taken: &mut Taken) -> Result<Built, Failure> {
    let ops = options.selection.pick(spec.operations())?;
    if ops.is_empty() {
        return Err(Failure::with_hint(
            format!(
                "{} has no get, post, put, patch or delete operation",
                spec.source
            ),
            "check the spec's `paths`",
        ));
    }
    let mut notes = Vec::new();
    let mut actions = Vec::new();
    for op in &ops {
        let mut a = action::build(spec, op, options.tags_in_names, &mut notes);
        let name = unique(&a.name, "_", |n| {
            !taken.names.contains(n) && !taken.files.contains(&format!("action_{n}.json"))
        });
        if name != a.name {
            notes.push(format!(
                "{}: the name `{}` is taken; this action is `{name}` (action_{name}.json)",
                op.label(),
                a.name
            ));
            a.arguments["title"] = json!(name);
            a.name = name;
        }
        let class = unique(&valid_class(&a.class_name), "", |c| {
            !taken.classes.contains(c)
        });
        if class != a.class_name {
            notes.push(format!(
                "{}: the class `{}` is taken or not a Python name; it is `{class}`",
                op.label(),
                a.class_name
            ));
            a.class_name = class;
        }
        let docker = unique(&a.docker_parameters, "_", |d| !taken.docker.contains(d));
        if docker != a.docker_parameters {
            notes.push(format!(
                "{}: docker_parameters `{}` is taken; it is registered as `{docker}`",
                op.label(),
                a.docker_parameters
            ));
            a.docker_parameters = docker;
        }
        taken.names.insert(a.name.clone());
        taken.files.insert(format!("action_{}.json", a.name));
        taken.classes.insert(a.class_name.clone());
        taken.docker.insert(a.docker_parameters.clone());
        actions.push(a);
    }
    let base_url = auth::base_url(spec, options.base_url.as_deref(), &mut notes);
    let auth = auth::settings(
        spec,
        &ops,
        options.auth,
        options.auth_header.as_deref(),
        &mut notes,
    );
    notes.dedup();
    Ok(Built {
        actions,
        base_url,
        auth,
        notes,
    })
}

/// The manifest: the SDK's keys in its order, a uuid5 of the module uuid and docker_parameters.
fn manifest(action: &Action, module_uuid: &uuid::Uuid) -> String {
    let mut map = Map::new();
    let uuid = uuid::Uuid::new_v5(module_uuid, action.docker_parameters.as_bytes());
    map.insert("uuid".into(), json!(uuid.to_string()));
    map.insert("name".into(), json!(action.name));
    map.insert("docker_parameters".into(), json!(action.docker_parameters));
    map.insert("description".into(), json!(action.description));
    map.insert("arguments".into(), action.arguments.clone());
    map.insert("results".into(), action.results.clone());
    crate::core::pyjson::dumps(&Value::Object(map))
}

/// The actions' manifests, for a front end to show before anything is planned.
pub fn preview(
    spec: &Spec,
    options: &Options,
    module_uuid: Option<uuid::Uuid>,
) -> Result<Vec<ActionPreview>, Failure> {
    let built = build(spec, options, &mut Taken::default())?;
    let ns = module_uuid.unwrap_or(uuid::Uuid::nil());
    Ok(built
        .actions
        .iter()
        .map(|a| ActionPreview {
            operation: a.op.clone(),
            file: format!("action_{}.json", a.name),
            class_name: a.class_name.clone(),
            docker_parameters: a.docker_parameters.clone(),
            json: manifest(a, &ns),
        })
        .collect())
}

fn tree_of(plan: &Plan) -> SourceTree {
    let mut tree = SourceTree::from_disk(&plan.root);
    for file in plan.files() {
        tree.overlay(file.path.clone(), file.contents.clone());
    }
    tree
}

fn module_uuid(tree: &SourceTree, notes: &mut Vec<String>) -> uuid::Uuid {
    let found = tree
        .read("manifest.json")
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|m| uuid::Uuid::parse_str(m.get("uuid")?.as_str()?).ok());
    found.unwrap_or_else(|| {
        notes.push("manifest.json has no uuid: the actions' uuids derive from the nil uuid".into());
        uuid::Uuid::nil()
    })
}

/// black's line length from pyproject.toml (88 when unset), for main.py's registrations.
fn line_length(tree: &SourceTree) -> usize {
    tree.read_string("pyproject.toml")
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|t| {
            t.get("tool")?
                .get("black")?
                .get("line-length")?
                .as_integer()
        })
        .map(|n| n as usize)
        .unwrap_or(88)
}

fn file_stem(spec: &Spec) -> String {
    let title: String = spec
        .title()
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let words: Vec<&str> = title.split('_').filter(|w| !w.is_empty()).collect();
    let joined = words.join("_");
    let short: String = joined.chars().take(40).collect();
    let short = short.trim_end_matches('_');
    if short.is_empty() {
        "openapi".into()
    } else {
        format!("openapi_{short}")
    }
}

/// Adds the built actions to `plan`: the classes' file, its tests, one manifest per action, and
/// one import + registration per action in main.py.
fn put(plan: &mut Plan, spec: &Spec, package: &str, built: &Built) -> anyhow::Result<Vec<String>> {
    let tree = tree_of(plan);
    let mut notes = Vec::new();
    let ns = module_uuid(&tree, &mut notes);
    let stem = unique(&file_stem(spec), "_", |s| {
        !tree.is_file(&format!("{package}/{s}.py")) && !tree.is_file(&format!("tests/test_{s}.py"))
    });
    plan.put(
        format!("{package}/{stem}.py"),
        python::classes(&built.base_url, &built.auth, &built.actions),
    );
    plan.put(
        format!("tests/test_{stem}.py"),
        python::tests(package, &stem, &built.base_url, &built.auth, &built.actions),
    );
    for a in &built.actions {
        plan.put(format!("action_{}.json", a.name), manifest(a, &ns));
    }
    let mut main = tree.read_string("main.py").ok_or_else(|| {
        Failure::with_hint(
            "the module has no main.py",
            "create the module with `sekoia-wizard new`",
        )
    })?;
    let width = line_length(&tree);
    for a in &built.actions {
        main = sync::mainpy::add_registration(
            &main,
            &a.class_name,
            &format!("{package}.{stem}"),
            &a.docker_parameters,
            width,
        )
        .map_err(|why| {
            Failure::with_hint(
                format!("cannot register {}: {why}", a.class_name),
                "fix main.py, then run this again",
            )
        })?;
    }
    plan.put("main.py", main);
    Ok(notes)
}

/// Configuration fields a new module gets so that its actions can be configured: `base_url` and
/// the credentials the authentication reads.
fn configuration_fields(built: &Built) -> Vec<FieldSpec> {
    let mut specs = vec![format!(
        "base_url:str,desc=Base URL of the API{}",
        if built.base_url.is_empty() {
            String::new()
        } else {
            format!(" (default: {})", built.base_url)
        }
    )];
    for key in built.auth.configuration_keys() {
        specs.push(match key {
            "username" => "username:str,required,desc=User name".into(),
            "password" => "password:str,required,secret,desc=Password".into(),
            _ => "api_key:str,required,secret,desc=API key".into(),
        });
    }
    specs
        .iter()
        .map(|s| s.parse().expect("the fields above are valid"))
        .collect()
}

/// The plan that adds the spec's selected operations to the module in `root`; nothing else of the
/// module changes (configuration fields the actions need are named in the notes).
pub fn add_to_module(root: &Path, spec: &Spec, options: &Options) -> anyhow::Result<Generated> {
    add_with_answers(root, &Answers::default(), spec, options)
}

/// `answers`' additions (components, configuration, dependencies: `generate::add_to_module`) and
/// the spec's selected operations, in one plan for the module in `root` — what the wizard writes.
/// With empty answers it is exactly `add_to_module`.
pub fn add_with_answers(
    root: &Path,
    answers: &Answers,
    spec: &Spec,
    options: &Options,
) -> anyhow::Result<Generated> {
    let layout = generate::read_layout(root)?;
    // With nothing but the spec's actions to add, `generate::add_to_module` (and its sync) has no
    // work: the plan starts as an untouched edit of the module.
    let Generated {
        mut plan,
        mut notes,
    } = if (Answers {
        openapi: None,
        ..answers.clone()
    }) == Answers::default()
    {
        Generated {
            plan: Plan::edit(root),
            notes: Vec::new(),
        }
    } else {
        generate::add_to_module(root, answers)?
    };
    let tree = tree_of(&plan);
    let mut taken = Taken::of(&tree, &layout.package)?;
    let built = build(spec, options, &mut taken)?;
    notes.extend(built.notes.clone());
    notes.extend(put(&mut plan, spec, &layout.package, &built)?);
    let configured: Vec<String> = tree
        .read("manifest.json")
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|m| {
            Some(
                m.get("configuration")?
                    .get("properties")?
                    .as_object()?
                    .keys()
                    .cloned()
                    .collect(),
            )
        })
        .unwrap_or_default();
    for key in built.auth.configuration_keys() {
        if !configured.iter().any(|c| c == key) {
            notes.push(format!(
                "the actions read `{key}` from the module configuration, which lacks it: sekoia-wizard add config --arg '{key}:str,required{}'",
                if key == "username" { "" } else { ",secret" }
            ));
        }
    }
    Ok(Generated { plan, notes })
}

/// The plan that creates the module `answers` describes (named after the spec's title and
/// description where the answers leave them empty) with the spec's selected operations as actions,
/// and the configuration fields they read (`base_url`, the credentials) after `answers`' own
/// unless it has fields of those names — what the wizard and `new --answers` write.
pub fn new_module_with_answers(
    answers: &Answers,
    spec: &Spec,
    options: &Options,
    output_dir: &Path,
) -> anyhow::Result<Generated> {
    let mut module = answers.module.clone().ok_or_else(|| {
        Failure::with_hint(
            "the answers describe no module",
            "give the module a name first",
        )
    })?;
    if module.name.is_empty() {
        module.name = spec.title().ok_or_else(|| {
            Failure::with_hint(
                format!("{} has no info.title to name the module", spec.source),
                "pass --name NAME",
            )
        })?;
    }
    if module.description.is_empty() {
        module.description = spec.summary_description().unwrap_or_default();
    }
    let names = module.names()?;
    // The configuration the actions read depends on the spec and options only, not on names.
    let fields = configuration_fields(&build(spec, options, &mut Taken::default())?);
    let mut answers = answers.clone();
    answers.module = Some(module);
    for field in fields {
        if !answers.configuration.iter().any(|f| f.name == field.name) {
            answers.configuration.push(field);
        }
    }
    let generated = generate::new_module(&answers, output_dir)?;
    let mut plan = generated.plan;
    let mut taken = if answers.components.is_empty() {
        Taken::default()
    } else {
        Taken::of(&tree_of(&plan), &names.package)?
    };
    taken.classes.insert(names.module_class());
    taken.classes.insert(names.configuration_class());
    let built = build(spec, options, &mut taken)?;
    let mut notes = generated.notes;
    notes.extend(built.notes.clone());
    notes.extend(put(&mut plan, spec, &names.package, &built)?);
    Ok(Generated { plan, notes })
}
