//! `cargo xtask package-function <bin> [--example] [--features <list>] [--target <triple>]
//! [--out <zip>]`: builds a
//! Rust SCF function (a binary using `scf-runtime`) in release mode for Linux and writes the
//! Custom Runtime code package: a zip holding the binary as `bootstrap` (mode 0755) at its root.
//!
//! Without `--target` the binary is built for the host, which must then be Linux. SCF runs
//! x86_64 CentOS 7 (glibc 2.17): a binary linked against a newer glibc does not start there, so
//! for real deployments build for `x86_64-unknown-linux-musl` (static) or on an old-glibc
//! system with `x86_64-unknown-linux-gnu`.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The entry SCF starts: the zip's `bootstrap`, executable.
const ENTRY: &str = "bootstrap";
const MODE: u32 = 0o755;

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
struct Options {
    name: String,
    example: bool,
    features: Option<String>,
    target: Option<String>,
    out: Option<PathBuf>,
}

fn parse(args: &[&str]) -> Result<Options, String> {
    let mut options = Options {
        name: String::new(),
        example: false,
        features: None,
        target: None,
        out: None,
    };
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .map(|v| (*v).to_owned())
                .ok_or(format!("package-function: {flag} needs a value"))
        };
        match arg {
            "--example" => options.example = true,
            "--features" => options.features = Some(value("--features")?),
            "--target" => options.target = Some(value("--target")?),
            "--out" => options.out = Some(PathBuf::from(value("--out")?)),
            flag if flag.starts_with('-') => {
                return Err(format!("package-function: unknown option {flag}"));
            }
            name if options.name.is_empty() => options.name = name.to_owned(),
            extra => return Err(format!("package-function: unexpected argument {extra}")),
        }
    }
    if options.name.is_empty() {
        return Err("package-function: name the binary to package".to_owned());
    }
    Ok(options)
}

/// Runs the command: build, zip, report.
pub(crate) fn package_function(root: &Path, args: &[&str]) -> Result<(), String> {
    let options = parse(args)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    if options.target.is_none() {
        let host = host_triple()?;
        if !host.contains("-linux-") {
            return Err(format!(
                "package-function: the host ({host}) is not Linux; pass --target, e.g. \
                 --target x86_64-unknown-linux-musl"
            ));
        }
    }
    let kind = if options.example {
        "--example"
    } else {
        "--bin"
    };
    let mut build = vec!["build", "--release", kind, options.name.as_str()];
    if let Some(features) = &options.features {
        build.extend(["--features", features.as_str()]);
    }
    if let Some(target) = &options.target {
        build.extend(["--target", target.as_str()]);
    }
    crate::run(root, "build", &cargo, &build, &[])?;

    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let mut binary = target_dir.clone();
    if let Some(target) = &options.target {
        binary.push(target);
    }
    binary.push("release");
    if options.example {
        binary.push("examples");
    }
    binary.push(&options.name);
    let bytes = std::fs::read(&binary).map_err(|e| format!("{}: {e}", binary.display()))?;
    let zip = bootstrap_zip(&bytes)?;
    let out = options.out.unwrap_or_else(|| {
        target_dir
            .join("function-packages")
            .join(format!("{}.zip", options.name))
    });
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(&out, &zip).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "package-function: {} ({} bytes; bootstrap {} bytes)",
        out.display(),
        zip.len(),
        bytes.len()
    );
    Ok(())
}

/// The host's target triple, from `rustc -vV`.
fn host_triple() -> Result<String, String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output = Command::new(&rustc)
        .arg("-vV")
        .output()
        .map_err(|e| format!("package-function: cannot run {rustc}: {e}"))?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| "package-function: `rustc -vV` names no host".to_owned())
}

/// A zip holding `binary` as `bootstrap` (deflated, mode 0755) and nothing else.
pub(crate) fn bootstrap_zip(binary: &[u8]) -> Result<Vec<u8>, String> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(MODE)
        .large_file(binary.len() >= u32::MAX as usize);
    zip.start_file(ENTRY, options)
        .map_err(|e| format!("package-function: zip: {e}"))?;
    zip.write_all(binary)
        .map_err(|e| format!("package-function: zip: {e}"))?;
    let cursor = zip
        .finish()
        .map_err(|e| format!("package-function: zip: {e}"))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn the_zip_holds_only_an_executable_bootstrap_at_its_root() {
        let binary = b"\x7fELF pretend binary".repeat(100);
        let zip = bootstrap_zip(&binary).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        assert_eq!(archive.len(), 1);
        let mut entry = archive.by_index(0).unwrap();
        assert_eq!(entry.name(), "bootstrap");
        assert!(entry.is_file());
        assert_eq!(entry.unix_mode().map(|mode| mode & 0o777), Some(0o755));
        assert_eq!(entry.compression(), CompressionMethod::Deflated);
        let mut contents = Vec::new();
        entry.read_to_end(&mut contents).unwrap();
        assert_eq!(contents, binary);
    }

    #[test]
    fn arguments_are_parsed() {
        assert_eq!(
            parse(&[
                "hello",
                "--example",
                "--features",
                "scf-runtime/logging",
                "--target",
                "x86_64-unknown-linux-musl"
            ])
            .unwrap(),
            Options {
                name: "hello".to_owned(),
                example: true,
                features: Some("scf-runtime/logging".to_owned()),
                target: Some("x86_64-unknown-linux-musl".to_owned()),
                out: None,
            }
        );
        assert_eq!(
            parse(&["--out", "f.zip", "fn"]).unwrap().out,
            Some(PathBuf::from("f.zip"))
        );
        assert!(parse(&[]).is_err());
        assert!(parse(&["a", "b"]).is_err());
        assert!(parse(&["a", "--target"]).is_err());
        assert!(parse(&["a", "--bogus"]).is_err());
    }
}
