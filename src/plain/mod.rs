//! `sekoia-wizard --plain`: the wizard's flow as line-by-line dialoguer prompts, without colour or
//! full-screen drawing, so screen readers and braille displays can follow it. Same model, same
//! validation (`wizard::validation`), same planning and writing, same Git step (`wizard::git`) as
//! the full-screen wizard. Every question can go back (`ask::BACK`, or Esc on a choice).

mod ask;
mod fields;
mod git;

use std::process::ExitCode;

use dialoguer::theme::SimpleTheme;

use crate::core::deps::validate_requirement;
use crate::core::failure::Failure;
use crate::core::model::{Answers, Category, ComponentKind, ComponentSpec, ModuleSpec, Packaging};
use crate::core::naming;
use crate::core::workspace;
use crate::wizard::effects::{failure_of, plan, save_answers, Extras};
use crate::wizard::validation::{answers_problems, component_problems, StepOf};
use crate::wizard::Flow;
use ask::{walk, Nav, Step};

pub(crate) const THEME: SimpleTheme = SimpleTheme;

/// The questions of a flow, in order (a new module starts with the module's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Question {
    Name,
    Description,
    Categories,
    Packaging,
    Configuration,
    Components,
    Dependencies,
    Write,
}

impl Question {
    fn of(flow: &Flow) -> Vec<Question> {
        use Question::*;
        let mut all = vec![Name, Description, Categories, Packaging];
        if !flow.is_new() {
            all.clear();
        }
        all.extend([Configuration, Components, Dependencies, Write]);
        all
    }

    /// Where a problem of `step` is fixed.
    fn for_step(step: StepOf) -> Question {
        match step {
            StepOf::Module => Question::Name,
            StepOf::Configuration => Question::Configuration,
            StepOf::Components => Question::Components,
            StepOf::Dependencies => Question::Dependencies,
        }
    }
}

/// How the questions ended.
enum End {
    Written(std::path::PathBuf),
    Stopped(ExitCode),
}

pub fn run(flow: Flow, answers: Option<Answers>) -> anyhow::Result<ExitCode> {
    let mut answers = answers.unwrap_or_default();
    match &flow {
        Flow::New { output_dir } => {
            println!("Creating a new module in {}.", output_dir.display());
            answers.module.get_or_insert_with(ModuleSpec::default);
        }
        Flow::Existing { dir, summary } => {
            println!("Adding to the module in {}.", dir.display());
            match summary {
                Ok(m) => {
                    println!("Module {} ({}), version {}.", m.name, m.slug, m.version);
                    for c in &m.components {
                        println!("  has {} {} ({})", c.kind, c.name, c.file);
                    }
                }
                Err(e) => println!("Could not read the module: {e}"),
            }
        }
    }
    println!("{}", ask::HOW_TO_GO_BACK);
    let questions = Question::of(&flow);
    let mut end = None;
    let mut jump: Option<Question> = None;
    loop {
        let finished = walk(questions.len(), |i| {
            if let Some(target) = jump {
                if questions[i] != target {
                    return Ok(Step::Skip);
                }
                jump = None;
            }
            let step = ask_question(questions[i], &flow, &mut answers, &mut end)?;
            if end.is_some() {
                return Ok(Step::Next);
            }
            if step == Step::Back && questions[i] == Question::Write {
                // Back from the review to fix a problem: straight to its question.
                jump = fix_target(&answers, &flow).filter(|t| questions.contains(t));
            }
            Ok(step)
        })?;
        if finished || end.is_some() {
            break;
        }
        jump = None;
        println!("This is the first question; Ctrl-C quits.");
    }
    match end {
        Some(End::Written(root)) => {
            git::git_step(&root)?;
            println!(
                "Next: cd {} && sekoia-wizard check . ; publish with sekoia-wizard push .",
                root.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(End::Stopped(code)) => Ok(code),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// The question to fix the first problem of the answers at, if they have one.
fn fix_target(answers: &Answers, flow: &Flow) -> Option<Question> {
    answers_problems(answers, flow.is_new())
        .first()
        .map(|p| Question::for_step(p.step))
}

fn ask_question(
    q: Question,
    flow: &Flow,
    answers: &mut Answers,
    end: &mut Option<End>,
) -> anyhow::Result<Step> {
    if matches!(
        q,
        Question::Name | Question::Description | Question::Categories | Question::Packaging
    ) {
        return ask_module_question(q, answers.module.get_or_insert_with(ModuleSpec::default));
    }
    Ok(match q {
        Question::Configuration => {
            println!(
                "\nModule configuration fields ({} so far).",
                answers.configuration.len()
            );
            loop {
                match ask::yes_no("Add a module configuration field?", false)? {
                    Nav::Go(true) => {
                        if let Some(f) = fields::ask_field(&answers.configuration, 0, false)? {
                            answers.configuration.push(f);
                        }
                    }
                    Nav::Go(false) => break Step::Next,
                    Nav::Back => break Step::Back,
                }
            }
        }
        Question::Components => {
            println!("\nComponents ({} so far).", answers.components.len());
            loop {
                let items = ["no more components", "action", "trigger", "connector"];
                match ask::choice("Add a component?", &items, 0)? {
                    Nav::Go(0) => break Step::Next,
                    Nav::Go(i) => {
                        let kind = ComponentKind::ALL[i - 1];
                        if let Some(c) = ask_component(kind, &answers.components)? {
                            answers.components.push(c);
                        }
                    }
                    Nav::Back => break Step::Back,
                }
            }
        }
        Question::Dependencies => {
            println!("\nDependencies (PyPI requirements, e.g. requests>=2.31).");
            for dep in &answers.dependencies {
                println!("  has {dep}");
            }
            loop {
                let answer = ask::text("Requirement (empty to finish)", "", |s| {
                    if s.trim().is_empty() {
                        Ok(())
                    } else {
                        validate_requirement(s.trim()).map(|_| ())
                    }
                })?;
                match answer {
                    Nav::Go(dep) if dep.trim().is_empty() => break Step::Next,
                    Nav::Go(dep) => answers.dependencies.push(dep.trim().to_string()),
                    Nav::Back => break Step::Back,
                }
            }
        }
        Question::Write => review_and_write(flow, answers, end)?,
        _ => unreachable!("module questions are asked by ask_module_question"),
    })
}

fn ask_module_question(q: Question, m: &mut ModuleSpec) -> anyhow::Result<Step> {
    Ok(match q {
        Question::Name => {
            let step = ask::text("Module name", &m.name, naming::validate_module_name)?
                .then(|s| m.name = s);
            if step == Step::Next {
                if let Ok(names) = m.names() {
                    println!("  {names}");
                    for note in &names.notes {
                        println!("  note: {note}");
                    }
                }
            }
            step
        }
        Question::Description => ask::text("Description", &m.description, |s| {
            let probe = ModuleSpec {
                description: s.to_string(),
                ..ModuleSpec::default()
            };
            match probe
                .validate()
                .into_iter()
                .find(|(part, _)| *part == "description")
            {
                Some((_, f)) => Err(f),
                None => Ok(()),
            }
        })?
        .then(|s| m.description = s),
        Question::Categories => {
            let labels: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
            let checked: Vec<bool> = Category::ALL
                .iter()
                .map(|c| m.categories.contains(c))
                .collect();
            ask::choices(
                "Categories (space to select, enter to confirm; none writes Generic)",
                &labels,
                &checked,
            )?
            .then(|picked| m.categories = picked.into_iter().map(|i| Category::ALL[i]).collect())
        }
        Question::Packaging => ask::choice(
            "Packaging",
            &["poetry (automation-library)", "uv (SDK template)"],
            usize::from(m.packaging == Packaging::Uv),
        )?
        .then(|i| {
            m.packaging = if i == 1 {
                Packaging::Uv
            } else {
                Packaging::Poetry
            }
        }),
        _ => Step::Skip,
    })
}

fn ask_component(
    kind: ComponentKind,
    others: &[ComponentSpec],
) -> anyhow::Result<Option<ComponentSpec>> {
    let mut c = ComponentSpec::new(kind, String::new());
    let questions = if kind.has_results() { 4 } else { 3 };
    let done = walk(questions, |i| {
        Ok(match i {
            0 => {
                let step = ask::text(&format!("{kind} name"), &c.name, |s| {
                    let mut all = others.to_vec();
                    all.push(ComponentSpec::new(kind, s.to_string()));
                    match component_problems(&all, others.len()).name {
                        Some(f) => Err(f),
                        None => Ok(()),
                    }
                })?
                .then(|s| c.name = s);
                if step == Step::Next {
                    println!(
                        "  class {}, file {}.py, manifest {}",
                        c.class_name(),
                        c.file_stem(),
                        c.manifest_file()
                    );
                }
                step
            }
            1 => ask::text("Description", &c.description, |_| Ok(()))?.then(|s| c.description = s),
            2 => ask_field_list(
                &format!("Add a field to the {}?", kind.arguments_label()),
                &mut c.arguments,
                false,
            )?,
            _ => ask_field_list("Add a field to the results?", &mut c.results, true)?,
        })
    })?;
    if !done {
        println!("  ({kind} not added)");
        return Ok(None);
    }
    Ok(Some(c))
}

/// "Add a field?" until no; back on it leaves the list as it is.
fn ask_field_list(
    prompt: &str,
    fields: &mut Vec<crate::core::model::FieldSpec>,
    results: bool,
) -> anyhow::Result<Step> {
    loop {
        match ask::yes_no(prompt, false)? {
            Nav::Go(true) => {
                if let Some(f) = fields::ask_field(fields, 0, results)? {
                    fields.push(f);
                }
            }
            Nav::Go(false) => return Ok(Step::Next),
            Nav::Back => return Ok(Step::Back),
        }
    }
}

fn review_and_write(flow: &Flow, answers: &Answers, end: &mut Option<End>) -> anyhow::Result<Step> {
    let problems = answers_problems(answers, flow.is_new());
    if !problems.is_empty() {
        println!("\nThese answers cannot be written yet:");
        for p in &problems {
            ask::show_problem(&p.path, &p.failure);
        }
        return Ok(match ask::yes_no("Go back to fix them?", true)? {
            Nav::Go(true) | Nav::Back => Step::Back,
            Nav::Go(false) => {
                offer_to_save(answers)?;
                *end = Some(End::Stopped(ExitCode::FAILURE));
                Step::Next
            }
        });
    }
    // The answers file's `[openapi]` (this front end has no spec screen): its actions too.
    let saved = answers.openapi.as_ref().map(|o| o.load()).transpose();
    let generated = match saved.and_then(|openapi| {
        let extras = Extras {
            openapi: openapi
                .as_ref()
                .map(|(spec, options)| (spec, options.clone())),
            ..Extras::default()
        };
        plan(flow, answers, &extras)
    }) {
        Ok(g) => g,
        Err(f) => {
            ask::show_problem("The files could not be planned", &f);
            offer_to_save(answers)?;
            *end = Some(End::Stopped(ExitCode::FAILURE));
            return Ok(Step::Next);
        }
    };
    println!(
        "\nFiles (+ new, ~ changed, = unchanged):\n{}",
        generated.plan.tree()
    );
    for note in &generated.notes {
        println!("note: {note}");
    }
    let count = generated.plan.changes().count();
    match ask::yes_no(&format!("Write these {count} files?"), true)? {
        Nav::Back => return Ok(Step::Back),
        Nav::Go(false) => {
            offer_to_save(answers)?;
            println!("Nothing was written.");
            *end = Some(End::Stopped(ExitCode::SUCCESS));
            return Ok(Step::Next);
        }
        Nav::Go(true) => {}
    }
    let applied = match workspace::apply_locked(&generated.plan) {
        Ok(applied) => applied,
        Err(e) => {
            ask::show_problem("Nothing was written", &failure_of(&e));
            offer_to_save(answers)?;
            *end = Some(End::Stopped(ExitCode::FAILURE));
            return Ok(Step::Next);
        }
    };
    println!(
        "Wrote {} files in {}.",
        applied.written.len(),
        generated.plan.root.display()
    );
    // The lock file before the Git step, so the first push has it (as in the full-screen wizard).
    let root = &generated.plan.root;
    if applied
        .written
        .iter()
        .any(|p| p.ends_with("pyproject.toml"))
    {
        crate::cli::new::run_lock_step(root, crate::core::lock::packaging_of(root));
    }
    offer_to_save(answers)?;
    *end = Some(End::Written(generated.plan.root.clone()));
    Ok(Step::Next)
}

fn offer_to_save(answers: &Answers) -> anyhow::Result<()> {
    if ask::yes_no("Save the answers to a file (replay with --answers)?", false)? != Nav::Go(true) {
        return Ok(());
    }
    let Nav::Go(path) = ask::text("Path", "sekoia-wizard-answers.toml", |s| {
        if s.trim().is_empty() {
            Err(Failure::with_hint(
                "the path is empty",
                "type a file name, or < to not save",
            ))
        } else {
            Ok(())
        }
    })?
    else {
        return Ok(());
    };
    let (Ok(line) | Err(line)) = save_answers(answers, std::path::Path::new(path.trim()));
    println!("{line}");
    Ok(())
}
