//! The clap command tree of `scf`, built per run: every action and waiter by name and summary,
//! and the flags only of the command being run (found by a first look at the arguments), so
//! that `scf --version` and a single call do not pay for 52 commands' flags. `scf completions`
//! builds everything.

use std::ffi::OsString;

use clap::{Arg, ArgMatches, Args, Command};

use crate::config::Connection;
use crate::failure::Failure;
use crate::flags::{action_command, arg, flags};
use crate::generated::COMMANDS;
use crate::output::{Filter, Format};
use crate::table::{CommandDef, WaiterDef};

/// Global options that take a value (so a first look can skip it).
const VALUE_OPTIONS: &[&str] = &[
    "--output",
    "-o",
    "--filter",
    "--region",
    "--profile",
    "--endpoint-url",
];

/// What a first look at the arguments finds to run.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// An action's command.
    Action(&'static CommandDef),
    /// `scf wait`, with the waiter when it is named.
    Wait(Option<&'static WaiterDef>),
    /// `scf local`.
    Local,
    /// `scf completions`: every command is built.
    Everything,
    /// Nothing recognised: the root command's help or a usage error.
    Nothing,
}

/// Commands and waiters are the same when they are the same table entry.
impl PartialEq for Target {
    fn eq(&self, other: &Target) -> bool {
        match (self, other) {
            (Target::Action(a), Target::Action(b)) => std::ptr::eq(*a, *b),
            (Target::Wait(a), Target::Wait(b)) => match (a, b) {
                (Some(a), Some(b)) => std::ptr::eq(*a, *b),
                (a, b) => a.is_none() && b.is_none(),
            },
            (Target::Local, Target::Local)
            | (Target::Everything, Target::Everything)
            | (Target::Nothing, Target::Nothing) => true,
            _ => false,
        }
    }
}

/// Every waiter of the spec, in action order.
pub fn waiters() -> impl Iterator<Item = &'static WaiterDef> {
    COMMANDS.iter().flat_map(|c| c.waiters.iter())
}

/// The words of `args` (program name excluded) that are not options or option values.
fn words(args: &[OsString]) -> impl Iterator<Item = &str> {
    let mut skip_next = false;
    args.iter().skip(1).filter_map(move |a| {
        let a = a.to_str()?;
        if std::mem::take(&mut skip_next) {
            return None;
        }
        if a.starts_with('-') {
            skip_next = VALUE_OPTIONS.contains(&a);
            return None;
        }
        Some(a)
    })
}

/// What the arguments ask to run.
pub fn locate(args: &[OsString]) -> Target {
    let mut words = words(args);
    let mut first = words.next();
    if first == Some("help") {
        first = words.next();
    }
    match first {
        Some("wait") => Target::Wait(words.next().and_then(|w| waiters().find(|x| x.name == w))),
        Some("local") => Target::Local,
        Some("completions") => Target::Everything,
        Some(word) => COMMANDS
            .iter()
            .copied()
            .find(|c| c.is_named(word))
            .map_or(Target::Nothing, Target::Action),
        None => Target::Nothing,
    }
}

fn global_args() -> [Arg; 5] {
    [
        Arg::new("output")
            .long("output")
            .short('o')
            .global(true)
            .value_name("FORMAT")
            .value_parser(clap::value_parser!(Format))
            .help("Output format [default: json]")
            .help_heading("Global options"),
        Arg::new("filter")
            .long("filter")
            .global(true)
            .value_name("JMESPATH")
            .help("A JMESPath expression applied to the answer (after paging) before printing")
            .help_heading("Global options"),
        Arg::new("region")
            .long("region")
            .global(true)
            .value_name("REGION")
            .help("Region, e.g. ap-guangzhou [env: TENCENTCLOUD_REGION]")
            .help_heading("Global options"),
        Arg::new("profile")
            .long("profile")
            .global(true)
            .value_name("NAME")
            .help("Profile of ~/.tencentcloud/credentials and of tccli's files [env: TENCENTCLOUD_PROFILE]")
            .help_heading("Global options"),
        Arg::new("endpoint-url")
            .long("endpoint-url")
            .global(true)
            .value_name("URL")
            .help("Endpoint, e.g. http://127.0.0.1:9000 [env: TENCENTCLOUD_ENDPOINT_URL]")
            .help_heading("Global options"),
    ]
}

/// The root command for `target`.
pub fn root(target: Target) -> Command {
    let everything = target == Target::Everything;
    let mut cmd = Command::new("scf")
        .version(format!(
            "{} (SCF API {})",
            env!("CARGO_PKG_VERSION"),
            scf_api::service::VERSION
        ))
        .about("Calls the Tencent Cloud SCF API (2018-04-16): every action, as tccli writes it or in kebab case")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args());
    for command in COMMANDS {
        let full = everything || target == Target::Action(command);
        cmd = cmd.subcommand(action_command(command, full));
    }
    cmd.subcommand(wait_command(target))
        .subcommand(local_command(everything || target == Target::Local))
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        )
}

fn wait_command(target: Target) -> Command {
    let mut cmd = Command::new("wait")
        .about("Wait until a resource reaches a final state (exit 0), fails or times out (255)")
        .subcommand_required(true);
    for waiter in waiters() {
        let full = target == Target::Everything || target == Target::Wait(Some(waiter));
        let mut sub =
            Command::new(waiter.name).about(format!("{} (polls {})", waiter.docs, waiter.action));
        if full {
            let Some(command) = COMMANDS.iter().find(|c| c.name == waiter.action) else {
                continue;
            };
            sub = sub.args(flags(command).iter().map(arg)).args([
                Arg::new("cli-input-json")
                    .long("cli-input-json")
                    .value_name("JSON|file://PATH")
                    .help("The whole input as one JSON object; flags given too take precedence"),
                Arg::new("timeout")
                    .long("timeout")
                    .value_name("SECS")
                    .value_parser(clap::value_parser!(u64).range(1..))
                    .help(format!(
                        "Give up after SECS seconds [default: {}]",
                        waiter.poll.default_timeout.as_secs()
                    )),
            ]);
        }
        cmd = cmd.subcommand(sub);
    }
    cmd
}

fn local_command(full: bool) -> Command {
    let cmd = Command::new("local")
        .about("Run scf-local, the SCF emulator, on 127.0.0.1 in the foreground");
    if full {
        scf_local::cli::Options::augment_args(cmd)
    } else {
        cmd
    }
}

/// The global options, read where clap left them (the innermost subcommand's matches).
#[derive(Debug)]
pub struct Globals {
    /// `--output`.
    pub format: Format,
    /// `--filter`, compiled.
    pub filter: Option<Filter>,
    /// `--region`, `--profile`, `--endpoint-url`.
    pub connection: Connection,
}

impl Globals {
    /// Reads the global options from `matches`.
    pub fn read(matches: &ArgMatches) -> Result<Globals, Failure> {
        let text = |id: &str| matches.get_one::<String>(id).cloned();
        Ok(Globals {
            format: matches
                .get_one::<Format>("output")
                .copied()
                .unwrap_or_default(),
            filter: text("filter").as_deref().map(Filter::compile).transpose()?,
            connection: Connection {
                region: text("region"),
                profile: text("profile"),
                endpoint_url: text("endpoint-url"),
            },
        })
    }
}

/// Whether a flag (`--no-paginate`) is set; false when the command has none.
pub fn flag(matches: &ArgMatches, id: &str) -> bool {
    matches
        .try_get_one::<bool>(id)
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false)
}

/// The value of a numeric option, `None` when the command has none or it is not given.
pub fn number(matches: &ArgMatches, id: &str) -> Option<u64> {
    matches.try_get_one::<u64>(id).ok().flatten().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<OsString> {
        std::iter::once("scf")
            .chain(line.split_whitespace())
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn locates_the_command_past_global_options() {
        let target = locate(&args(
            "--output table --region ap-guangzhou list-functions --Limit 2",
        ));
        assert!(matches!(target, Target::Action(c) if c.name == "ListFunctions"));
        assert!(
            matches!(locate(&args("-o json GetFunction")), Target::Action(c) if c.name == "GetFunction")
        );
        assert!(
            matches!(locate(&args("wait function-active --FunctionName f")), Target::Wait(Some(w)) if w.action == "GetFunction")
        );
        assert_eq!(locate(&args("--version")), Target::Nothing);
        assert_eq!(locate(&args("completions bash")), Target::Everything);
        assert!(matches!(
            locate(&args("help ListFunctions")),
            Target::Action(_)
        ));
    }

    #[test]
    fn the_whole_tree_is_consistent() {
        root(Target::Everything).debug_assert();
    }
}
