//! What a user reads before running anything: `s3cp -h` (a screen), the
//! README (its tables render), and what `cargo install s3cp` would get (the
//! package's files and its crates.io metadata). No server is needed.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs `cmd` to its end, killing it after `timeout` (and failing).
fn run(mut cmd: Command, timeout: Duration) -> Output {
    let what = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    // The pipes are read on threads so that a full pipe cannot stall it.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut v).map(|_| v)
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut v).map(|_| v)
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not end within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap().expect("stdout"),
        stderr: err.join().unwrap().expect("stderr"),
    }
}

/// `s3cp ARGS` at 100 columns: its stdout, after checking it exited 0.
fn s3cp_help(args: &[&str]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_s3cp"));
    cmd.args(args).env("COLUMNS", "100");
    let out = run(cmd, Duration::from_secs(30));
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn short_help_fits_a_screen_and_long_help_keeps_every_option() {
    let short = s3cp_help(&["-h"]);
    let lines = short.lines().count();
    assert!(lines <= 40, "-h is {lines} lines:\n{short}");
    for line in short.lines() {
        assert!(line.chars().count() <= 100, "wider than 100: {line:?}");
    }
    // The common flags, an example, and where the rest is.
    for want in [
        "--recursive",
        "--from-file",
        "--region",
        "--profile",
        "--endpoint-url",
        "--json",
        "--quiet",
        "--verbose",
        "--dry-run",
        "Examples:",
        "s3cp --help",
    ] {
        assert!(short.contains(want), "-h lacks {want}:\n{short}");
    }
    let long = s3cp_help(&["--help"]);
    // The rare ones are in --help only.
    for rare in [
        "--sse-c-copy-source-key-file",
        "--storage-class",
        "--object-lock-mode",
        "--multipart-threshold",
        "--grant-read-acp",
    ] {
        assert!(!short.contains(rare), "-h shows {rare}:\n{short}");
        assert!(long.contains(rare), "--help lacks {rare}");
    }
    for want in ["Exit status:", "130", "man s3cp", "versionId=ID"] {
        assert!(long.contains(want), "--help lacks {want}");
    }
}

/// The rows of a table whose line before is not part of it: a blank line
/// inside a table ends it, and GitHub shows the rest as text with pipes.
/// Also rows whose cell count differs from their header's.
fn broken_tables(markdown: &str) -> Vec<String> {
    let cells = |line: &str| {
        let mut n = 0;
        let mut prev = ' ';
        for c in line.chars() {
            if c == '|' && prev != '\\' {
                n += 1;
            }
            prev = c;
        }
        n
    };
    let delimiter = |line: &str| {
        line.starts_with('|')
            && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
            && line.contains("---")
    };
    let lines: Vec<&str> = markdown.lines().collect();
    let mut broken = Vec::new();
    let mut header_cells = None;
    let mut in_code = false;
    for (i, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if in_code || !line.starts_with('|') {
            header_cells = None;
            continue;
        }
        match header_cells {
            None => {
                // The first row of a table: a header, followed by the
                // delimiter row.
                if !lines.get(i + 1).is_some_and(|next| delimiter(next)) {
                    broken.push(format!("line {}: a row outside a table: {line}", i + 1));
                }
                header_cells = Some(cells(line));
            }
            Some(n) if cells(line) != n => broken.push(format!(
                "line {}: {} cells, the header has {n}: {line}",
                i + 1,
                cells(line)
            )),
            Some(_) => {}
        }
    }
    broken
}

#[test]
fn readme_tables_render() {
    // The check sees a blank line inside a table, and a row short of a cell.
    let table = "| a | b |\n|---|---|\n| 1 | 2 |\n";
    assert!(broken_tables(table).is_empty());
    assert_eq!(broken_tables(&table.replace("| 1", "\n| 1")).len(), 1);
    assert_eq!(broken_tables(&table.replace("| 2 |", "|")).len(), 1);
    assert!(broken_tables("| `a \\| b` | c |\n|---|---|\n| 1 | 2 |\n").is_empty());

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for doc in ["README.md", "CHANGELOG.md"] {
        let text = std::fs::read_to_string(root.join(doc)).expect(doc);
        let broken = broken_tables(&text);
        assert!(broken.is_empty(), "{doc}: {broken:#?}");
    }
}

#[test]
fn the_package_holds_what_cargo_install_needs_and_no_test_or_benchmark() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = env!("CARGO");
    // --allow-dirty: the tests run in a working tree being edited.
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args(["package", "--list", "--locked", "--allow-dirty"]);
    let out = run(cmd, Duration::from_secs(120));
    assert!(out.status.success(), "{out:?}");
    let list = String::from_utf8(out.stdout).unwrap();
    let files: Vec<&str> = list.lines().collect();
    for want in [
        "README.md",
        "CHANGELOG.md",
        "Cargo.lock",
        "src/main.rs",
        "src/lib.rs",
        "src/copy/mod.rs",
        "man/s3cp.1",
        "completions/s3cp.bash",
    ] {
        assert!(files.contains(&want), "{want} not packaged: {files:?}");
    }
    for file in &files {
        for out_of_it in ["tests/", "scripts/", "emulator/", "target/", "BENCHMARKS"] {
            assert!(!file.starts_with(out_of_it), "{file} is packaged");
        }
    }

    // What crates.io shows.
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args(["metadata", "--no-deps", "--format-version", "1", "--locked"]);
    let out = run(cmd, Duration::from_secs(60));
    assert!(out.status.success(), "{out:?}");
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let package = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "s3cp")
        .expect("the s3cp package");
    for field in ["description", "license", "readme"] {
        assert!(
            package[field].as_str().is_some_and(|v| !v.is_empty()),
            "no {field}"
        );
    }
    for field in ["keywords", "categories"] {
        let n = package[field].as_array().map_or(0, Vec::len);
        assert!((1..=5).contains(&n), "{field}: {}", package[field]);
    }
}
