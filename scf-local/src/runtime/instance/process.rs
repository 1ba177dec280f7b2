//! The process group of an instance: killing all of it, and measuring its resident memory.
//!
//! The crate forbids `unsafe` code, so the group is killed by running the system's `kill`
//! program (`kill -9 -- -PGID`, through `sh` when there is no `kill` binary) rather than by
//! calling `killpg` directly; the leader is also killed through its `Child` handle. Memory is
//! read from `/proc` (Linux): the sum of `VmRSS` over the group's live members; elsewhere it
//! reads as 0 and no memory limit is enforced.

use std::fs;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// An instance's process group; its id is the leader's pid.
#[derive(Debug)]
pub(crate) struct Group {
    pgid: u32,
    killed: AtomicBool,
}

impl Group {
    pub(crate) fn new(pgid: u32) -> Group {
        Group {
            pgid,
            killed: AtomicBool::new(false),
        }
    }

    pub(crate) fn pgid(&self) -> u32 {
        self.pgid
    }

    /// Claims the kill of this group: `Some(pgid)` the first time only, so that a group is
    /// never signalled after its leader may have been reaped and its id reused.
    pub(crate) fn claim(&self) -> Option<u32> {
        (!self.killed.swap(true, Ordering::AcqRel)).then_some(self.pgid)
    }

    /// Kills every process of the group (once).
    pub(crate) fn kill(&self) {
        if let Some(pgid) = self.claim() {
            kill_groups(&[pgid]);
        }
    }
}

/// Sends SIGKILL to each of these process groups, with one `kill` process for all.
pub(crate) fn kill_groups(pgids: &[u32]) {
    if pgids.is_empty() {
        return;
    }
    let targets: Vec<String> = pgids.iter().map(|pgid| format!("-{pgid}")).collect();
    let quiet = |command: &mut Command| {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
    };
    let direct = quiet(Command::new("kill").arg("-9").arg("--").args(&targets));
    if direct.is_err() {
        let script = "kill -9 -- \"$@\"";
        let _ = quiet(Command::new("sh").args(["-c", script, "sh"]).args(&targets));
    }
}

/// The pids of the live (not zombie) processes whose process group is `pgid`; `None` where
/// `/proc` cannot be listed.
pub(crate) fn group_members(pgid: u32) -> Option<Vec<u32>> {
    let mut members = Vec::new();
    for entry in fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|name| name.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue; // gone meanwhile
        };
        // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let mut fields = rest.split_whitespace();
        let state = fields.next();
        let pgrp = fields.nth(1).and_then(|field| field.parse::<u32>().ok());
        if pgrp == Some(pgid) && state != Some("Z") && state != Some("X") {
            members.push(pid);
        }
    }
    Some(members)
}

/// Resident memory of one process in bytes (`VmRSS`), if it can be read.
fn resident_bytes(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// How often the list of a group's members is refreshed (listing `/proc` costs more than
/// reading a few status files, which happens on every sample).
const RESCAN: Duration = Duration::from_millis(100);

/// Samples the resident memory of a process group.
pub(crate) struct MemoryProbe {
    pgid: u32,
    members: Vec<u32>,
    scanned: Option<Instant>,
}

impl MemoryProbe {
    pub(crate) fn new(pgid: u32) -> MemoryProbe {
        MemoryProbe {
            pgid,
            members: vec![pgid],
            scanned: None,
        }
    }

    /// The resident memory of the members found by the last scan (the leader before any), in
    /// bytes: cheap, for the start of a run, when the members rarely changed.
    pub(crate) fn sample_known(&self) -> u64 {
        self.members
            .iter()
            .filter_map(|&pid| resident_bytes(pid))
            .sum()
    }

    /// The group's resident memory now, in bytes (0 where `/proc` is absent); its members are
    /// found again (a scan of `/proc`) at most every 100 ms.
    pub(crate) fn sample(&mut self) -> u64 {
        if self.scanned.is_none_or(|at| at.elapsed() >= RESCAN) {
            self.scanned = Some(Instant::now());
            self.members = group_members(self.pgid).unwrap_or_else(|| vec![self.pgid]);
        }
        self.members
            .iter()
            .filter_map(|&pid| resident_bytes(pid))
            .sum()
    }
}
