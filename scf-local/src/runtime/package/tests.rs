use std::fs;
use std::io::{Cursor, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;

use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use super::*;

/// The empty zip scf-local's API tests upload (an end-of-directory record alone).
const EMPTY_ZIP: &[u8] = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

/// Small limits, so that tests stay fast.
const SMALL: Limits = Limits {
    entries: 8,
    unpacked_bytes: 4096,
    ratio_free_bytes: 1024,
    ratio: 100,
};

/// Builds a zip in memory.
struct Builder(ZipWriter<Cursor<Vec<u8>>>);

impl Builder {
    fn new() -> Builder {
        Builder(ZipWriter::new(Cursor::new(Vec::new())))
    }

    fn entry(mut self, name: &str, data: &[u8], mode: u32, method: CompressionMethod) -> Builder {
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .unix_permissions(mode);
        self.0.start_file(name, options).unwrap();
        self.0.write_all(data).unwrap();
        self
    }

    fn stored(self, name: &str, data: &[u8]) -> Builder {
        self.entry(name, data, 0o644, CompressionMethod::Stored)
    }

    fn deflated(self, name: &str, data: &[u8]) -> Builder {
        self.entry(name, data, 0o644, CompressionMethod::Deflated)
    }

    fn folder(mut self, name: &str) -> Builder {
        self.0
            .add_directory(name, SimpleFileOptions::default())
            .unwrap();
        self
    }

    fn link(mut self, name: &str, target: &str) -> Builder {
        self.0
            .add_symlink(name, target, SimpleFileOptions::default())
            .unwrap();
        self
    }

    fn finish(self) -> Vec<u8> {
        self.0.finish().unwrap().into_inner()
    }
}

/// Replaces every occurrence of `from` by `to` (same length): names the writer would refuse.
fn patch(mut zip: Vec<u8>, from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut at = 0;
    let mut found = false;
    while let Some(offset) = zip[at..].windows(from.len()).position(|w| w == from) {
        zip[at + offset..at + offset + to.len()].copy_from_slice(to);
        at += offset + from.len();
        found = true;
    }
    assert!(found, "nothing to patch");
    zip
}

/// Offsets of the (single) local header and central header of a one-entry zip.
fn headers(zip: &[u8]) -> (usize, usize) {
    let find = |sig: &[u8]| zip.windows(4).position(|w| w == sig).unwrap();
    (find(b"PK\x03\x04"), find(b"PK\x01\x02"))
}

/// Sets a little-endian field at `local + local_offset` and `central + central_offset`.
fn set_field(zip: &mut [u8], offsets: (usize, usize), value: &[u8]) {
    let (local, central) = headers(zip);
    zip[local + offsets.0..][..value.len()].copy_from_slice(value);
    zip[central + offsets.1..][..value.len()].copy_from_slice(value);
}

fn mode_of(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Total bytes of the regular files under `dir`.
fn bytes_on_disk(dir: &Path) -> u64 {
    let mut total = 0;
    for item in fs::read_dir(dir).unwrap() {
        let item = item.unwrap();
        let meta = item.metadata().unwrap();
        total += if meta.is_dir() {
            bytes_on_disk(&item.path())
        } else {
            meta.len()
        };
    }
    total
}

fn expect_error(result: Result<impl std::fmt::Debug, PackageError>, parts: &[&str]) {
    let message = result.expect_err("should be refused").0;
    for part in parts {
        assert!(
            message.contains(part),
            "{message:?} should mention {part:?}"
        );
    }
}

const HANDLER: &[u8] = b"def main_handler(event, context):\n    return 1\n";

#[test]
fn a_normal_package_round_trips() {
    let zip = Builder::new()
        .entry(
            "bootstrap",
            b"#!/bin/sh\necho hi\n",
            0o755,
            CompressionMethod::Deflated,
        )
        .deflated(
            "src/app/index.py",
            b"def main_handler(event, context):\n    return 1\n",
        )
        .stored("README", b"hello")
        .folder("empty/")
        .entry("suid", b"x", 0o6777, CompressionMethod::Stored)
        .entry("shared", b"y", 0o666, CompressionMethod::Stored)
        .finish();
    let declared = inspect(&zip).unwrap();
    assert_eq!(declared.files, 5);
    let dir = tempfile::tempdir().unwrap();
    let written = extract(&zip, dir.path()).unwrap();
    assert_eq!(written, declared);
    let root = dir.path();
    assert_eq!(
        fs::read(root.join("bootstrap")).unwrap(),
        b"#!/bin/sh\necho hi\n"
    );
    assert_eq!(fs::read(root.join("src/app/index.py")).unwrap(), HANDLER);
    assert_eq!(fs::read(root.join("README")).unwrap(), b"hello");
    assert_eq!(mode_of(&root.join("bootstrap")), 0o755);
    assert_eq!(mode_of(&root.join("README")), 0o644);
    assert_eq!(mode_of(&root.join("suid")), 0o755);
    assert_eq!(mode_of(&root.join("shared")), 0o644);
    assert_eq!(mode_of(&root.join("empty")), 0o755);
    assert_eq!(mode_of(&root.join("src/app")), 0o755);
    assert_eq!(written.unpacked_bytes, bytes_on_disk(root));
}

#[test]
fn the_empty_zip_is_an_empty_package() {
    assert_eq!(inspect(EMPTY_ZIP).unwrap(), PackageInfo::default());
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        extract(EMPTY_ZIP, dir.path()).unwrap(),
        PackageInfo::default()
    );
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn hostile_names_are_refused_with_the_name() {
    let cases: &[(&[u8], &str)] = &[
        (b"../x", "`..`"),
        (b"/etc/x", "absolute"),
        (b"a/../../x", "`..`"),
        (b"..\\x", "`..`"),
        (b"a\\..\\..\\x", "`..`"),
        (b"\\\\host\\x", "absolute"),
        (b"C:\\x", "drive"),
        (b"c:/x", "drive"),
        (b"a\0b", "NUL"),
        (b"a/..", "`..`"),
    ];
    for (name, rule) in cases {
        let placeholder = vec![b'Q'; name.len()];
        let zip = patch(
            Builder::new()
                .stored(std::str::from_utf8(&placeholder).unwrap(), b"data")
                .finish(),
            &placeholder,
            name,
        );
        let shown = shown(&String::from_utf8_lossy(name));
        expect_error(inspect(&zip), &[&shown, rule]);
        let dir = tempfile::tempdir().unwrap();
        expect_error(extract(&zip, dir.path()), &[&shown, rule]);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

#[test]
fn an_empty_name_is_refused() {
    let zip = Builder::new().stored("", b"data").finish();
    expect_error(inspect(&zip), &["entry \"\"", "empty"]);
}

#[test]
fn harmless_spellings_are_cleaned_up() {
    let zip = Builder::new()
        .stored("./a//b.txt", b"1")
        .stored("c\\d.txt", b"2")
        .folder("./")
        .finish();
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(extract(&zip, dir.path()).unwrap().files, 2);
    assert_eq!(fs::read(dir.path().join("a/b.txt")).unwrap(), b"1");
    assert_eq!(fs::read(dir.path().join("c/d.txt")).unwrap(), b"2");
}

#[test]
fn duplicate_and_conflicting_paths_are_refused() {
    let raw = patch(
        Builder::new()
            .stored("dup1", b"a")
            .stored("dup2", b"b")
            .finish(),
        b"dup2",
        b"dup1",
    );
    expect_error(inspect(&raw), &["\"dup1\"", "same name"]);
    let cleaned = Builder::new()
        .stored("a/b", b"a")
        .stored("a//b", b"b")
        .finish();
    expect_error(inspect(&cleaned), &["\"a//b\"", "same path"]);
    let folders = Builder::new().folder("a/").folder("./a/").finish();
    assert!(inspect(&folders).is_err());
    let file_then_child = Builder::new()
        .stored("a", b"a")
        .stored("a/b", b"b")
        .finish();
    expect_error(inspect(&file_then_child), &["\"a/b\"", "not a folder"]);
    let child_then_file = Builder::new()
        .stored("a/b", b"a")
        .stored("a", b"b")
        .finish();
    expect_error(inspect(&child_then_file), &["\"a\"", "not a file"]);
    let folder_after_child = Builder::new().stored("a/b", b"a").folder("a/").finish();
    assert_eq!(inspect(&folder_after_child).unwrap().files, 1);
}

#[test]
fn symbolic_links_are_refused() {
    let zip = Builder::new()
        .stored("ok", b"1")
        .link("link", "/etc/passwd")
        .finish();
    expect_error(inspect(&zip), &["\"link\"", "symbolic link"]);
    let dir = tempfile::tempdir().unwrap();
    expect_error(extract(&zip, dir.path()), &["\"link\""]);
    assert!(fs::symlink_metadata(dir.path().join("link")).is_err());
}

#[test]
fn a_bomb_is_refused_before_anything_is_written() {
    let zeros = vec![0_u8; 2 * 1024 * 1024];
    let zip = Builder::new().deflated("bomb", &zeros).finish();
    assert!(zip.len() < 20_000);
    expect_error(inspect(&zip), &["\"bomb\"", "zip bomb", "100:1"]);
    let dir = tempfile::tempdir().unwrap();
    expect_error(extract(&zip, dir.path()), &["\"bomb\""]);
    assert_eq!(bytes_on_disk(dir.path()), 0);
}

#[test]
fn an_entry_inflating_past_its_declared_size_is_cut_off() {
    let zip = Builder::new()
        .deflated("liar", &vec![7_u8; 1000 * 1024])
        .finish();
    let mut zip = zip;
    set_field(&mut zip, (22, 24), &1000_u32.to_le_bytes());
    assert_eq!(inspect(&zip).unwrap().unpacked_bytes, 1000);
    let dir = tempfile::tempdir().unwrap();
    expect_error(extract(&zip, dir.path()), &["\"liar\""]);
    assert!(bytes_on_disk(dir.path()) <= 1000);
}

#[test]
fn the_total_size_is_limited() {
    let zip = Builder::new()
        .stored("a", &[1; 3000])
        .stored("b", &[2; 3000])
        .finish();
    expect_error(
        inspect_with(&zip, &SMALL),
        &["\"b\"", "more than the 4096 bytes allowed"],
    );
    let dir = tempfile::tempdir().unwrap();
    expect_error(extract_with(&zip, dir.path(), &SMALL), &["\"b\""]);
    assert_eq!(bytes_on_disk(dir.path()), 0);
    assert_eq!(inspect(&zip).unwrap().unpacked_bytes, 6000);
}

#[test]
fn the_ratio_applies_above_its_threshold_only() {
    let zip = Builder::new().deflated("zeros", &[0; 4000]).finish();
    expect_error(inspect_with(&zip, &SMALL), &["\"zeros\"", "100:1"]);
    let lenient = Limits {
        ratio_free_bytes: 4000,
        ..SMALL
    };
    assert_eq!(inspect_with(&zip, &lenient).unwrap().unpacked_bytes, 4000);
}

#[test]
fn too_many_entries_are_refused() {
    let mut builder = Builder::new();
    for n in 0..=SMALL.entries {
        builder = builder.stored(&format!("f{n}"), b"");
    }
    let zip = builder.finish();
    expect_error(inspect_with(&zip, &SMALL), &["more than the 8 entries"]);
    assert_eq!(inspect(&zip).unwrap().files, 9);
}

#[test]
fn encrypted_entries_and_other_methods_are_refused() {
    let mut encrypted = Builder::new().stored("secret", b"data").finish();
    set_field(&mut encrypted, (6, 8), &[1]);
    expect_error(inspect(&encrypted), &["\"secret\"", "encrypted"]);
    let mut bzip2 = Builder::new().stored("packed", b"data").finish();
    set_field(&mut bzip2, (8, 10), &12_u16.to_le_bytes());
    expect_error(inspect(&bzip2), &["\"packed\"", "compression method"]);
}

#[test]
fn garbage_and_damaged_zips_are_refused_without_panicking() {
    let zip = Builder::new()
        .deflated("a/b.py", b"print('hello hello hello')")
        .stored("c", b"see")
        .folder("d/")
        .finish();
    expect_error(inspect(b""), &["empty"]);
    expect_error(inspect(b"definitely not a zip"), &["not a readable zip"]);
    for len in 0..zip.len() {
        let result = inspect(&zip[..len]);
        assert!(result.is_err(), "a truncation to {len} bytes was accepted");
    }
    let mut seed = 0x2545_f491_u32;
    for at in 0..zip.len() {
        let mut damaged = zip.clone();
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        damaged[at] ^= (seed >> 16) as u8 | 1;
        let dir = tempfile::tempdir().unwrap();
        for result in [
            inspect(&damaged).map(drop),
            extract(&damaged, dir.path()).map(drop),
        ] {
            assert_ne!(
                result,
                Err(PackageError(PANIC_MESSAGE.into())),
                "flip at {at}"
            );
        }
    }
}

#[test]
fn the_destination_must_be_empty() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("x"), b"").unwrap();
    expect_error(extract(EMPTY_ZIP, dir.path()), &["not empty"]);
}

#[test]
fn long_names_are_shortened_in_messages() {
    let name = format!("../{}", "n".repeat(300));
    let zip = Builder::new().stored(&name, b"").finish();
    let message = inspect(&zip).unwrap_err().0;
    assert!(
        message.len() < 200 && message.contains("...\""),
        "{message}"
    );
}

#[test]
fn layers_merge_in_binding_order() {
    let first = Builder::new()
        .stored("both", b"first")
        .stored("only-first", b"1")
        .stored("becomes-folder", b"file")
        .stored("becomes-file/inner", b"inner")
        .finish();
    let second = Builder::new()
        .stored("both", b"second")
        .stored("becomes-folder/inner", b"inner")
        .entry("becomes-file", b"file", 0o755, CompressionMethod::Stored)
        .finish();
    let layers: Vec<Arc<[u8]>> = vec![first.into(), second.into(), EMPTY_ZIP.into()];
    let dir = tempfile::tempdir().unwrap();
    merge_layers(&layers, dir.path()).unwrap();
    let root = dir.path();
    assert_eq!(fs::read(root.join("both")).unwrap(), b"second");
    assert_eq!(fs::read(root.join("only-first")).unwrap(), b"1");
    assert_eq!(
        fs::read(root.join("becomes-folder/inner")).unwrap(),
        b"inner"
    );
    assert_eq!(fs::read(root.join("becomes-file")).unwrap(), b"file");
    assert_eq!(mode_of(&root.join("becomes-file")), 0o755);
}

#[test]
fn layers_share_the_limits() {
    let layer: Arc<[u8]> = Builder::new().stored("a", &[1; 3000]).finish().into();
    let dir = tempfile::tempdir().unwrap();
    merge_layers_with(std::slice::from_ref(&layer), dir.path(), &SMALL).unwrap();
    let dir = tempfile::tempdir().unwrap();
    expect_error(
        merge_layers_with(&[layer.clone(), layer], dir.path(), &SMALL),
        &["layer 2", "\"a\"", "layers"],
    );
    assert!(bytes_on_disk(dir.path()) <= SMALL.unpacked_bytes);
    let bad: Arc<[u8]> = Arc::from(&b"junk"[..]);
    expect_error(
        merge_layers(&[bad], tempfile::tempdir().unwrap().path()),
        &["layer 1", "not a readable zip"],
    );
}
