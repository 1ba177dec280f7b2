//! Code packages: checking a zip when it is uploaded, and unpacking it for an instance.
//!
//! A package is untrusted input. The `zip` crate parses the archive and inflates entries, but
//! every decision about what may be written, where, and how much, is taken here; its own
//! extraction helpers are not used.
//!
//! # Rules
//!
//! * **Names.** `\` is read as a separator, like `/` (some Windows tools write it). After
//!   splitting, empty and `.` components are dropped; what remains must be a non-empty list of
//!   plain names. Refused: an empty name, a NUL byte, a leading separator (an absolute path), a
//!   drive prefix such as `C:`, and any `..` component. A name ending in a separator is a
//!   folder and is created. Two entries naming the same path (after the clean-up above), or a
//!   path that is a file in one entry and a folder in another, are refused.
//! * **Entry types.** Regular files and folders only. An entry whose unix mode says symbolic
//!   link is refused: a link could point outside the destination, and SCF packages rarely need
//!   one. Devices, pipes and sockets are refused as well.
//! * **Modes.** Only the execute bit of an entry's unix mode is kept (a `bootstrap` must stay
//!   executable): files become `0755` or `0644`, folders `0755`, whatever the umask. Setuid,
//!   setgid, sticky and world-writable bits never reach the disk.
//! * **Encoding.** Stored and deflated entries only; other methods and encrypted entries are
//!   refused with a message saying so.
//! * **Limits.** See [`MAX_ENTRIES`], [`MAX_UNPACKED_BYTES`], [`RATIO_FREE_BYTES`] and
//!   [`MAX_RATIO`]. [`inspect`] checks them on the sizes the archive declares, without inflating
//!   anything; [`extract`] checks the same and then counts the bytes it really writes, stopping an
//!   entry as soon as it goes past the size it declared (declared sizes are never trusted). The
//!   compressed data of an entry must lie inside the package and no two entries may share
//!   compressed bytes (overlapping entries are a known bomb construction).
//! * **Archives.** An archive with no entries is a valid, empty package. Bytes that are not a
//!   zip, or a truncated or damaged zip, give an error saying so; no input makes these functions
//!   panic (a panic inside the zip reader is caught and reported as a damaged package).
//!
//! Every error names the entry at fault (escaped and shortened) and the rule it broke; the
//! handlers report it as an `InvalidParameterValue` error.
//!
//! # Destinations
//!
//! [`extract`] and [`merge_layers`] write into a directory that must exist and be empty. The
//! caller owns it: on error, whatever was written so far is left in place for the caller to
//! remove with the directory.

mod plan;
#[cfg(test)]
mod tests;
mod unpack;

use std::fmt::Display;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

/// Most entries (files and folders) a package may hold. Real function packages, even with
/// `node_modules`, stay well below this; the cap bounds the work and memory spent on an archive
/// made of millions of tiny entries.
pub(crate) const MAX_ENTRIES: usize = 10_000;

/// Most bytes a package may unpack to, in total: SCF's own limit for unpacked code is about
/// 500 MB, so a package above it would not deploy on the real service either.
pub(crate) const MAX_UNPACKED_BYTES: u64 = 500 * 1024 * 1024;

/// Entries up to this size are not subject to [`MAX_RATIO`]: small files of zeros or repeated
/// text legitimately compress far better than 100:1, and cannot hurt.
pub(crate) const RATIO_FREE_BYTES: u64 = 1024 * 1024;

/// Highest compression ratio (unpacked size / compressed size) allowed for an entry larger than
/// [`RATIO_FREE_BYTES`]. Code, text and binaries compress by 2-10x; a ratio past 100:1 on a large
/// entry is the signature of a zip bomb (deflate can reach about 1000:1).
pub(crate) const MAX_RATIO: u64 = 100;

/// Why a package is refused; the message is shown to the caller as `InvalidParameterValue`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PackageError(pub(crate) String);

impl Display for PackageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PackageError {}

/// What an upload's check learned about a package.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PackageInfo {
    /// Number of files.
    pub(crate) files: usize,
    /// Total size once unpacked, in bytes.
    pub(crate) unpacked_bytes: u64,
}

/// The limits one unpacking works under; tests use small ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Limits {
    entries: usize,
    unpacked_bytes: u64,
    ratio_free_bytes: u64,
    ratio: u64,
}

impl Limits {
    /// The limits of this module's documentation.
    const SCF: Limits = Limits {
        entries: MAX_ENTRIES,
        unpacked_bytes: MAX_UNPACKED_BYTES,
        ratio_free_bytes: RATIO_FREE_BYTES,
        ratio: MAX_RATIO,
    };
}

/// What is left of the limits while several archives share them (layers).
#[derive(Debug, Clone, Copy)]
struct Budget {
    entries: usize,
    bytes: u64,
}

impl Budget {
    fn new(limits: &Limits) -> Budget {
        Budget {
            entries: limits.entries,
            bytes: limits.unpacked_bytes,
        }
    }
}

/// Checks a zip without unpacking it: paths, links, counts, sizes and ratios (see the limits).
pub(crate) fn inspect(zip: &[u8]) -> Result<PackageInfo, PackageError> {
    inspect_with(zip, &Limits::SCF)
}

/// Unpacks `zip` into `dest` (which must exist and be empty), enforcing the same limits while
/// writing; file modes (the execute bit) are kept. On error, what was written stays in `dest`.
pub(crate) fn extract(zip: &[u8], dest: &Path) -> Result<PackageInfo, PackageError> {
    extract_with(zip, dest, &Limits::SCF)
}

/// Unpacks the layers' zips into `dest` (which must exist and be empty) in binding order: a file
/// of a later layer replaces the same path of an earlier one, as in SCF's `/opt`. The limits
/// apply to all layers together (a replaced file still counts). The error names the layer.
pub(crate) fn merge_layers(layers: &[Arc<[u8]>], dest: &Path) -> Result<(), PackageError> {
    merge_layers_with(layers, dest, &Limits::SCF)
}

fn inspect_with(zip: &[u8], limits: &Limits) -> Result<PackageInfo, PackageError> {
    guarded(|| {
        let mut budget = Budget::new(limits);
        plan::Plan::read(zip, limits, &mut budget).map(|plan| plan.info())
    })
}

fn extract_with(zip: &[u8], dest: &Path, limits: &Limits) -> Result<PackageInfo, PackageError> {
    guarded(|| {
        unpack::check_destination(dest)?;
        let mut budget = Budget::new(limits);
        unpack::unpack(zip, dest, limits, &mut budget)
    })
}

fn merge_layers_with(
    layers: &[Arc<[u8]>],
    dest: &Path,
    limits: &Limits,
) -> Result<(), PackageError> {
    guarded(|| {
        unpack::check_destination(dest)?;
        let mut budget = Budget::new(limits);
        for (number, layer) in layers.iter().enumerate() {
            unpack::unpack(layer, dest, limits, &mut budget)
                .map_err(|e| PackageError(format!("layer {}: {}", number + 1, e.0)))?;
        }
        Ok(())
    })
}

/// The message of a panic caught while reading a package (tests look for it).
const PANIC_MESSAGE: &str = "the package could not be read: the zip reader failed on it";

/// Runs `work`, turning a panic (of the zip reader, on hostile input) into an error.
fn guarded<T>(work: impl FnOnce() -> Result<T, PackageError>) -> Result<T, PackageError> {
    catch_unwind(AssertUnwindSafe(work))
        .unwrap_or_else(|_| Err(PackageError(PANIC_MESSAGE.to_owned())))
}

/// Most characters of an entry name quoted in a message.
const SHOWN_NAME_CHARS: usize = 100;

/// An entry's name as messages show it: quoted, escaped, cut after [`SHOWN_NAME_CHARS`].
fn shown(name: &str) -> String {
    let mut cut: String = name.chars().take(SHOWN_NAME_CHARS).collect();
    let more = cut.len() < name.len();
    if more {
        cut.push_str("...");
    }
    format!("{cut:?}")
}

/// An error about one entry: `entry "name": problem`.
fn entry_error(name: &str, problem: impl Display) -> PackageError {
    PackageError(format!("entry {}: {problem}", shown(name)))
}

/// A byte count for messages: whole MB when it is one, bytes otherwise.
fn bytes(n: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if n >= MB && n.checked_rem(MB) == Some(0) {
        format!("{} MB", n / MB)
    } else {
        format!("{n} bytes")
    }
}
