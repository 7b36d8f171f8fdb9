//! Completions (`completions/`) and the man page (`man/s3cp.1`) are generated
//! from the clap definition. This test regenerates them and fails when the
//! committed files differ; `S3CP_REGENERATE=1 cargo test --test generated`
//! writes them.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::{Generator, Shell};
use s3cp::cli::Cli;

fn generated() -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ] {
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "s3cp", &mut out);
        files.push((root.join("completions").join(shell.file_name("s3cp")), out));
    }
    let mut man = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut man)
        .expect("render man page");
    files.push((root.join("man/s3cp.1"), man));
    files
}

#[test]
fn completions_and_man_page_match_the_cli_definition() {
    let regenerate = std::env::var_os("S3CP_REGENERATE").is_some();
    let mut stale = Vec::new();
    for (path, content) in generated() {
        if regenerate {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &content).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(content.as_slice()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}; regenerate with: S3CP_REGENERATE=1 cargo test --test generated"
    );
}
