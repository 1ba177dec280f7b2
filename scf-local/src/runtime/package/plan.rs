//! Reading an archive's directory and checking it against the rules, without inflating
//! anything: the result is the list of what to create, in archive order.

use std::collections::HashMap;
use std::collections::hash_map::Entry as Slot;
use std::io::Cursor;

use zip::result::ZipError;
use zip::{CompressionMethod, ZipArchive};

use super::{Budget, Limits, PackageError, PackageInfo, bytes, entry_error, shown};

/// An archive read from memory.
pub(super) type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// What an entry creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Folder,
    File { executable: bool },
}

/// One checked entry.
#[derive(Debug)]
pub(super) struct Entry {
    /// Its index in the archive.
    pub(super) index: usize,
    /// Its name as the archive spells it, for messages.
    pub(super) name: String,
    /// Its cleaned-up path: plain names only (empty for a `./` folder entry).
    pub(super) path: Vec<String>,
    pub(super) kind: Kind,
    /// The unpacked size it declares (0 for folders).
    pub(super) size: u64,
}

/// A checked archive and its entries.
pub(super) struct Plan<'a> {
    pub(super) archive: Archive<'a>,
    pub(super) entries: Vec<Entry>,
}

/// What a path is, as the entries seen so far make it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    File,
    /// A folder with an entry of its own.
    Folder,
    /// A folder only because other entries lie inside it.
    Parent,
}

/// What is learned about an entry from the central directory and its local header.
struct Facts {
    mode: Option<u32>,
    encrypted: bool,
    method: CompressionMethod,
    size: u64,
    compressed: u64,
    data_start: Option<u64>,
}

impl<'a> Plan<'a> {
    /// Reads and checks `zip`. The entries are taken from `budget`; the bytes are only checked
    /// against it (the writer takes the bytes it really writes).
    pub(super) fn read(
        zip: &'a [u8],
        limits: &Limits,
        budget: &mut Budget,
    ) -> Result<Plan<'a>, PackageError> {
        if zip.is_empty() {
            return Err(PackageError(
                "the package is empty (0 bytes), not a zip file".into(),
            ));
        }
        let mut archive = ZipArchive::new(Cursor::new(zip)).map_err(not_a_zip)?;
        let count = count_entries(zip, &archive, limits, budget)?;
        let mut tree = HashMap::new();
        let mut entries = Vec::with_capacity(count);
        let mut ranges = Vec::new();
        let mut total = 0_u64;
        for index in 0..archive.len() {
            let name = archive.name_for_index(index).unwrap_or_default().to_owned();
            let facts = facts(&mut archive, index).map_err(|e| entry_error(&name, e))?;
            let entry = check_entry(index, name, &facts, limits)?;
            claim(&mut tree, &entry.path, entry.kind == Kind::Folder)
                .map_err(|e| entry_error(&entry.name, e))?;
            total = total.saturating_add(entry.size);
            if total > budget.bytes {
                return Err(too_large(&entry.name, limits, budget));
            }
            if facts.compressed > 0 {
                ranges.push(data_range(zip, &entry.name, &facts, index)?);
            }
            entries.push(entry);
        }
        check_overlaps(&mut ranges, &entries)?;
        budget.entries -= count;
        Ok(Plan { archive, entries })
    }

    /// The files and bytes the archive declares.
    pub(super) fn info(&self) -> PackageInfo {
        let files = self.entries.iter().filter(|e| e.kind != Kind::Folder);
        PackageInfo {
            files: files.clone().count(),
            unpacked_bytes: files.map(|e| e.size).sum(),
        }
    }
}

fn not_a_zip(error: ZipError) -> PackageError {
    PackageError(format!(
        "the package is not a readable zip file (not a zip at all, truncated or damaged): {error}"
    ))
}

fn too_large(name: &str, limits: &Limits, budget: &Budget) -> PackageError {
    let what = if budget.bytes == limits.unpacked_bytes {
        "the package"
    } else {
        "the layers"
    };
    entry_error(
        name,
        format!(
            "{what} would unpack to more than the {} allowed",
            bytes(limits.unpacked_bytes)
        ),
    )
}

/// Counts the entries the central directory really lists, checking the entry limit and
/// refusing repeated names (the zip reader keeps only one entry per name).
fn count_entries(
    zip: &[u8],
    archive: &Archive<'_>,
    limits: &Limits,
    budget: &Budget,
) -> Result<usize, PackageError> {
    let names = central_names(zip, archive.central_directory_start(), budget.entries + 1);
    let count = names.len().max(archive.len());
    if count > budget.entries {
        let what = if budget.entries == limits.entries {
            "the package has"
        } else {
            "the layers have"
        };
        return Err(PackageError(format!(
            "{what} more than the {} entries allowed",
            limits.entries
        )));
    }
    if names.len() > archive.len() {
        let mut seen = std::collections::HashSet::new();
        let repeated = names.iter().find(|name| !seen.insert(**name));
        let name = repeated.map_or_else(String::new, |n| String::from_utf8_lossy(n).into_owned());
        return Err(entry_error(&name, "another entry has the same name"));
    }
    Ok(count)
}

/// The size of a central directory header before its variable fields.
const CENTRAL_HEADER_LEN: usize = 46;
/// The signature that starts a central directory header.
const CENTRAL_SIGNATURE: &[u8] = b"PK\x01\x02";

/// The raw names of the central directory headers from `start`, at most `most` of them.
fn central_names(zip: &[u8], start: u64, most: usize) -> Vec<&[u8]> {
    let mut names = Vec::new();
    let Ok(mut at) = usize::try_from(start) else {
        return names;
    };
    while names.len() < most {
        let Some(header) = zip.get(at..at.saturating_add(CENTRAL_HEADER_LEN)) else {
            break;
        };
        if &header[..4] != CENTRAL_SIGNATURE {
            break;
        }
        let field =
            |offset: usize| usize::from(u16::from_le_bytes([header[offset], header[offset + 1]]));
        let name_start = at + CENTRAL_HEADER_LEN;
        let Some(name) = zip.get(name_start..name_start + field(28)) else {
            break;
        };
        names.push(name);
        at = name_start + field(28) + field(30) + field(32);
    }
    names
}

fn facts(archive: &mut Archive<'_>, index: usize) -> Result<Facts, String> {
    let file = archive
        .by_index_raw(index)
        .map_err(|e| format!("its local header is damaged or missing: {e}"))?;
    if file.name_raw().contains(&0) || file.name().contains('\0') {
        return Err("the name contains a NUL byte".into());
    }
    Ok(Facts {
        mode: file.unix_mode(),
        encrypted: file.encrypted(),
        method: file.compression(),
        size: file.size(),
        compressed: file.compressed_size(),
        data_start: file.data_start(),
    })
}

fn check_entry(
    index: usize,
    name: String,
    facts: &Facts,
    limits: &Limits,
) -> Result<Entry, PackageError> {
    let (path, folder_name) = clean_path(&name).map_err(|e| entry_error(&name, e))?;
    let kind = kind(facts.mode, folder_name).map_err(|e| entry_error(&name, e))?;
    if kind == Kind::Folder {
        return Ok(Entry {
            index,
            name,
            path,
            kind,
            size: 0,
        });
    }
    if path.is_empty() {
        return Err(entry_error(&name, "the name has no file name in it"));
    }
    if facts.encrypted {
        return Err(entry_error(
            &name,
            "it is encrypted; encrypted packages are not supported",
        ));
    }
    if !matches!(
        facts.method,
        CompressionMethod::Stored | CompressionMethod::Deflated
    ) {
        return Err(entry_error(
            &name,
            format!(
                "compression method {:?} is not supported (only stored and deflate)",
                facts.method
            ),
        ));
    }
    let size = facts.size;
    let most = u128::from(limits.ratio) * u128::from(facts.compressed);
    if size > limits.ratio_free_bytes && u128::from(size) > most {
        return Err(entry_error(
            &name,
            format!(
                "it inflates {} bytes to {}, more than {}:1 for an entry over {}: refused as a zip bomb",
                facts.compressed,
                bytes(size),
                limits.ratio,
                bytes(limits.ratio_free_bytes)
            ),
        ));
    }
    Ok(Entry {
        index,
        name,
        path,
        kind,
        size,
    })
}

/// Splits a name into plain components, or says which rule it breaks. The flag tells whether
/// the name ends in a separator (a folder).
fn clean_path(name: &str) -> Result<(Vec<String>, bool), &'static str> {
    if name.is_empty() {
        return Err("the name is empty");
    }
    if name.contains('\0') {
        return Err("the name contains a NUL byte");
    }
    let is_separator = |c: char| c == '/' || c == '\\';
    if name.starts_with(is_separator) {
        return Err("absolute paths are not allowed");
    }
    let mut path = Vec::new();
    for (position, part) in name.split(is_separator).enumerate() {
        let bytes = part.as_bytes();
        if position == 0 && bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
            return Err("drive prefixes (such as C:) are not allowed");
        }
        match part {
            "" | "." => {}
            ".." => return Err("`..` components are not allowed"),
            _ => path.push(part.to_owned()),
        }
    }
    Ok((path, name.ends_with(is_separator)))
}

const S_IFMT: u32 = 0o170_000;
const S_IFREG: u32 = 0o100_000;
const S_IFDIR: u32 = 0o040_000;
const S_IFLNK: u32 = 0o120_000;

/// What an entry is, from its unix mode (when it has one) and its name.
fn kind(mode: Option<u32>, folder_name: bool) -> Result<Kind, &'static str> {
    let mode = mode.unwrap_or(0);
    match mode & S_IFMT {
        S_IFLNK => Err("symbolic links are not allowed"),
        S_IFDIR => Ok(Kind::Folder),
        0 | S_IFREG if folder_name => Ok(Kind::Folder),
        0 | S_IFREG => Ok(Kind::File {
            executable: mode & 0o111 != 0,
        }),
        _ => Err("only files and folders are allowed (this is a device, pipe or socket)"),
    }
}

/// Records `path` in `tree`, refusing a path seen before and a file where a folder is needed.
fn claim(tree: &mut HashMap<String, Node>, path: &[String], folder: bool) -> Result<(), String> {
    let mut key = String::new();
    for (position, part) in path.iter().enumerate() {
        if position > 0 {
            key.push('/');
        }
        key.push_str(part);
        let last = position + 1 == path.len();
        match (tree.entry(key.clone()), last) {
            (Slot::Occupied(slot), false) if *slot.get() == Node::File => {
                return Err(format!(
                    "{} is a file in another entry, not a folder",
                    shown(&key)
                ));
            }
            (Slot::Occupied(_), false) => {}
            (Slot::Vacant(slot), false) => {
                slot.insert(Node::Parent);
            }
            (Slot::Occupied(mut slot), true) => match (*slot.get(), folder) {
                (Node::Parent, true) => *slot.get_mut() = Node::Folder,
                (Node::Parent, false) => {
                    return Err("its path is a folder of other entries, not a file".into());
                }
                _ => return Err("another entry has the same path".into()),
            },
            (Slot::Vacant(slot), true) => {
                slot.insert(if folder { Node::Folder } else { Node::File });
            }
        }
    }
    Ok(())
}

/// Where an entry's compressed data lies: `(start, end, index)`, checked to be in the package.
fn data_range(
    zip: &[u8],
    name: &str,
    facts: &Facts,
    index: usize,
) -> Result<(u64, u64, usize), PackageError> {
    let start = facts.data_start.unwrap_or(u64::MAX);
    match start.checked_add(facts.compressed) {
        Some(end) if end <= zip.len() as u64 => Ok((start, end, index)),
        _ => Err(entry_error(
            name,
            "its compressed data runs past the end of the package (truncated or damaged)",
        )),
    }
}

/// Refuses entries that share compressed bytes.
fn check_overlaps(ranges: &mut [(u64, u64, usize)], entries: &[Entry]) -> Result<(), PackageError> {
    ranges.sort_unstable();
    for pair in ranges.windows(2) {
        let ((_, end, first), (start, _, second)) = (pair[0], pair[1]);
        if start < end {
            let other = shown(&entries[second].name);
            return Err(entry_error(
                &entries[first].name,
                format!("its data overlaps that of entry {other}: refused as a zip bomb"),
            ));
        }
    }
    Ok(())
}
