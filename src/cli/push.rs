//! `sekoia-wizard push`: commit the module and push it, creating the remote repository on request.
//! All the work is `core::git::publish`; this file turns flags into options and prints progress.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::core::failure::fail;
use crate::core::forge::{CreateRepo, Forge, Visibility};
use crate::core::git::{self, Progress, PublishOptions};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    sekoia-wizard push TestHTTP --remote git@github.com:acme/TestHTTP.git\n  \
    sekoia-wizard push TestHTTP --create github --owner acme --private\n  \
    sekoia-wizard push TestHTTP --create gitlab --api-url https://gitlab.example.com --token-env MY_GITLAB_TOKEN\n  \
    sekoia-wizard push TestHTTP            # later pushes: commit what changed and push to origin")]
pub struct PushArgs {
    /// Module directory
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Repository URL to push to; sets or updates `origin` (a password in it is used, never stored)
    #[arg(long, value_name = "URL")]
    pub remote: Option<String>,
    /// Branch to push; a new repository starts on it [default: the current branch, or main]
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,
    /// Commit message [default: one naming the files that changed]
    #[arg(long, short = 'm', value_name = "TEXT")]
    pub message: Option<String>,
    /// Create the repository on GitHub or GitLab first (needs a token)
    #[arg(long, value_enum, value_name = "PROVIDER")]
    pub create: Option<ForgeArg>,
    /// Organisation (GitHub) or group path (GitLab) to create the repository in [default: your account]
    #[arg(long, value_name = "ORG", requires = "create")]
    pub owner: Option<String>,
    /// Name of the repository to create [default: the directory name]
    #[arg(long, value_name = "NAME", requires = "create")]
    pub name: Option<String>,
    /// Create a private repository (the default)
    #[arg(long, conflicts_with = "public")]
    pub private: bool,
    /// Create a public repository
    #[arg(long)]
    pub public: bool,
    /// API root for GitHub Enterprise (https://HOST/api/v3) or self-hosted GitLab (https://HOST)
    #[arg(long, value_name = "URL", requires = "create")]
    pub api_url: Option<String>,
    /// Environment variable holding the access token [default: GITHUB_TOKEN / GITLAB_TOKEN]
    #[arg(long, value_name = "VAR")]
    pub token_env: Option<String>,
    /// Seconds to wait for the server to connect, then for each answer [default: 60, or
    /// $SEKOIA_WIZARD_GIT_TIMEOUT]
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ForgeArg {
    Github,
    Gitlab,
}

impl From<ForgeArg> for Forge {
    fn from(arg: ForgeArg) -> Forge {
        match arg {
            ForgeArg::Github => Forge::GitHub,
            ForgeArg::Gitlab => Forge::GitLab,
        }
    }
}

pub fn run(args: PushArgs) -> anyhow::Result<ExitCode> {
    let options = options(&args)?;
    let mut printer = Printer {
        live: std::io::stderr().is_terminal(),
        pushing: false,
    };
    let outcome = git::publish(&options, &mut |progress| printer.show(progress))?;
    let upstream = format!(
        "{} tracks origin/{}",
        outcome.local_branch, outcome.remote_branch
    );
    println!(
        "Pushed {} to {} ({upstream})",
        outcome.remote_branch, outcome.remote_url
    );
    Ok(ExitCode::SUCCESS)
}

fn options(args: &PushArgs) -> anyhow::Result<PublishOptions> {
    if !args.dir.is_dir() {
        return fail(
            format!("{} is not a directory", args.dir.display()),
            "give the module directory, e.g. `sekoia-wizard push TestHTTP`",
        );
    }
    let token = match &args.token_env {
        Some(var) => match git::token_from_env(var) {
            Some(token) => Some(token),
            None => {
                return fail(
                    format!("--token-env names ${var}, which is not set"),
                    format!("export {var}=<token> first"),
                )
            }
        },
        None => None,
    };
    let create = args.create.map(|provider| {
        let mut repo = CreateRepo::for_module(provider.into(), &args.dir);
        if let Some(name) = &args.name {
            repo.name = name.clone();
        }
        repo.owner = args.owner.clone();
        if args.public {
            repo.visibility = Visibility::Public;
        }
        repo.api_url = args.api_url.clone();
        repo
    });
    let mut options = PublishOptions::new(&args.dir);
    if let Some(secs) = args.timeout {
        options.timeout = std::time::Duration::from_secs(secs);
    }
    options.remote = args.remote.clone();
    options.branch = args.branch.clone();
    options.message = args.message.clone();
    options.create = create;
    options.token = token;
    // Without $SEKOIA_WIZARD_SSH_PASSPHRASE, a protected SSH key's passphrase is asked at a
    // terminal; elsewhere the key is skipped and a rejection says how to fix it.
    if options.passphrase.is_none()
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
        && std::env::var_os("CI").is_none()
    {
        options.passphrase = Some(git::AskPassphrase::new(ask_passphrase));
    }
    Ok(options)
}

/// The passphrase of a protected SSH key, asked at the terminal when the push needs it (empty:
/// skip the key). `push` and `--plain` both use it.
pub fn ask_passphrase(key: &std::path::Path) -> Option<String> {
    dialoguer::Password::new()
        .with_prompt(format!(
            "Passphrase of the SSH key {} (empty to skip it)",
            key.display()
        ))
        .allow_empty_password(true)
        .interact()
        .ok()
        .filter(|p| !p.is_empty())
}

/// Prints each step as a line; object counts are redrawn in place on a terminal only.
struct Printer {
    live: bool,
    pushing: bool,
}

impl Printer {
    fn show(&mut self, progress: Progress) {
        if let Progress::Pushing { .. } = progress {
            if self.live {
                eprint!("\r{progress}");
                let _ = std::io::stderr().flush();
                self.pushing = true;
            }
            return;
        }
        if self.pushing {
            eprintln!();
            self.pushing = false;
        }
        // The final line, with the URL and upstream, is printed by `run`.
        if !matches!(progress, Progress::Pushed { .. }) {
            println!("{progress}");
        }
    }
}
