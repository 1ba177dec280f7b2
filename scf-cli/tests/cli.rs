//! The `scf` binary against scf-local: every style of input, paging, waiters, output formats
//! (golden files in `tests/golden/`), `--filter`, and each exit status with its message.

mod support;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::json;
use support::{CLOSED, Local, golden, scf_in};

const ZIP: &str = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";

/// The action names of `spec/actions/*.json`.
fn spec_actions() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/actions");
    std::fs::read_dir(&dir)
        .expect("spec/actions")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".json").map(str::to_owned)
        })
        .collect()
}

#[test]
fn every_action_of_the_spec_has_a_command() {
    let spec = spec_actions();
    let table: BTreeSet<String> = scf_cli::generated::COMMANDS
        .iter()
        .map(|c| c.name.to_owned())
        .collect();
    assert_eq!(table, spec);
    assert_eq!(scf_cli::generated::COMMANDS.len(), 52);
    let help = scf_in(&["--help"], &[]).expect(0).stdout;
    for command in scf_cli::generated::COMMANDS {
        assert!(
            help.contains(&format!("  {} ", command.name)),
            "{}",
            command.name
        );
        assert!(help.contains(command.kebab), "{}", command.kebab);
    }
    let waiters = scf_in(&["wait", "--help"], &[]).expect(0).stdout;
    for name in [
        "async-event-done",
        "function-active",
        "provisioned-concurrency-done",
    ] {
        assert!(waiters.contains(name), "{name}:\n{waiters}");
    }
}

#[test]
fn version_help_completions_and_skeletons() {
    let version = scf_in(&["--version"], &[]).expect(0).stdout;
    assert!(version.starts_with("scf "), "{version}");
    let help = scf_in(&["list-functions", "--help"], &[]).expect(0).stdout;
    assert!(
        help.contains("--Order <STRING>") && help.contains("--order"),
        "{help}"
    );
    scf_in(&["help", "GetFunction"], &[]).expect(0);
    let bash = scf_in(&["completions", "bash"], &[]).expect(0).stdout;
    assert!(
        bash.contains("list-functions") && bash.contains("--Code.ZipFile"),
        "bash"
    );
    scf_in(&["completions", "fish"], &[]).expect(0);
    let skeleton = scf_in(&["ListFunctions", "--generate-cli-skeleton"], &[]).expect(0);
    golden("skeleton-list-functions.json", &skeleton.stdout);
}

#[test]
fn invalid_usage_and_input_exit_252_before_sending() {
    let local = Local::start(Duration::from_millis(100));
    let cases: &[(&[&str], &str)] = &[
        (&["--bogus"], "unexpected argument '--bogus'"),
        (&["NoSuchAction"], "unrecognized subcommand"),
        (&["ListFunctions", "--Order", "asc"], "invalid value 'asc'"),
        (
            &["ListFunctions", "--Limit", "ten"],
            "--Limit: expected an integer, got `ten`",
        ),
        (
            &["GetAlias", "--Name", "live"],
            "required input `FunctionName` is not set",
        ),
        (
            &[
                "ListFunctions",
                "--Filters",
                r#"[{"Name":"Status","Values":"x"}]"#,
            ],
            "`Filters[0].Values` must be a JSON array",
        ),
        (
            &["ListFunctions", "--Filters", "[{"],
            "--Filters: not valid JSON",
        ),
        (
            &[
                "ListFunctions",
                "--cli-input-json",
                r#"{"Order":"asc","Bogus":1}"#,
            ],
            "unknown member `Bogus`",
        ),
        (
            &[
                "UpdateFunctionConfiguration",
                "--FunctionName",
                "f",
                "--Environment",
                r#"{"Variables":[{"Key":"K","Value":5}]}"#,
            ],
            "`Environment.Variables[0].Value` must be a string",
        ),
        (
            &["ListFunctions", "--filter", "Functions[", "-o", "json"],
            "--filter:",
        ),
        (
            &[
                "ListFunctions",
                "--cli-input-json",
                "file:///nonexistent/input.json",
            ],
            "cannot read",
        ),
    ];
    for (args, message) in cases {
        let run = local.scf(args).expect(252);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    assert!(
        local.server.requests().is_empty()
            || local.server.requests().iter().all(|r| r.action.is_none())
    );
}

#[test]
fn configuration_and_service_and_network_errors() {
    let local = Local::start(Duration::from_millis(100));
    // 253: no credentials anywhere, and the message says where the chain looked.
    let empty = tempfile::NamedTempFile::new().expect("a file");
    let path = empty.path().to_str().expect("utf-8 path");
    let run = scf_in(
        &[
            "--endpoint-url",
            CLOSED,
            "ListFunctions",
            "--region",
            "ap-guangzhou",
        ],
        &[("TENCENTCLOUD_CREDENTIALS_FILE", path)],
    )
    .expect(253);
    assert!(
        run.stderr.contains("no credentials") && run.stderr.contains("environment"),
        "{}",
        run.stderr
    );
    // 253: a region is needed.
    let run = local
        .scf_with(&["ListFunctions"], &[("TENCENTCLOUD_REGION", "")])
        .expect(253);
    assert!(run.stderr.contains("region"), "{}", run.stderr);
    // 253: a profile named but absent; then the same profile present.
    let file = tempfile::NamedTempFile::new().expect("a file");
    let creds = format!(
        "[cli]\nsecret_id = {}\nsecret_key = {}\n",
        local.server.secret_id(),
        local.server.secret_key()
    );
    std::fs::write(file.path(), creds).expect("written");
    let file_path = file.path().to_str().expect("utf-8 path");
    let url = local.server.url();
    let base = [
        "--endpoint-url",
        url.as_str(),
        "--region",
        "ap-guangzhou",
        "ListNamespaces",
    ];
    let vars = [("TENCENTCLOUD_CREDENTIALS_FILE", file_path)];
    let run = scf_in(&[&base[..], &["--profile", "other"]].concat(), &vars).expect(253);
    assert!(run.stderr.contains("other"), "{}", run.stderr);
    scf_in(&[&base[..], &["--profile", "cli"]].concat(), &vars).expect(0);
    // 254: the service's code, message and request id.
    let run = local
        .scf(&["GetFunction", "--FunctionName", "nope"])
        .expect(254);
    assert!(
        run.stderr.contains("(ResourceNotFound.Function)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("RequestId: "), "{}", run.stderr);
    // 255: nothing listens.
    let keys = [
        ("TENCENTCLOUD_SECRET_ID", local.server.secret_id()),
        ("TENCENTCLOUD_SECRET_KEY", local.server.secret_key()),
    ];
    let run = scf_in(
        &[
            "--endpoint-url",
            CLOSED,
            "--region",
            "ap-guangzhou",
            "ListNamespaces",
        ],
        &keys,
    )
    .expect(255);
    assert!(run.stderr.contains("cannot connect"), "{}", run.stderr);
    // A secret given as input never shows in a message.
    let run = local
        .scf(&[
            "CreateFunction",
            "--FunctionName",
            "s",
            "--Code",
            r#"{"GitPassword":"hunter2-secret","ZipFile":5}"#,
        ])
        .expect(252);
    assert!(!run.stderr.contains("hunter2-secret"), "{}", run.stderr);
}

/// Creates f1..f3 in three input styles.
fn create_functions(local: &Local) {
    local
        .scf(&[
            "CreateFunction",
            "--FunctionName",
            "f1",
            "--Code.ZipFile",
            ZIP,
            "--Handler",
            "index.main",
        ])
        .expect(0);
    local
        .scf(&[
            "create-function",
            "--function-name",
            "f2",
            "--code",
            &format!(r#"{{"ZipFile":"{ZIP}"}}"#),
            "--environment",
            r#"{"Variables":[{"Key":"K","Value":"v"}]}"#,
        ])
        .expect(0);
    let input =
        json!({"FunctionName": "f3", "Code": {"ZipFile": ZIP}, "Description": "from a file"});
    let file = tempfile::NamedTempFile::new().expect("a file");
    std::fs::write(file.path(), input.to_string()).expect("written");
    let arg = format!("file://{}", file.path().display());
    local
        .scf(&["CreateFunction", "--cli-input-json", &arg])
        .expect(0);
    let inline = json!({"FunctionName": "ignored", "Code": {"ZipFile": ZIP}}).to_string();
    // Flags win over --cli-input-json.
    local
        .scf(&[
            "CreateFunction",
            "--cli-input-json",
            &inline,
            "--FunctionName",
            "f4",
        ])
        .expect(0);
}

#[test]
fn lifecycle_inputs_paging_waiters_and_filters() {
    let local = Local::start(Duration::from_millis(1500));
    create_functions(&local);
    let f2 = local
        .scf(&["get-function", "--function-name", "f2"])
        .expect(0)
        .json();
    assert_eq!(f2["Environment"]["Variables"][0]["Key"], "K");
    let f3 = local.scf(&[
        "GetFunction",
        "--FunctionName",
        "f3",
        "--filter",
        "Description",
        "-o",
        "text",
    ]);
    assert_eq!(f3.expect(0).stdout, "from a file\n");
    local
        .scf(&[
            "wait",
            "function-active",
            "--FunctionName",
            "f1",
            "--timeout",
            "30",
        ])
        .expect(0);

    // Paging: every page by default, one call with --no-paginate, --max-items.
    let all = local
        .scf(&["ListFunctions", "--Limit", "1"])
        .expect(0)
        .json();
    assert_eq!(all["Functions"].as_array().map(Vec::len), Some(4), "{all}");
    assert_eq!(all["TotalCount"], 4);
    let one = local
        .scf(&["ListFunctions", "--Limit", "1", "--no-paginate"])
        .expect(0)
        .json();
    assert_eq!(one["Functions"].as_array().map(Vec::len), Some(1));
    let two = local
        .scf(&["list-functions", "--max-items", "2", "-o", "jsonl"])
        .expect(0);
    assert_eq!(two.stdout.lines().count(), 2, "{}", two.stdout);
    assert!(
        two.stderr.contains("continue with --Offset 2"),
        "{}",
        two.stderr
    );
    let names = local
        .scf(&[
            "ListFunctions",
            "--Limit",
            "3",
            "--filter",
            "sort(Functions[].FunctionName)",
            "-o",
            "text",
        ])
        .expect(0);
    assert_eq!(names.stdout, "f1\tf2\tf3\tf4\n");
    let table = local.scf(&[
        "ListFunctions",
        "--Limit",
        "2",
        "--filter",
        "{Total: TotalCount, Functions: Functions[].{Name: FunctionName, Runtime: Runtime, Status: Status}}",
        "-o",
        "table",
    ]);
    golden("list-functions-filtered.table", &table.expect(0).stdout);

    // An asynchronous invocation, its waiter timing out, then succeeding.
    let id = local
        .scf(&[
            "Invoke",
            "--FunctionName",
            "f1",
            "--InvocationType",
            "Event",
            "--ClientContext",
            "{}",
            "--filter",
            "Result.FunctionRequestId",
            "-o",
            "text",
        ])
        .expect(0)
        .stdout;
    let id = id.trim();
    let run = local
        .scf(&[
            "wait",
            "async-event-done",
            "--InvokeRequestId",
            id,
            "--timeout",
            "1",
        ])
        .expect(255);
    assert!(run.stderr.contains("RUNNING"), "{}", run.stderr);
    let done = local
        .scf(&["wait", "async-event-done", "--invoke-request-id", id])
        .expect(0)
        .json();
    assert_eq!(done["Result"]["Status"], "FINISHED");
}

#[test]
fn output_formats_match_their_golden_files() {
    let local = Local::start(Duration::from_millis(100));
    local
        .scf(&[
            "CreateNamespace",
            "--Namespace",
            "orders",
            "--Description",
            "Order processing",
        ])
        .expect(0);
    for (format, file) in [
        ("json", "list-namespaces.json"),
        ("jsonl", "list-namespaces.jsonl"),
        ("yaml", "list-namespaces.yaml"),
        ("table", "list-namespaces.table"),
        ("text", "list-namespaces.text"),
    ] {
        let run = local.scf(&["ListNamespaces", "--output", format]).expect(0);
        golden(file, &run.stdout);
    }
}

#[test]
fn scf_local_serves_in_the_foreground() {
    let child = Command::new(env!("CARGO_BIN_EXE_scf"))
        .args(["local", "--port", "0", "--echo"])
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("scf local starts");
    // Killed and reaped when the test ends, also when it fails.
    let mut child = KillOnDrop(child);
    let mut lines = BufReader::new(child.0.stdout.take().expect("stdout")).lines();
    let first = lines.next().expect("a line").expect("text");
    let url = first
        .strip_prefix("scf-local listening on ")
        .expect("the URL line")
        .to_owned();
    let id = lines.next().expect("a line").expect("text");
    let key = lines.next().expect("a line").expect("text");
    let id = id.strip_prefix("SecretId:").expect("id").trim().to_owned();
    let key = key
        .strip_prefix("SecretKey:")
        .expect("key")
        .trim()
        .to_owned();
    let run = scf_in(
        &[
            "--endpoint-url",
            &url,
            "--region",
            "ap-guangzhou",
            "ListNamespaces",
            "--filter",
            "Namespaces[].Name",
            "-o",
            "text",
        ],
        &[
            ("TENCENTCLOUD_SECRET_ID", &id),
            ("TENCENTCLOUD_SECRET_KEY", &key),
        ],
    );
    drop(child);
    assert_eq!(run.expect(0).stdout, "default\n");
}

/// A child process killed and reaped when dropped.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
