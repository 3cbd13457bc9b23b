//! The question kinds of `--plain`, each able to go back: `<` then Enter on a text question, Esc
//! (or `q`) on a choice or a yes/no question. A refused answer prints what is wrong and how to fix
//! it, then asks again with the typed text kept for editing.

use dialoguer::{Confirm, Input, MultiSelect, Password, Select};

use super::THEME;
use crate::core::failure::Failure;

/// What a text question answers to go back one question.
pub const BACK: &str = "<";

/// How to go back, said once at the start.
pub const HOW_TO_GO_BACK: &str = "To go back one question: type < and Enter at a text question \
     (after any text it shows), or press Esc at a choice or a yes/no question.";

/// An answer, or "back to the previous question".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nav<T> {
    Go(T),
    Back,
}

/// Prints a refused answer: where, what, and the hint.
pub fn show_problem(question: &str, f: &Failure) {
    println!("  ✗ {question}: {}", f.message);
    if let Some(hint) = &f.hint {
        println!("    hint: {hint}");
    }
}

/// A text question starting from `initial`; `check` refuses an answer with a reason, and the
/// question is asked again with what was typed.
pub fn text(
    prompt: &str,
    initial: &str,
    check: impl Fn(&str) -> Result<(), Failure>,
) -> anyhow::Result<Nav<String>> {
    let mut typed = initial.to_string();
    loop {
        let answer: String = Input::with_theme(&THEME)
            .with_prompt(prompt)
            .with_initial_text(typed.clone())
            .allow_empty(true)
            .interact_text()?;
        // `<` alone, or typed after the text the question showed (dialoguer has no key to clear it).
        if answer.trim() == BACK || (!typed.is_empty() && answer == format!("{typed}{BACK}")) {
            return Ok(Nav::Back);
        }
        match check(&answer) {
            Ok(()) => return Ok(Nav::Go(answer)),
            Err(f) => {
                show_problem(prompt, &f);
                typed = answer;
            }
        }
    }
}

/// A hidden text question (secrets); nothing typed is shown, so a refused answer is typed again.
pub fn hidden(
    prompt: &str,
    check: impl Fn(&str) -> Result<(), Failure>,
) -> anyhow::Result<Nav<String>> {
    loop {
        let answer = Password::with_theme(&THEME)
            .with_prompt(prompt)
            .allow_empty_password(true)
            .interact()?;
        if answer.trim() == BACK {
            return Ok(Nav::Back);
        }
        match check(&answer) {
            Ok(()) => return Ok(Nav::Go(answer)),
            Err(f) => show_problem(prompt, &f),
        }
    }
}

pub fn yes_no(prompt: &str, default: bool) -> anyhow::Result<Nav<bool>> {
    let answer = Confirm::with_theme(&THEME)
        .with_prompt(prompt)
        .default(default)
        .interact_opt()?;
    Ok(answer.map_or(Nav::Back, Nav::Go))
}

pub fn choice(prompt: &str, items: &[&str], default: usize) -> anyhow::Result<Nav<usize>> {
    let answer = Select::with_theme(&THEME)
        .with_prompt(prompt)
        .items(items)
        .default(default)
        .interact_opt()?;
    Ok(answer.map_or(Nav::Back, Nav::Go))
}

pub fn choices(prompt: &str, items: &[&str], checked: &[bool]) -> anyhow::Result<Nav<Vec<usize>>> {
    let answer = MultiSelect::with_theme(&THEME)
        .with_prompt(prompt)
        .items(items)
        .defaults(checked)
        .interact_opt()?;
    Ok(answer.map_or(Nav::Back, Nav::Go))
}

impl<T> Nav<T> {
    /// Where the walk goes after this answer; `keep` takes the answer.
    pub fn then(self, keep: impl FnOnce(T)) -> Step {
        match self {
            Nav::Go(value) => {
                keep(value);
                Step::Next
            }
            Nav::Back => Step::Back,
        }
    }
}

/// What a question of a walk did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Next,
    Back,
    /// The question does not apply now: the walk goes on in the direction it was going.
    Skip,
}

/// Walks `count` questions in order, `ask(i)` asking question `i`. Back on the first question
/// leaves the walk with `false`; past the last one it ends with `true`.
pub fn walk(
    count: usize,
    mut ask: impl FnMut(usize) -> anyhow::Result<Step>,
) -> anyhow::Result<bool> {
    let (mut at, mut forward) = (0, true);
    while at < count {
        let step = ask(at)?;
        if step != Step::Skip {
            forward = step == Step::Next;
        }
        if forward {
            at += 1;
        } else if at == 0 {
            return Ok(false);
        } else {
            at -= 1;
        }
    }
    Ok(true)
}
