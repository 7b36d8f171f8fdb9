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
    for (name, page) in man_pages() {
        files.push((root.join("man").join(name), page));
    }
    files
}

/// One page per command, as `clap_mangen::generate_to` makes them: `s3cp.1`,
/// `s3cp-uploads.1`, `s3cp-uploads-list.1`, ... (the names the SUBCOMMANDS
/// sections refer to), rendered in memory.
fn man_pages() -> Vec<(String, Vec<u8>)> {
    fn walk(cmd: clap::Command, pages: &mut Vec<(String, Vec<u8>)>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub.clone(), pages);
        }
        let man = clap_mangen::Man::new(cmd);
        let mut page = Vec::new();
        man.render(&mut page).expect("render man page");
        pages.push((man.get_filename(), page));
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    walk(cmd, &mut pages);
    pages
}

#[test]
fn every_man_page_referred_to_is_shipped() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let mut missing = Vec::new();
    for (name, page) in man_pages() {
        let text = String::from_utf8(page).unwrap().replace("\\-", "-");
        for (at, _) in text.match_indices("(1)") {
            let start = text[..at]
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .map_or(0, |i| i + 1);
            let referred = format!("{}.1", &text[start..at]);
            if text[start..at].starts_with("s3cp") && !dir.join(&referred).is_file() {
                missing.push(format!("{name} refers to {referred}"));
            }
        }
    }
    assert!(missing.is_empty(), "not shipped: {missing:?}");
    assert!(dir.join("s3cp-uploads.1").is_file());
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
