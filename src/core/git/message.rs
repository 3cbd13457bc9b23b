//! Commit messages that say what changed, so a module's history reads like
//! "Add action_lookup.json, main.py; update manifest.json" rather than "wizard push".

/// What happened to one file since the last commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Updated,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// Path relative to the module root, with `/` separators.
    pub path: String,
}

/// How many names the subject line lists before summarising the rest as "and N more".
const NAMES_IN_SUBJECT: usize = 6;

/// The message for a commit holding `changes`. The first commit is named after the module; later
/// ones list the top-level files and directories touched (component JSONs sit at the top level,
/// so they are named individually), grouped by kind, with every path in the body.
pub fn commit_message(changes: &[Change], first: bool, module: Option<&str>) -> String {
    if first {
        return match module {
            Some(name) => format!("Create the {name} module"),
            None => "Initial commit".to_string(),
        };
    }
    let mut groups: Vec<(ChangeKind, Vec<String>)> = vec![
        (ChangeKind::Added, vec![]),
        (ChangeKind::Updated, vec![]),
        (ChangeKind::Removed, vec![]),
    ];
    for change in changes {
        let label = match change.path.split_once('/') {
            Some((top, _)) => format!("{top}/"),
            None => change.path.clone(),
        };
        let group = &mut groups
            .iter_mut()
            .find(|(kind, _)| *kind == change.kind)
            .expect("all kinds listed")
            .1;
        if !group.contains(&label) {
            group.push(label);
        }
    }
    // A directory with both new and edited files reads best once, as "update".
    let updated = groups[1].1.clone();
    groups[0]
        .1
        .retain(|label| !(label.ends_with('/') && updated.contains(label)));

    let mut budget = NAMES_IN_SUBJECT;
    let mut hidden = 0;
    let mut parts = Vec::new();
    for (kind, labels) in &groups {
        if labels.is_empty() {
            continue;
        }
        let shown: Vec<&str> = labels.iter().take(budget).map(String::as_str).collect();
        hidden += labels.len() - shown.len();
        budget -= shown.len();
        if shown.is_empty() {
            continue;
        }
        let verb = match kind {
            ChangeKind::Added => "add",
            ChangeKind::Updated => "update",
            ChangeKind::Removed => "remove",
        };
        parts.push(format!("{verb} {}", shown.join(", ")));
    }
    let mut subject = parts.join("; ");
    if hidden > 0 {
        subject.push_str(&format!(" and {hidden} more"));
    }
    let mut subject = capitalise(&subject);
    if subject.is_empty() {
        subject = "Update the module".to_string();
    }
    if changes.len() <= 1 {
        return subject;
    }
    let body: Vec<String> = changes
        .iter()
        .map(|c| {
            let verb = match c.kind {
                ChangeKind::Added => "added",
                ChangeKind::Updated => "updated",
                ChangeKind::Removed => "removed",
            };
            format!("- {verb}: {}", c.path)
        })
        .collect();
    format!("{subject}\n\n{}", body.join("\n"))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(kind: ChangeKind, path: &str) -> Change {
        Change {
            kind,
            path: path.to_string(),
        }
    }

    #[test]
    fn first_commit_names_the_module() {
        assert_eq!(
            commit_message(&[], true, Some("TestHTTP")),
            "Create the TestHTTP module"
        );
        assert_eq!(commit_message(&[], true, None), "Initial commit");
    }

    #[test]
    fn later_commits_name_component_files_and_top_level_directories() {
        let changes = [
            change(ChangeKind::Added, "action_lookup.json"),
            change(ChangeKind::Added, "testhttp_modules/action_lookup.py"),
            change(ChangeKind::Updated, "main.py"),
            change(ChangeKind::Updated, "testhttp_modules/__init__.py"),
            change(ChangeKind::Removed, "trigger_old.json"),
        ];
        let message = commit_message(&changes, false, Some("TestHTTP"));
        let subject = message.lines().next().unwrap();
        assert_eq!(
            subject,
            "Add action_lookup.json; update main.py, testhttp_modules/; remove trigger_old.json"
        );
        assert!(message.contains("- added: testhttp_modules/action_lookup.py"));
    }

    #[test]
    fn long_lists_are_summarised() {
        let changes: Vec<Change> = (0..9)
            .map(|i| change(ChangeKind::Updated, &format!("action_{i}.json")))
            .collect();
        let subject = commit_message(&changes, false, None)
            .lines()
            .next()
            .unwrap()
            .to_string();
        assert!(subject.starts_with("Update action_0.json, "), "{subject}");
        assert!(subject.ends_with(" and 3 more"), "{subject}");
    }
}
