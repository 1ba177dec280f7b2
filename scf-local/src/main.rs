//! `scf-local`: runs the SCF emulator on 127.0.0.1 until Ctrl-C.

use std::process::ExitCode;

use clap::CommandFactory;
use scf_local::cli::{Command, Options, parse_args, run};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(options)) => run(options).await,
        Ok(Command::Help) => {
            print!("{}", Options::command().render_long_help());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprint!("{message}");
            ExitCode::from(2)
        }
    }
}
