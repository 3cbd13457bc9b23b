//! `sekoia-wizard --plain`: the wizard's flow as line-by-line dialoguer prompts, without colour or
//! full-screen drawing, so screen readers and braille displays can follow it. Same model, same
//! validators, same core generation and writing as the full-screen wizard.

mod fields;

use std::process::ExitCode;

use dialoguer::theme::SimpleTheme;
use dialoguer::{Confirm, Input, MultiSelect, Select};

use crate::core::deps::validate_requirement;
use crate::core::model::{Answers, Category, ComponentKind, ComponentSpec, ModuleSpec, Packaging};
use crate::core::naming;
use crate::core::workspace;
use crate::tui::app::Flow;
use crate::tui::effects::{failure_of, without_secret_defaults};
use crate::tui::validation::answers_problems;

pub(crate) const THEME: SimpleTheme = SimpleTheme;

pub fn run(flow: Flow, answers: Option<Answers>) -> anyhow::Result<ExitCode> {
    let mut answers = answers.unwrap_or_default();
    match &flow {
        Flow::New { output_dir } => {
            println!("Creating a new module in {}.", output_dir.display());
            answers.module = Some(ask_module(answers.module.take().unwrap_or_default())?);
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
    println!(
        "\nModule configuration fields ({} so far).",
        answers.configuration.len()
    );
    while Confirm::with_theme(&THEME)
        .with_prompt("Add a module configuration field?")
        .default(false)
        .interact()?
    {
        let field = fields::ask_field(&answers.configuration, 0)?;
        answers.configuration.push(field);
    }
    println!("\nComponents ({} so far).", answers.components.len());
    loop {
        let choice = Select::with_theme(&THEME)
            .with_prompt("Add a component?")
            .items(["no more components", "action", "trigger", "connector"])
            .default(0)
            .interact()?;
        if choice == 0 {
            break;
        }
        let component = ask_component(ComponentKind::ALL[choice - 1], &answers.components)?;
        answers.components.push(component);
    }
    println!("\nDependencies (PyPI requirements, e.g. requests>=2.31).");
    loop {
        let dep: String = Input::with_theme(&THEME)
            .with_prompt("Requirement (empty to finish)")
            .allow_empty(true)
            .validate_with(|s: &String| {
                if s.trim().is_empty() {
                    Ok(())
                } else {
                    validate_requirement(s.trim())
                        .map(|_| ())
                        .map_err(|f| f.message)
                }
            })
            .interact_text()?;
        if dep.trim().is_empty() {
            break;
        }
        answers.dependencies.push(dep.trim().to_string());
    }
    review_and_write(&flow, &answers)
}

fn ask_module(current: ModuleSpec) -> anyhow::Result<ModuleSpec> {
    let mut m = current;
    m.name = Input::with_theme(&THEME)
        .with_prompt("Module name")
        .with_initial_text(m.name.clone())
        .validate_with(|s: &String| naming::validate_module_name(s).map_err(|f| f.message))
        .interact_text()?;
    if let Ok(names) = m.names() {
        println!("  {names}");
        for note in &names.notes {
            println!("  note: {note}");
        }
    }
    m.description = Input::with_theme(&THEME)
        .with_prompt("Description")
        .with_initial_text(m.description.clone())
        .allow_empty(true)
        .interact_text()?;
    let labels: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    let checked: Vec<bool> = Category::ALL
        .iter()
        .map(|c| m.categories.contains(c))
        .collect();
    let picked = MultiSelect::with_theme(&THEME)
        .with_prompt("Categories (space to select, enter to confirm; none writes Generic)")
        .items(&labels)
        .defaults(&checked)
        .interact()?;
    m.categories = picked.into_iter().map(|i| Category::ALL[i]).collect();
    let packaging = Select::with_theme(&THEME)
        .with_prompt("Packaging")
        .items(["poetry (automation-library)", "uv (SDK template)"])
        .default(if m.packaging == Packaging::Uv { 1 } else { 0 })
        .interact()?;
    m.packaging = if packaging == 1 {
        Packaging::Uv
    } else {
        Packaging::Poetry
    };
    Ok(m)
}

fn ask_component(kind: ComponentKind, others: &[ComponentSpec]) -> anyhow::Result<ComponentSpec> {
    let taken: Vec<String> = others.iter().map(|c| c.class_name()).collect();
    let name: String = Input::with_theme(&THEME)
        .with_prompt(format!("{kind} name"))
        .validate_with(|s: &String| {
            let c = ComponentSpec::new(kind, s.clone());
            c.validate().map_err(|f| f.message)?;
            if taken.contains(&c.class_name()) {
                return Err(format!("another component is named `{}`", c.class_name()));
            }
            Ok(())
        })
        .interact_text()?;
    let mut c = ComponentSpec::new(kind, name);
    println!(
        "  class {}, file {}.py, manifest {}",
        c.class_name(),
        c.file_stem(),
        c.manifest_file()
    );
    c.description = Input::with_theme(&THEME)
        .with_prompt("Description")
        .allow_empty(true)
        .interact_text()?;
    let label = kind.arguments_label();
    while Confirm::with_theme(&THEME)
        .with_prompt(format!("Add a field to the {label}?"))
        .default(false)
        .interact()?
    {
        let f = fields::ask_field(&c.arguments, 0)?;
        c.arguments.push(f);
    }
    if kind.has_results() {
        while Confirm::with_theme(&THEME)
            .with_prompt("Add a field to the results?")
            .default(false)
            .interact()?
        {
            let f = fields::ask_field(&c.results, 0)?;
            c.results.push(f);
        }
    }
    Ok(c)
}

fn review_and_write(flow: &Flow, answers: &Answers) -> anyhow::Result<ExitCode> {
    let problems = answers_problems(answers, matches!(flow, Flow::New { .. }));
    if !problems.is_empty() {
        for (_, f) in &problems {
            println!("problem: {}", f.message);
        }
        offer_to_save(answers)?;
        return Ok(ExitCode::FAILURE);
    }
    let generated = match flow {
        Flow::New { output_dir } => crate::core::generate::new_module(answers, output_dir),
        Flow::Existing { dir, .. } => crate::core::generate::add_to_module(dir, answers),
    };
    let generated = match generated {
        Ok(g) => g,
        Err(e) => {
            let f = failure_of(&e);
            println!("The files could not be planned: {}", f.message);
            if let Some(h) = f.hint {
                println!("hint: {h}");
            }
            offer_to_save(answers)?;
            return Ok(ExitCode::FAILURE);
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
    if !Confirm::with_theme(&THEME)
        .with_prompt(format!("Write these {count} files?"))
        .default(true)
        .interact()?
    {
        offer_to_save(answers)?;
        println!("Nothing was written.");
        return Ok(ExitCode::SUCCESS);
    }
    let applied = workspace::apply_locked(&generated.plan)?;
    println!(
        "Wrote {} files in {}.",
        applied.written.len(),
        generated.plan.root.display()
    );
    offer_to_save(answers)?;
    println!(
        "Next: cd {} && sekoia-wizard check . ; publish with sekoia-wizard push .",
        generated.plan.root.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn offer_to_save(answers: &Answers) -> anyhow::Result<()> {
    if Confirm::with_theme(&THEME)
        .with_prompt("Save the answers to a file (replay with --answers)?")
        .default(false)
        .interact()?
    {
        let path: String = Input::with_theme(&THEME)
            .with_prompt("Path")
            .with_initial_text("sekoia-wizard-answers.toml")
            .interact_text()?;
        std::fs::write(&path, without_secret_defaults(answers).to_toml())?;
        println!("Saved {path}.");
    }
    Ok(())
}
