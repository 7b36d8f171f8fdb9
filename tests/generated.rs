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
        let top = cmd.get_name() == "s3cp";
        let man = clap_mangen::Man::new(cmd);
        let mut page = Vec::new();
        man.render(&mut page).expect("render man page");
        if top {
            page = with_environment_and_files(page);
        }
        pages.push((man.get_filename(), page));
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    walk(cmd, &mut pages);
    pages
}

/// s3cp(1) with ENVIRONMENT and FILES sections (from `s3cp::manual`)
/// before its VERSION.
fn with_environment_and_files(page: Vec<u8>) -> Vec<u8> {
    use clap_mangen::roff::{Roff, bold, roman};
    let mut roff = Roff::new();
    for (heading, entries) in [
        ("ENVIRONMENT", s3cp::manual::ENVIRONMENT),
        ("FILES", s3cp::manual::FILES),
    ] {
        roff.control("SH", [heading]);
        for (name, meaning) in entries {
            roff.control("TP", []);
            roff.text([bold(*name)]);
            roff.text([roman(*meaning)]);
        }
    }
    let page = String::from_utf8(page).expect("utf-8");
    let at = page.find("\n.SH VERSION").expect("s3cp(1) has a VERSION section") + 1;
    let mut out = page[..at].to_owned();
    out.push_str(&roff.to_roff());
    out.push_str(&page[at..]);
    out.into_bytes()
}

/// The environment variables that the code names (outside its tests): the
/// string literals that are `AWS_*`, `S3CP_*`, `XDG_*` or `*_PROXY` names,
/// or the argument of an `env::var`/`var_os` call.
fn variables_read_by_the_code() -> std::collections::BTreeMap<String, String> {
    let mut found = std::collections::BTreeMap::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if !name.ends_with(".rs") || name.ends_with("tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read source");
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            for line in code.lines() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                let mut rest = line;
                while let Some(open) = rest.find('"') {
                    let Some(len) = rest[open + 1..].find('"') else {
                        break;
                    };
                    let literal = &rest[open + 1..open + 1 + len];
                    let before = &rest[..open];
                    let is_name = !literal.is_empty()
                        && literal
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_');
                    let looks_like_one = ["AWS_", "S3CP_", "XDG_"]
                        .iter()
                        .any(|p| literal.starts_with(p))
                        || literal.to_ascii_uppercase().ends_with("_PROXY");
                    let read_here = before.ends_with("var(") || before.ends_with("var_os(");
                    if is_name && (looks_like_one || read_here) {
                        found.insert(literal.to_owned(), format!("{}: {line}", path.display()));
                    }
                    rest = &rest[open + len + 2..];
                }
            }
        }
    }
    found
}

#[test]
fn the_man_page_lists_every_variable_the_code_reads() {
    let listed: Vec<&str> = s3cp::manual::variables().collect();
    let read = variables_read_by_the_code();
    // The scan sees what it must: a variable read by `var_os`, one of an
    // array, and one read through a constant.
    for seen in ["S3CP_STATE_DIR", "AWS_ACCESS_KEY_ID", "S3CP_SSE_C_KEY", "NO_COLOR"] {
        assert!(read.contains_key(seen), "the scan missed {seen}: {read:?}");
    }
    let unlisted: Vec<&String> = read
        .iter()
        .filter(|(name, _)| !listed.contains(&name.to_ascii_uppercase().as_str()))
        .map(|(_, at)| at)
        .collect();
    assert!(
        unlisted.is_empty(),
        "read but not in s3cp::manual::ENVIRONMENT: {unlisted:#?}"
    );
    // s3cp's own that it no longer reads.
    let stale: Vec<&&str> = listed
        .iter()
        .filter(|v| v.starts_with("S3CP_") && !read.contains_key(**v))
        .collect();
    assert!(stale.is_empty(), "listed but never read: {stale:?}");
    // And the page has them.
    let page = String::from_utf8(std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("man/s3cp.1"),
    ).unwrap())
    .unwrap()
    .replace("\\-", "-")
    .replace("\\~", "~");
    for section in [".SH ENVIRONMENT", ".SH FILES"] {
        assert!(page.contains(section), "man/s3cp.1 has no {section}");
    }
    for name in listed {
        assert!(page.contains(name), "man/s3cp.1 lacks {name}");
    }
    assert!(page.contains("~/.aws/credentials"));
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
