use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;
use std::time::Duration;

use super::*;

mod fake;
mod node;
mod python;

fn spec(runtime: &str) -> FunctionSpec {
    FunctionSpec {
        namespace: "ns1".to_owned(),
        name: "hello".to_owned(),
        version: "$LATEST".to_owned(),
        runtime: runtime.to_owned(),
        handler: "index.main_handler".to_owned(),
        memory_mb: 128,
        timeout: Duration::from_secs(3),
        init_timeout: Duration::from_secs(65),
        env: Vec::new(),
        region: "ap-guangzhou".to_owned(),
        code: Arc::from(&[][..]),
        digest: String::new(),
        layers: Vec::new(),
        web: false,
    }
}

fn write_file(path: &Path, text: &str, mode: u32) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The 445 message of a failed `command`, or a panic.
fn refusal(result: Result<Launch, Outcome>) -> String {
    match result {
        Err(Outcome::Failed {
            status: 445,
            message,
        }) => message,
        other => panic!("expected a 445, got {other:?}"),
    }
}

/// Three directories standing for the code, the layers and the bootstraps.
struct Dirs {
    _root: tempfile::TempDir,
    code: PathBuf,
    opt: PathBuf,
    bootstraps: PathBuf,
}

fn dirs() -> Dirs {
    let root = tempfile::tempdir().unwrap();
    let code = root.path().join("code");
    let opt = root.path().join("opt");
    let bootstraps = root.path().join("bootstraps");
    std::fs::create_dir(&code).unwrap();
    std::fs::create_dir(&opt).unwrap();
    install(&bootstraps).unwrap();
    Dirs {
        _root: root,
        code,
        opt,
        bootstraps,
    }
}

fn launch(dirs: &Dirs, runtime: &str, path: Option<&OsStr>) -> Result<Launch, Outcome> {
    command_with_path(
        &spec(runtime),
        &dirs.code,
        &dirs.opt,
        &dirs.bootstraps,
        path,
    )
}

#[test]
fn install_writes_the_bootstraps() {
    let dirs = dirs();
    let python = std::fs::read_to_string(dirs.bootstraps.join("python.py")).unwrap();
    let node = std::fs::read_to_string(dirs.bootstraps.join("node.js")).unwrap();
    assert!(python.contains("/runtime/invocation/next"));
    assert!(node.contains("/runtime/invocation/next"));
    // Installing again (another server in the same directory) overwrites.
    install(&dirs.bootstraps).unwrap();
}

#[test]
fn custom_runtime_runs_the_package_bootstrap() {
    let dirs = dirs();
    let missing = refusal(launch(&dirs, "CustomRuntime", None));
    assert!(missing.starts_with("bootstrap does not exist"), "{missing}");

    std::fs::create_dir(dirs.code.join("bootstrap")).unwrap();
    let directory = refusal(launch(&dirs, "CustomRuntime", None));
    assert!(directory.contains("not a regular file"), "{directory}");
    std::fs::remove_dir(dirs.code.join("bootstrap")).unwrap();

    let bootstrap = dirs.code.join("bootstrap");
    write_file(&bootstrap, "#!/bin/sh\n", 0o644);
    let plain = refusal(launch(&dirs, "CustomRuntime", None));
    assert!(plain.starts_with("bootstrap is not executable"), "{plain}");

    std::fs::set_permissions(&bootstrap, std::fs::Permissions::from_mode(0o755)).unwrap();
    let launch = launch(&dirs, "CustomRuntime", None).unwrap();
    let expected = Launch {
        program: bootstrap,
        args: Vec::new(),
        env: Vec::new(),
    };
    assert_eq!(launch, expected);
}

#[test]
fn other_runtimes_are_refused() {
    let dirs = dirs();
    for runtime in ["Go1", "Java8", "Java11", "Php7", "Php8", "Ruby", ""] {
        let message = refusal(launch(&dirs, runtime, None));
        let expected = format!(
            "runtime {runtime} is not run by scf-local (supported: CustomRuntime, Python 3, Node.js)"
        );
        assert_eq!(message, expected);
    }
    let python2 = refusal(launch(&dirs, "Python2.7", None));
    assert!(
        python2.starts_with("runtime Python2.7 is not supported locally"),
        "{python2}"
    );
}

#[test]
fn missing_interpreters_are_named() {
    let dirs = dirs();
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().as_os_str();
    for runtime in ["Python3.6", "Python3.9", "Python3.12"] {
        let message = refusal(launch(&dirs, runtime, Some(path)));
        assert_eq!(
            message,
            "python3 was not found on PATH: install Python 3 to run Python functions locally"
        );
    }
    let node = refusal(launch(&dirs, "Nodejs16.13", Some(path)));
    assert_eq!(
        node,
        "node was not found on PATH: install Node.js to run Node.js functions locally"
    );
    // No PATH at all.
    let message = refusal(launch(&dirs, "Python3.9", None));
    assert!(message.starts_with("python3 was not found"), "{message}");
}

#[test]
fn interpreters_come_from_path() {
    let dirs = dirs();
    let bin = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    // Not executable, a directory, and a relative entry: all skipped.
    write_file(&bin.path().join("python3"), "", 0o644);
    std::fs::create_dir(bin.path().join("node")).unwrap();
    write_file(&other.path().join("python3"), "", 0o755);
    write_file(&other.path().join("node"), "", 0o755);
    let path = std::env::join_paths([Path::new("relative"), bin.path(), other.path()]).unwrap();
    let path: OsString = path;

    let python = launch(&dirs, "Python3.9", Some(&path)).unwrap();
    let code = dirs.code.to_str().unwrap();
    let opt = dirs.opt.to_str().unwrap();
    let expected = Launch {
        program: other.path().join("python3"),
        args: vec![
            dirs.bootstraps
                .join("python.py")
                .to_str()
                .unwrap()
                .to_owned(),
        ],
        env: vec![
            ("PYTHONPATH".to_owned(), format!("{code}:{opt}")),
            ("PYTHONDONTWRITEBYTECODE".to_owned(), "x".to_owned()),
        ],
    };
    assert_eq!(python, expected);

    let node = launch(&dirs, "Nodejs12.16", Some(&path)).unwrap();
    let node_path = format!("{code}:{code}/node_modules:{opt}:{opt}/node_modules");
    let expected = Launch {
        program: other.path().join("node"),
        args: vec![dirs.bootstraps.join("node.js").to_str().unwrap().to_owned()],
        env: vec![("NODE_PATH".to_owned(), node_path)],
    };
    assert_eq!(node, expected);
}

/// The launch for `runtime` with this machine's `PATH`, or `None` (after saying so) when the
/// interpreter is not installed here.
fn local_launch(dirs: &Dirs, runtime: &str) -> Option<Launch> {
    match command(&spec(runtime), &dirs.code, &dirs.opt, &dirs.bootstraps) {
        Ok(launch) => Some(launch),
        Err(Outcome::Failed { message, .. }) if message.contains("not found on PATH") => {
            eprintln!("skipped: {message}");
            None
        }
        Err(other) => panic!("{other:?}"),
    }
}

/// Parses an error push, checking the key order and the fixed members; returns it as JSON.
fn error_object(posted: &fake::Posted, status: u64) -> serde_json::Value {
    assert_eq!(posted.kind, "error", "{posted:?}");
    let text = &posted.body;
    let keys = [
        "\"errorCode\"",
        "\"errorMessage\"",
        "\"requestId\"",
        "\"stackTrace\"",
        "\"statusCode\"",
    ];
    let positions: Vec<usize> = keys.iter().map(|k| text.find(k).unwrap()).collect();
    assert!(positions.is_sorted(), "keys out of order: {text}");
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(value.as_object().unwrap().len(), 5, "{text}");
    assert_eq!(value["errorCode"], -1, "{text}");
    assert_eq!(value["requestId"], posted.request_id.as_str(), "{text}");
    assert_eq!(value["statusCode"], status, "{text}");
    value
}

/// Checks the `context` a handler returned.
fn check_context(context: &serde_json::Value, request_id: &str) {
    let expected = serde_json::json!({
        "memory_limit_in_mb": 128,
        "time_limit_in_ms": 3000,
        "request_id": request_id,
        "environment": "{\"SCF_NAMESPACE\":\"ns1\"}",
        "environ": "SCF_NAMESPACE=ns1",
        "function_version": "$LATEST",
        "function_name": "hello",
        "namespace": "ns1",
        "tencentcloud_region": "ap-guangzhou",
        "tencentcloud_appid": "1250000000",
        "tencentcloud_uin": "",
    });
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&context[key], value, "context.{key} in {context}");
    }
}
