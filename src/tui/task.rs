//! A job on a worker thread that reports lines as it goes: the lock step after writing and the
//! module's CI ("Test"). The event loop drains it between frames, as it does the push, so the
//! screen shows progress and keys still work.

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

/// What a worker says.
#[derive(Debug)]
pub enum TaskEvent {
    /// A new line of progress.
    Line(String),
    /// Replaces the last line (a step that was running and has now ended).
    Replace(String),
    /// The end: `Ok` with a summary, or `Err` with what went wrong and what to do.
    Done(Result<String, String>),
}

/// The worker's side: what it uses to report.
#[derive(Clone)]
pub struct Reporter(Sender<TaskEvent>);

impl Reporter {
    pub fn line(&self, text: impl Into<String>) {
        let _ = self.0.send(TaskEvent::Line(text.into()));
    }

    pub fn replace(&self, text: impl Into<String>) {
        let _ = self.0.send(TaskEvent::Replace(text.into()));
    }
}

#[derive(Debug)]
pub struct Task {
    pub title: String,
    pub lines: Vec<String>,
    pub outcome: Option<Result<String, String>>,
    started: Instant,
    finished_after: Option<Duration>,
    receiver: Option<Receiver<TaskEvent>>,
}

impl Task {
    /// Runs `work` on a thread; its return value ends the task.
    pub fn spawn(
        title: impl Into<String>,
        work: impl FnOnce(&Reporter) -> Result<String, String> + Send + 'static,
    ) -> Task {
        let (sender, receiver) = mpsc::channel();
        let reporter = Reporter(sender.clone());
        std::thread::spawn(move || {
            let end = work(&reporter);
            let _ = sender.send(TaskEvent::Done(end));
        });
        Task {
            title: title.into(),
            lines: Vec::new(),
            outcome: None,
            started: Instant::now(),
            finished_after: None,
            receiver: Some(receiver),
        }
    }

    /// A task that ended before it started (nothing to run): shown like any other.
    pub fn ended(title: impl Into<String>, outcome: Result<String, String>) -> Task {
        Task {
            title: title.into(),
            lines: Vec::new(),
            outcome: Some(outcome),
            started: Instant::now(),
            finished_after: Some(Duration::ZERO),
            receiver: None,
        }
    }

    pub fn running(&self) -> bool {
        self.outcome.is_none()
    }

    pub fn succeeded(&self) -> bool {
        matches!(self.outcome, Some(Ok(_)))
    }

    /// Seconds so far, or until it ended.
    pub fn elapsed(&self) -> Duration {
        self.finished_after
            .unwrap_or_else(|| self.started.elapsed())
    }

    /// Folds in what the worker said since the last call; true if anything came.
    pub fn poll(&mut self) -> bool {
        let Some(receiver) = &self.receiver else {
            return false;
        };
        let mut events = Vec::new();
        let mut gone = false;
        loop {
            match receiver.try_recv() {
                Ok(event) => events.push(event),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    gone = true;
                    break;
                }
            }
        }
        let any = !events.is_empty();
        for event in events {
            self.on_event(event);
        }
        if gone {
            self.receiver = None;
            if self.outcome.is_none() {
                self.finish(Err("the worker stopped without a word (a bug)".into()));
            }
        }
        any
    }

    /// Blocks until the task ends (tests, and quitting while it runs).
    pub fn wait(&mut self) {
        while self.running() {
            if !self.poll() {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }

    fn on_event(&mut self, event: TaskEvent) {
        match event {
            TaskEvent::Line(line) => self.lines.push(line),
            TaskEvent::Replace(line) => match self.lines.last_mut() {
                Some(last) => *last = line,
                None => self.lines.push(line),
            },
            TaskEvent::Done(end) => self.finish(end),
        }
    }

    fn finish(&mut self, end: Result<String, String>) {
        self.finished_after = Some(self.started.elapsed());
        self.outcome = Some(end);
    }

    /// One line for a status bar or a step: `✓ Lock: made with …`, `… Lock (3 s)`.
    pub fn summary(&self) -> String {
        match &self.outcome {
            None => format!("… {} ({} s)", self.title, self.elapsed().as_secs()),
            Some(Ok(s)) => format!("✓ {}: {s}", self.title),
            Some(Err(e)) => format!("✗ {}: {e}", self.title),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_replacements_and_the_end_arrive_in_order() {
        let mut task = Task::spawn("Test", |r| {
            r.line("… black");
            r.replace("✓ black");
            r.line("… mypy");
            Err("mypy failed".into())
        });
        task.wait();
        assert_eq!(task.lines, ["✓ black", "… mypy"]);
        assert_eq!(task.outcome, Some(Err("mypy failed".into())));
        assert_eq!(task.summary(), "✗ Test: mypy failed");
    }

    #[test]
    fn a_worker_that_panics_ends_the_task_with_a_message() {
        let mut task = Task::spawn("Lock", |_| panic!("boom"));
        task.wait();
        assert!(matches!(task.outcome, Some(Err(ref e)) if e.contains("a bug")));
    }
}
