//! The Git step as questions, after the files are written: the files the commit would hold (secrets
//! and junk flagged and left out unless confirmed), the remote (prefilled from `origin`), branch,
//! commit message, token and, when git has none, an identity; then `core::git::publish`, its
//! progress printed line by line. The form and its checks are `wizard::git::GitForm`, as in the TUI.

use std::path::Path;

use super::ask::{self, walk, Nav, Step};
use crate::core::failure::Failure;
use crate::core::git::{self as core_git, AskPassphrase, Progress};
use crate::wizard::effects::failure_of;
use crate::wizard::git::{flag_text, GitForm, Secret};

/// The questions of the form, in order.
const QUESTIONS: usize = 8;

pub fn git_step(dir: &Path) -> anyhow::Result<()> {
    println!("\nGit: commit the module and push it.");
    let mut form = GitForm {
        ask_identity: core_git::configured_identity(dir).is_none(),
        ..GitForm::default()
    };
    form.prepare(dir);
    show_files(&form);
    if let Some(lock) = &form.lock {
        println!("  {lock}");
    }
    if !form.check_failures.is_empty() {
        println!("  ✗ the module's check fails:");
        for f in &form.check_failures {
            println!("    {f}");
        }
    }
    loop {
        if ask::yes_no("Commit and push the module now?", false)? != Nav::Go(true) {
            println!(
                "Not pushed: sekoia-wizard push {} does it later.",
                dir.display()
            );
            return Ok(());
        }
        if !ask_form(&mut form)? {
            continue;
        }
        let mut options = match form.options(dir) {
            Ok(options) => options,
            Err(f) => {
                ask::show_problem("Git", &f);
                continue;
            }
        };
        if options.passphrase.is_none() {
            options.passphrase = Some(AskPassphrase::new(crate::cli::push::ask_passphrase));
        }
        let result = core_git::publish(&options, &mut |p: Progress| {
            if !matches!(p, Progress::Pushing { .. }) {
                println!("  {p}");
            }
        });
        match result {
            Ok(outcome) => {
                println!(
                    "Pushed {} to {}.",
                    outcome.remote_branch, outcome.remote_url
                );
                return Ok(());
            }
            Err(e) => {
                ask::show_problem("The push failed", &failure_of(&e));
                println!("  The answers are kept: change them and push again, or answer n.");
            }
        }
    }
}

fn show_files(form: &GitForm) {
    if form.files.is_empty() {
        println!("  Nothing new to commit.");
        return;
    }
    println!(
        "  The commit would hold {} files ({} flagged, left out unless you keep them):",
        form.files.len(),
        form.flagged()
    );
    for f in &form.files {
        match f.file.suspicion {
            Some(s) => println!("  ✗ {} — {}", f.file.path.display(), flag_text(s)),
            None => println!("  + {}", f.file.path.display()),
        }
    }
}

/// The form's questions; `false` when the person went back from the first one.
fn ask_form(form: &mut GitForm) -> anyhow::Result<bool> {
    walk(QUESTIONS, |i| {
        Ok(match i {
            0 if form.check_failures.is_empty() => Step::Skip,
            0 => match ask::yes_no("The module's check fails: push anyway?", false)? {
                Nav::Go(true) => Step::Next,
                Nav::Go(false) | Nav::Back => Step::Back,
            },
            1 => ask_flagged(form)?,
            2 => {
                let initial = form.remote.clone();
                let check = |s: &str| {
                    let probe = GitForm {
                        remote: s.to_string(),
                        ..GitForm::default()
                    };
                    probe.check_remote()
                };
                ask::text("Remote URL (origin)", &initial, check)?.then(|s| form.remote = s)
            }
            3 => ask::text("Branch", &form.branch.clone(), |s| {
                if s.trim().is_empty() {
                    Err(Failure::with_hint("the branch is empty", "e.g. main"))
                } else {
                    Ok(())
                }
            })?
            .then(|s| form.branch = s),
            4 => ask::text(
                "Commit message (empty: one naming what changed)",
                &form.message.clone(),
                |_| Ok(()),
            )?
            .then(|s| form.message = s),
            5 => ask::hidden(
                "Token (empty: SSH agent or keys, git's credential helpers, $GITHUB_TOKEN / $GITLAB_TOKEN)",
                |_| Ok(()),
            )?
            .then(|s| form.token = Secret(s)),
            6 if !form.ask_identity => Step::Skip,
            6 => ask::text("Your name, for the commit (git has none)", &form.name.clone(), |_| Ok(()))?
                .then(|s| form.name = s),
            7 if !form.ask_identity => Step::Skip,
            _ => ask::text("Your e-mail address, for the commit", &form.email.clone(), |_| Ok(()))?
                .then(|s| form.email = s),
        })
    })
}

/// Each flagged file: keep it in the commit? (Default no.)
fn ask_flagged(form: &mut GitForm) -> anyhow::Result<Step> {
    let flagged: Vec<usize> = (0..form.files.len())
        .filter(|&i| form.files[i].file.suspicion.is_some())
        .collect();
    if flagged.is_empty() {
        return Ok(Step::Skip);
    }
    let done = walk(flagged.len(), |k| {
        let f = &form.files[flagged[k]];
        let why = f.file.suspicion.map(flag_text).unwrap_or_default();
        let prompt = format!("Commit {} anyway ({why})?", f.file.path.display());
        let include = f.include;
        Ok(ask::yes_no(&prompt, include)?.then(|yes| form.files[flagged[k]].include = yes))
    })?;
    Ok(if done { Step::Next } else { Step::Back })
}
