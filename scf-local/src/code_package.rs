//! [`CodePackage`]: building a function's zip in code, for tests and examples.

use std::io::{Cursor, Write};
use std::path::Path;

use base64::Engine as _;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// A code package (a zip file) built in memory: the `ZipFile` of `CreateFunction`,
/// `UpdateFunctionCode` or `PublishLayerVersion`.
///
/// ```
/// let zip = scf_local::CodePackage::new()
///     .file("index.py", "def main_handler(event, context):\n    return event\n")
///     .executable("bootstrap", "#!/bin/sh\nexec python3 index.py\n")
///     .to_base64();
/// assert!(!zip.is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct CodePackage {
    files: Vec<(String, Vec<u8>, bool)>,
}

impl CodePackage {
    /// An empty package.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file (mode 0644) at `path`, relative to the package root (`/` separates
    /// directories).
    #[must_use]
    pub fn file(mut self, path: impl Into<String>, contents: impl AsRef<[u8]>) -> Self {
        self.files
            .push((path.into(), contents.as_ref().to_vec(), false));
        self
    }

    /// Adds an executable file (mode 0755), such as a Custom Runtime's `bootstrap` or a web
    /// function's `scf_bootstrap`.
    #[must_use]
    pub fn executable(mut self, path: impl Into<String>, contents: impl AsRef<[u8]>) -> Self {
        self.files
            .push((path.into(), contents.as_ref().to_vec(), true));
        self
    }

    /// Adds a Custom Runtime `bootstrap` that starts `program` with `args` (a `/bin/sh` script
    /// that `exec`s it): a program of this machine, such as a Rust function built with
    /// scf-runtime, run by scf-local as the function. The script holds this machine's path, so
    /// such a package only makes sense for scf-local. A path that is not UTF-8 is written lossily.
    ///
    /// ```
    /// let package = scf_local::CodePackage::new().exec_bootstrap("/usr/local/bin/my-function", &["--serve"]);
    /// assert!(!package.to_bytes().is_empty());
    /// ```
    #[must_use]
    pub fn exec_bootstrap(self, program: impl AsRef<Path>, args: &[&str]) -> Self {
        self.executable("bootstrap", exec_script(program.as_ref(), args))
    }

    /// Adds a web function's `scf_bootstrap` that starts `program` with `args`, the same way as
    /// [`exec_bootstrap`](Self::exec_bootstrap): a program of this machine that serves HTTP on
    /// the port in the `PORT` variable.
    ///
    /// ```
    /// let package = scf_local::CodePackage::new().exec_web_bootstrap("/usr/local/bin/my-server", &[]);
    /// assert!(!package.to_bytes().is_empty());
    /// ```
    #[must_use]
    pub fn exec_web_bootstrap(self, program: impl AsRef<Path>, args: &[&str]) -> Self {
        self.executable("scf_bootstrap", exec_script(program.as_ref(), args))
    }

    /// The zip file's bytes (deflated entries).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (path, contents, executable) in &self.files {
            let mode = if *executable { 0o755 } else { 0o644 };
            let options = SimpleFileOptions::default()
                .compression_method(CompressionMethod::Deflated)
                .unix_permissions(mode);
            // Writing to memory cannot fail but for a path zip refuses; such a file is left out.
            if zip.start_file(path.as_str(), options).is_ok() {
                let _ = zip.write_all(contents);
            }
        }
        zip.finish().map(Cursor::into_inner).unwrap_or_default()
    }

    /// The zip file, base64-encoded as the API's `ZipFile` members take it.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.to_bytes())
    }
}

/// A `/bin/sh` script that `exec`s `program` with `args`, each quoted for the shell.
fn exec_script(program: &Path, args: &[&str]) -> String {
    let quote = |text: &str| format!("'{}'", text.replace('\'', r"'\''"));
    let mut line = format!("exec {}", quote(&program.to_string_lossy()));
    for arg in args {
        line.push(' ');
        line.push_str(&quote(arg));
    }
    format!("#!/bin/sh\n{line}\n")
}
