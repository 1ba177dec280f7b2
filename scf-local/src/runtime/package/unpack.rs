//! Writing a checked archive to disk, counting the bytes really written.

use std::fs::{self, DirBuilder, File, OpenOptions, Permissions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::plan::{Archive, Entry, Kind, Plan};
use super::{Budget, Limits, PackageError, PackageInfo, bytes, entry_error};

/// Mode of every folder created.
const FOLDER_MODE: u32 = 0o755;
/// Mode of a file whose entry has an execute bit.
const EXECUTABLE_MODE: u32 = 0o755;
/// Mode of any other file.
const FILE_MODE: u32 = 0o644;
/// Size of the copy buffer.
const BUFFER_LEN: usize = 64 * 1024;

/// Refuses a destination that cannot be listed or is not empty.
pub(super) fn check_destination(dest: &Path) -> Result<(), PackageError> {
    let mut items = fs::read_dir(dest)
        .map_err(|e| PackageError(format!("the destination folder cannot be read: {e}")))?;
    match items.next() {
        None => Ok(()),
        Some(_) => Err(PackageError("the destination folder is not empty".into())),
    }
}

/// Checks `zip`, then writes its entries under `dest`. What is already there is replaced where
/// an entry needs its place (an earlier layer's file or folder). Returns what was written.
pub(super) fn unpack(
    zip: &[u8],
    dest: &Path,
    limits: &Limits,
    budget: &mut Budget,
) -> Result<PackageInfo, PackageError> {
    let Plan {
        mut archive,
        entries,
    } = Plan::read(zip, limits, budget)?;
    let mut info = PackageInfo::default();
    let mut buffer = vec![0_u8; BUFFER_LEN];
    for entry in &entries {
        match entry.kind {
            Kind::Folder => {
                make_folders(dest, &entry.path).map_err(|e| entry_error(&entry.name, e))?;
            }
            Kind::File { executable } => {
                let (_, parents) = entry.path.split_last().unwrap_or((&entry.name, &[]));
                make_folders(dest, parents).map_err(|e| entry_error(&entry.name, e))?;
                let mode = if executable {
                    EXECUTABLE_MODE
                } else {
                    FILE_MODE
                };
                let mut out = create_file(&dest.join(entry.path.join("/")), mode)
                    .map_err(|e| entry_error(&entry.name, e))?;
                let written =
                    write_entry(&mut archive, entry, &mut out, limits, budget, &mut buffer)?;
                info.files += 1;
                info.unpacked_bytes += written;
            }
        }
    }
    Ok(info)
}

/// Creates the folders of `path` under `dest` that do not exist yet, replacing a file in the way.
fn make_folders(dest: &Path, path: &[String]) -> Result<(), String> {
    let mut at = PathBuf::from(dest);
    for part in path {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.is_dir() => continue,
            Ok(_) => fs::remove_file(&at).map_err(|e| format!("cannot replace a file: {e}"))?,
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot create a folder: {e}")),
        }
        DirBuilder::new()
            .mode(FOLDER_MODE)
            .create(&at)
            .and_then(|()| fs::set_permissions(&at, Permissions::from_mode(FOLDER_MODE)))
            .map_err(|e| format!("cannot create a folder: {e}"))?;
    }
    Ok(())
}

/// Creates a new file at `path` with `mode` exactly, removing an earlier file or folder there.
fn create_file(path: &Path, mode: u32) -> Result<File, String> {
    let removed = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    };
    removed.map_err(|e| format!("cannot replace what is at its path: {e}"))?;
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(|e| format!("cannot create the file: {e}"))?;
    file.set_permissions(Permissions::from_mode(mode))
        .map_err(|e| format!("cannot set the file's mode: {e}"))?;
    Ok(file)
}

/// Inflates one entry into `out`, never writing more than it declared nor more than the budget
/// has left. Returns the bytes written, taken from the budget.
fn write_entry(
    archive: &mut Archive<'_>,
    entry: &Entry,
    out: &mut File,
    limits: &Limits,
    budget: &mut Budget,
    buffer: &mut [u8],
) -> Result<u64, PackageError> {
    let name = &entry.name;
    let mut reader = archive
        .by_index(entry.index)
        .map_err(|e| entry_error(name, format!("cannot be read: {e}")))?;
    let allowed = entry.size.min(budget.bytes);
    let mut written = 0_u64;
    loop {
        let n = match reader.read(buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(entry_error(
                    name,
                    format!("its data is damaged or truncated: {e}"),
                ));
            }
        };
        if written + n as u64 > allowed {
            let problem = if allowed < entry.size {
                format!(
                    "the package would unpack to more than the {} allowed",
                    bytes(limits.unpacked_bytes)
                )
            } else {
                format!(
                    "it inflates to more than the {} it declares: refused as a zip bomb",
                    bytes(entry.size)
                )
            };
            return Err(entry_error(name, problem));
        }
        out.write_all(&buffer[..n])
            .map_err(|e| entry_error(name, format!("cannot write the file: {e}")))?;
        written += n as u64;
    }
    budget.bytes -= written;
    if written < entry.size {
        let declared = bytes(entry.size);
        return Err(entry_error(
            name,
            format!("it holds only {written} of the {declared} it declares (damaged)"),
        ));
    }
    Ok(written)
}
