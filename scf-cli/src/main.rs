//! `scf`: the command-line client; see the crate documentation of `scf_cli`.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(scf_cli::run(std::env::args_os().collect()))
}
