//! The flags of one action's command, built at run time from its member table: one per input
//! member (`--FunctionName`, alias `--function-name`) and, for members of a shared type that are
//! not lists, one per nested member (`--Code.ZipFile`, alias `--code.zip-file`).

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, Command};

use crate::table::{CommandDef, Kind, MemberDef};

/// How deep dotted flags go (`--A.B.C`); deeper members are set with JSON.
const MAX_DOTTED_DEPTH: usize = 3;

/// Flags of every command that no member's kebab-case alias may take: the global options and
/// the command's own.
pub const RESERVED: &[&str] = &[
    "output",
    "filter",
    "region",
    "profile",
    "endpoint-url",
    "cli-input-json",
    "generate-cli-skeleton",
    "no-paginate",
    "max-items",
    "timeout",
    "help",
    "version",
];

/// One flag setting a member, at the top level or nested.
#[derive(Debug, Clone)]
pub struct Flag {
    /// Wire names from the input's root to the member.
    pub path: Vec<&'static str>,
    /// The member.
    pub member: &'static MemberDef,
    /// The flag as tccli writes it: the wire names joined with `.` (`Code.ZipFile`).
    pub long: String,
    /// The kebab-case alias (`code.zip-file`), unless it would take a reserved flag.
    pub alias: Option<String>,
}

/// Every flag of `command`'s input members.
pub fn flags(command: &'static CommandDef) -> Vec<Flag> {
    let mut out = Vec::new();
    for m in command.input {
        push(&mut out, Vec::new(), Vec::new(), m);
    }
    out
}

fn push(
    out: &mut Vec<Flag>,
    mut path: Vec<&'static str>,
    mut kebab: Vec<&'static str>,
    m: &'static MemberDef,
) {
    path.push(m.name);
    kebab.push(m.flag);
    let long = path.join(".");
    let alias = kebab.join(".");
    let alias = (!RESERVED.contains(&alias.as_str()) && alias != long).then_some(alias);
    out.push(Flag {
        path: path.clone(),
        member: m,
        long,
        alias,
    });
    if let (Kind::Object(t), false) = (m.kind, m.list) {
        if path.len() < MAX_DOTTED_DEPTH {
            for child in t.members {
                push(out, path.clone(), kebab.clone(), child);
            }
        }
    }
}

/// The help line of a member.
fn help(m: &MemberDef) -> String {
    let mut text = m.docs.to_owned();
    if m.required {
        text.push_str(" [required]");
    }
    if m.deprecated {
        text.push_str(" [deprecated]");
    }
    if !m.closed && !m.values.is_empty() {
        text.push_str(&format!(" [documented values: {}]", m.values.join(", ")));
    }
    text
}

/// The clap argument of a flag.
pub fn arg(flag: &Flag) -> Arg {
    let m = flag.member;
    let mut arg = Arg::new(flag.long.clone())
        .long(flag.long.clone())
        .value_name(m.kind.value_name(m.list))
        .help(help(m));
    if let Some(alias) = &flag.alias {
        arg = arg.visible_alias(alias.clone());
    }
    if flag.path.len() > 1 {
        arg = arg.help_heading(format!(
            "Members of --{}",
            flag.path[..flag.path.len() - 1].join(".")
        ));
    }
    arg = if m.list {
        arg.action(ArgAction::Append).num_args(1..)
    } else {
        arg.action(ArgAction::Set)
    };
    match m.kind {
        Kind::String if m.closed && !m.list && !m.sensitive => {
            arg.value_parser(PossibleValuesParser::new(m.values))
        }
        Kind::Boolean if !m.list => arg.value_parser(PossibleValuesParser::new(["true", "false"])),
        _ => arg,
    }
}

/// The command of an action: only its name, alias and summary (`full: false`), or with every
/// flag (`full: true`), which is built only for the command being run.
pub fn action_command(command: &'static CommandDef, full: bool) -> Command {
    let cmd = Command::new(command.name)
        .visible_alias(command.kebab)
        .about(command.summary);
    if !full {
        return cmd;
    }
    let mut cmd = cmd
        .long_about(command.docs)
        .args(flags(command).iter().map(arg))
        .arg(
            Arg::new("cli-input-json")
                .long("cli-input-json")
                .value_name("JSON|file://PATH")
                .help("The whole input as one JSON object; flags given too take precedence")
                .help_heading("Input"),
        )
        .arg(
            Arg::new("generate-cli-skeleton")
                .long("generate-cli-skeleton")
                .action(ArgAction::SetTrue)
                .help("Print the input members as JSON (from the spec's examples) and exit")
                .help_heading("Input"),
        );
    if let Some(paging) = &command.paging {
        cmd = cmd
            .arg(
                Arg::new("no-paginate")
                    .long("no-paginate")
                    .action(ArgAction::SetTrue)
                    .help(format!(
                        "Send one call instead of paging through every page of {}",
                        paging.items
                    ))
                    .help_heading("Paging"),
            )
            .arg(
                Arg::new("max-items")
                    .long("max-items")
                    .value_name("N")
                    .value_parser(clap::value_parser!(u64).range(1..))
                    .help(format!("Stop after N items of {}", paging.items))
                    .help_heading("Paging"),
            );
    }
    match crate::skeleton::example_command_line(command) {
        Some(example) => cmd.after_long_help(format!("Example:\n  {example}")),
        None => cmd,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::COMMANDS;

    #[test]
    fn every_command_builds_without_clashing_flags() {
        for command in COMMANDS {
            // clap's debug assertions reject duplicate flags and aliases.
            action_command(command, true).debug_assert();
        }
    }

    #[test]
    fn reserved_aliases_are_left_out() {
        let logs = COMMANDS
            .iter()
            .find(|c| c.name == "GetFunctionLogs")
            .unwrap();
        let filter = flags(logs)
            .into_iter()
            .find(|f| f.long == "Filter")
            .unwrap();
        assert_eq!(filter.alias, None);
        let create = COMMANDS
            .iter()
            .find(|c| c.name == "CreateFunction")
            .unwrap();
        let zip = flags(create)
            .into_iter()
            .find(|f| f.long == "Code.ZipFile")
            .unwrap();
        assert_eq!(zip.alias.as_deref(), Some("code.zip-file"));
    }
}
