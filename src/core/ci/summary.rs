//! The first lines of a failure, picked from a tool's output for the summary table: the lines
//! that name the problem (black's "would reformat", mypy's errors, pytest's FAILED summary), else
//! the last lines printed.

use super::Step;

/// How many lines of a failure the summary shows.
pub const MAX_LINES: usize = 5;

pub fn failure_lines(step: Step, output: &str) -> Vec<String> {
    let lines: Vec<&str> = output
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.starts_with("$ "))
        .collect();
    let picked: Vec<&str> = match step {
        Step::Black => pick(&lines, |l| {
            l.starts_with("would reformat ") || l.starts_with("error: cannot format")
        }),
        Step::Mypy => pick(&lines, |l| l.contains(": error:")),
        Step::Pytest => {
            let summary = pick(&lines, |l| {
                l.starts_with("FAILED ") || l.starts_with("ERROR ")
            });
            if summary.is_empty() {
                pick(&lines, |l| l.starts_with("E "))
            } else {
                summary
            }
        }
        _ => Vec::new(),
    };
    if picked.is_empty() {
        let tail = lines.len().saturating_sub(MAX_LINES);
        return lines[tail..].iter().map(|l| l.to_string()).collect();
    }
    shorten(&picked)
}

/// What `black .` changed, for the `--fix` note.
pub fn reformatted(output: &str) -> Vec<String> {
    let lines: Vec<&str> = output
        .lines()
        .filter(|l| l.starts_with("reformatted "))
        .collect();
    shorten(&lines)
}

fn pick<'a>(lines: &[&'a str], keep: impl Fn(&str) -> bool) -> Vec<&'a str> {
    lines.iter().copied().filter(|l| keep(l)).collect()
}

/// At most `MAX_LINES`, the last saying how many more there are.
pub fn shorten(lines: &[&str]) -> Vec<String> {
    if lines.len() <= MAX_LINES {
        return lines.iter().map(|l| l.to_string()).collect();
    }
    let mut out: Vec<String> = lines[..MAX_LINES - 1]
        .iter()
        .map(|l| l.to_string())
        .collect();
    out.push(format!("… and {} more", lines.len() - (MAX_LINES - 1)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_lines_that_name_the_problem() {
        let mypy = "$ python -m mypy .\npkg/a.py:3:5: error: Incompatible types  [assignment]\nFound 1 error in 1 file\n";
        assert_eq!(
            failure_lines(Step::Mypy, mypy),
            ["pkg/a.py:3:5: error: Incompatible types  [assignment]"]
        );
        let pytest = "tests/test_a.py F\nE   assert 1 == 2\n=== short test summary info ===\nFAILED tests/test_a.py::test_a - assert 1 == 2\n";
        assert_eq!(
            failure_lines(Step::Pytest, pytest),
            ["FAILED tests/test_a.py::test_a - assert 1 == 2"]
        );
        let many: String = (0..9)
            .map(|i| format!("would reformat f{i}.py\n"))
            .collect();
        let lines = failure_lines(Step::Black, &many);
        assert_eq!(lines.len(), MAX_LINES);
        assert_eq!(lines.last().unwrap(), "… and 5 more");
        assert_eq!(failure_lines(Step::Environment, "a\nb\n"), ["a", "b"]);
    }
}
