//! `scf`: a command-line client for the Tencent Cloud SCF API (2018-04-16), generated from the
//! same spec as scf-api and built on it.
//!
//! ```text
//! scf ListFunctions --Namespace default            # as tccli writes it
//! scf list-functions --namespace default -o table  # or in kebab case
//! scf wait function-active --FunctionName hello --timeout 120
//! scf local --port 9000                            # the emulator, in the foreground
//! ```
//!
//! The command table (`generated`, from `cargo xtask codegen`) is data: each action's members,
//! documented values, pagination and waiters, and a dispatch from an action's name to the
//! generic call instantiated with its typed `scf_api::actions::*Request`. Everything else is
//! hand-written and generic:
//!
//! - [`app`] builds the clap command tree per run, with only the invoked command's flags;
//! - [`flags`], [`input`], [`scalar`] and [`check`] turn flags into one checked JSON input;
//! - [`skeleton`] prints `--generate-cli-skeleton`;
//! - [`config`] builds the client as scf-api's `from_env` does, credentials looked up first;
//! - [`call`] and [`wait`] send through scf-api (`RawJson`, `AsJson`, `Paginator`, the waiter);
//! - [`output`] applies `--filter` and prints the formats;
//! - [`failure`] holds the exit statuses 252–255.

#![forbid(unsafe_code)]

use std::ffi::OsString;
use std::io::Write;

use clap::ArgMatches;
use clap::error::ErrorKind;

pub mod app;
pub mod call;
pub mod check;
pub mod config;
pub mod failure;
pub mod flags;
#[rustfmt::skip]
pub mod generated;
pub mod input;
pub mod output;
pub mod scalar;
pub mod skeleton;
pub mod table;
pub mod wait;

use app::{Globals, Target};
use call::{Outcome, Run};
use failure::{EXIT_USAGE, Failure};

/// Runs `scf` with `args` (the program name first) and returns the exit status.
pub fn run(args: Vec<OsString>) -> u8 {
    let target = app::locate(&args);
    let matches = match app::root(target).try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(e) => return clap_exit(&e),
    };
    match dispatch(&matches) {
        Ok(status) => status,
        Err(failure) => report(&failure),
    }
}

/// Prints clap's message; help and version are a success, anything else invalid usage.
fn clap_exit(error: &clap::Error) -> u8 {
    // Printing can only fail when the stream is gone; the status says it all then.
    let _ = error.print();
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => 0,
        _ => EXIT_USAGE,
    }
}

fn report(failure: &Failure) -> u8 {
    eprintln!("scf: {}", failure.message);
    failure.exit
}

fn dispatch(matches: &ArgMatches) -> Result<u8, Failure> {
    let Some((name, sub)) = matches.subcommand() else {
        return Err(Failure::usage("no command given; see `scf --help`"));
    };
    match name {
        "completions" => completions(sub),
        "local" => local(sub),
        "wait" => {
            let Some((waiter, leaf)) = sub.subcommand() else {
                return Err(Failure::usage("no waiter given; see `scf wait --help`"));
            };
            let waiter = app::waiters()
                .find(|w| w.name == waiter)
                .ok_or_else(|| Failure::unknown_command(waiter))?;
            let command = generated::COMMANDS
                .iter()
                .find(|c| c.name == waiter.action)
                .ok_or_else(|| Failure::unknown_command(waiter.action))?;
            let globals = Globals::read(leaf)?;
            let run = prepare(command, leaf, &globals)?;
            let outcome = runtime()?.block_on(generated::dispatch::wait(&run, waiter))?;
            finish(outcome, &globals, command.name)
        }
        _ => {
            let command = generated::COMMANDS
                .iter()
                .find(|c| c.name == name)
                .ok_or_else(|| Failure::unknown_command(name))?;
            let globals = Globals::read(sub)?;
            if app::flag(sub, "generate-cli-skeleton") {
                let skeleton = skeleton::skeleton(command);
                let mut out = std::io::stdout().lock();
                output::print(&mut out, &skeleton, None, None, output::Format::Json, name)?;
                return Ok(0);
            }
            let run = prepare(command, sub, &globals)?;
            let outcome = runtime()?.block_on(generated::dispatch::call(&run))?;
            finish(outcome, &globals, command.name)
        }
    }
}

/// The checked input and the options of one action's run.
fn prepare(
    command: &'static table::CommandDef,
    matches: &ArgMatches,
    globals: &Globals,
) -> Result<Run, Failure> {
    Ok(Run {
        command,
        input: input::assemble(command, matches)?,
        connection: globals.connection.clone(),
        no_paginate: app::flag(matches, "no-paginate"),
        max_items: app::number(matches, "max-items"),
        timeout: app::number(matches, "timeout").map(std::time::Duration::from_secs),
    })
}

/// Prints the outcome's notices and answer; its failure, if any, decides the status.
fn finish(outcome: Outcome, globals: &Globals, title: &str) -> Result<u8, Failure> {
    for notice in &outcome.notices {
        eprintln!("scf: {notice}");
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    output::print(
        &mut out,
        &outcome.answer,
        outcome.items,
        globals.filter.as_ref(),
        globals.format,
        title,
    )?;
    out.flush()
        .or_else(output::ignore_broken_pipe)
        .map_err(|e| Failure::other(format!("output: {e}")))?;
    match outcome.failure {
        Some(failure) => Ok(report(&failure)),
        None => Ok(0),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::other(format!("cannot start the async runtime: {e}")))
}

fn completions(matches: &ArgMatches) -> Result<u8, Failure> {
    let shell = matches
        .get_one::<clap_complete::Shell>("shell")
        .copied()
        .ok_or_else(|| Failure::usage("completions: name a shell (bash, zsh, fish, ...)"))?;
    let mut cmd = app::root(Target::Everything);
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut cmd, "scf", &mut out);
    Ok(0)
}

fn local(matches: &ArgMatches) -> Result<u8, Failure> {
    use clap::FromArgMatches;
    let options = scf_local::cli::Options::from_arg_matches(matches)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let status = runtime()?.block_on(scf_local::cli::run(options));
    // scf-local's own statuses: 0, or 1 when the server could not start or stop.
    Ok(if status == std::process::ExitCode::SUCCESS {
        0
    } else {
        failure::EXIT_OTHER
    })
}
