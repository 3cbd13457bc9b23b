use std::process::ExitCode;

fn main() -> ExitCode {
    sekoia_wizard::cli::main()
}
