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
        let out = with_profile_completion(shell, String::from_utf8(out).unwrap());
        files.push((
            root.join("completions").join(shell.file_name("s3cp")),
            out.into_bytes(),
        ));
    }
    for (name, page) in man_pages() {
        files.push((root.join("man").join(name), page));
    }
    files
}

/// The options whose value is a profile name of the AWS config files.
const PROFILE_FLAGS: &[&str] = &["profile", "source-profile"];

/// The profile names of the AWS config files, one per line, sorted, for sh
/// (bash, zsh) and fish alike (single-quoted sed scripts mean the same in
/// both): `[default]` and `[profile NAME]` of `$AWS_CONFIG_FILE` (else
/// ~/.aws/config; not its `[sso-session X]` or `[services X]`), and each
/// `[NAME]` of `$AWS_SHARED_CREDENTIALS_FILE` (else ~/.aws/credentials).
fn profiles_pipeline(config: &str, credentials: &str) -> String {
    const NAME: &str = r"\([^][:space:]][^][:space:]]*\)";
    let open = r"^[[:space:]]*\[[[:space:]]*";
    let close = r"[[:space:]]*\].*";
    format!(
        "{{ command sed -n -e 's/{open}default{close}/default/p' \
            -e 's/{open}profile[[:space:]][[:space:]]*{NAME}{close}/\\1/p' {config} 2>/dev/null; \
          command sed -n -e 's/{open}{NAME}{close}/\\1/p' {credentials} 2>/dev/null; }} | command sort -u"
    )
}

/// clap_complete completes a `--profile` value as a file name: the
/// completions of bash, zsh and fish offer the profiles of the AWS config
/// files instead (see [`profiles_pipeline`]). Panics when the generated
/// script no longer has the shape edited here, so that a new clap_complete
/// cannot drop the profiles unseen.
fn with_profile_completion(shell: Shell, script: String) -> String {
    let sh_files = (
        r#""${AWS_CONFIG_FILE:-$HOME/.aws/config}""#,
        r#""${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}""#,
    );
    let mut edited = 0;
    let mut out = String::new();
    let mut after_flag = false;
    for line in script.lines() {
        let mut line = line.to_owned();
        match shell {
            Shell::Bash => {
                // `--profile)` then `COMPREPLY=($(compgen -f "${cur}"))`.
                let file_names = r#"COMPREPLY=($(compgen -f "${cur}"))"#;
                if after_flag && line.trim() == file_names {
                    line = line.replace(
                        file_names,
                        r#"COMPREPLY=($(compgen -W "$(_s3cp_aws_profiles)" -- "${cur}"))"#,
                    );
                    edited += 1;
                }
                after_flag = PROFILE_FLAGS
                    .iter()
                    .any(|f| line.trim() == format!("--{f})"));
            }
            Shell::Zsh => {
                // '--profile=[HELP]:NAME:_default' \
                if PROFILE_FLAGS
                    .iter()
                    .any(|f| line.trim_start().starts_with(&format!("'--{f}=[")))
                    && line.ends_with(":NAME:_default' \\")
                {
                    line = line.replace(":NAME:_default'", ":NAME:_s3cp_aws_profiles'");
                    edited += 1;
                }
                if line == r#"if [ "$funcstack[1]" = "_s3cp" ]; then"# {
                    out.push_str(&format!(
                        "(( $+functions[_s3cp_aws_profiles] )) ||\n\
                         _s3cp_aws_profiles() {{\n\
                         \x20   local -a profiles\n\
                         \x20   profiles=(${{(f)\"$({})\"}})\n\
                         \x20   _wanted profiles expl 'AWS profile' compadd -a profiles\n\
                         }}\n\n",
                        profiles_pipeline(sh_files.0, sh_files.1)
                    ));
                }
            }
            // complete -c s3cp -n "..." -l profile -d '...' -r
            Shell::Fish
                if PROFILE_FLAGS
                    .iter()
                    .any(|f| line.contains(&format!(" -l {f} -d ")))
                    && line.ends_with(" -r") =>
            {
                line.push_str(" -f -a \"(__s3cp_aws_profiles)\"");
                edited += 1;
            }
            _ => {}
        }
        out.push_str(&line);
        out.push('\n');
    }
    match shell {
        Shell::Bash => {
            out = format!(
                "# The profile names of the AWS config files (for --profile).\n\
                 _s3cp_aws_profiles() {{\n    {}\n}}\n\n{out}",
                profiles_pipeline(sh_files.0, sh_files.1)
            );
        }
        Shell::Fish => {
            out = format!(
                "# The profile names of the AWS config files (for --profile).\n\
                 function __s3cp_aws_profiles\n\
                 \x20   set -l config ~/.aws/config\n\
                 \x20   set -q AWS_CONFIG_FILE; and set config $AWS_CONFIG_FILE\n\
                 \x20   set -l credentials ~/.aws/credentials\n\
                 \x20   set -q AWS_SHARED_CREDENTIALS_FILE; and set credentials $AWS_SHARED_CREDENTIALS_FILE\n\
                 \x20   {}\n\
                 end\n\n{out}",
                profiles_pipeline("$config", "$credentials")
                    .replace("{ ", "begin; ")
                    .replace("; }", "; end")
            );
            // The `-l profile` lines' conditions parse the words before the
            // cursor with argparse, which fails on `--profile` without its
            // value: they hold for `--profile=<TAB>` only. This one holds
            // for `--profile <TAB>`.
            out.push_str(
                "\n# `s3cp --profile <TAB>`: the conditions above fail on a flag whose value\n\
                 # is the word being completed.\n\
                 function __s3cp_completing_a_profile\n\
                 \x20   set -l words (commandline -opc)\n\
                 \x20   contains -- \"$words[-1]\" --profile --source-profile\n\
                 end\n\
                 complete -c s3cp -n __s3cp_completing_a_profile -f -a \"(__s3cp_aws_profiles)\"\n",
            );
        }
        _ => return out,
    }
    assert!(
        edited >= PROFILE_FLAGS.len(),
        "{shell}: the --profile completions were not found ({edited} edited)"
    );
    out
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
    let at = page
        .find("\n.SH VERSION")
        .expect("s3cp(1) has a VERSION section")
        + 1;
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
    for seen in [
        "S3CP_STATE_DIR",
        "AWS_ACCESS_KEY_ID",
        "S3CP_SSE_C_KEY",
        "NO_COLOR",
    ] {
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
    let page = String::from_utf8(
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("man/s3cp.1")).unwrap(),
    )
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

/// The completions of `s3cp WORDS...` (the last word being completed) by
/// the committed bash script, run by bash with `env` as its whole
/// environment (PATH aside).
fn bash_completes(words: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/s3cp.bash");
    let mut cmd = std::process::Command::new("timeout");
    cmd.args(["30", "bash", "--norc", "--noprofile", "-c"])
        .arg(
            r#"source "$0" || exit 9
            COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
            _s3cp s3cp "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\n' "${COMPREPLY[@]}""#,
        )
        .arg(&script)
        .args(words)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(env.iter().copied());
    let out = cmd.output().expect("run bash");
    assert!(out.status.success(), "bash: {out:?}");
    let mut offered: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    offered.sort();
    offered
}

#[test]
fn bash_completes_profile_names_from_the_aws_config_files() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let credentials = dir.path().join("credentials");
    std::fs::write(
        &config,
        "[default]\nregion = eu-west-1\n\n[profile dev]\nregion = us-east-1\n\
         [ profile  staging ]\nrole_arn = arn:aws:iam::1:role/x\n\
         [sso-session corp]\nsso_region = us-east-1\n[services local]\ns3 =\n  endpoint_url = http://x\n",
    )
    .unwrap();
    std::fs::write(
        &credentials,
        "[default]\naws_access_key_id = A\n[ci-deploy]\naws_access_key_id = B\n",
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let files = [
        ("HOME", home.path().as_os_str()),
        ("AWS_CONFIG_FILE", config.as_os_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_os_str()),
    ];
    // Every profile of both files, once; no sso-session or services section.
    assert_eq!(
        bash_completes(&["s3cp", "--profile", ""], &files),
        ["ci-deploy", "default", "dev", "staging"]
    );
    assert_eq!(
        bash_completes(&["s3cp", "-r", "--source-profile", "st"], &files),
        ["staging"]
    );
    assert_eq!(
        bash_completes(&["s3cp", "uploads", "list", "--profile", "d"], &files),
        ["default", "dev"]
    );
    // Without the variables: ~/.aws/config and ~/.aws/credentials.
    std::fs::create_dir(home.path().join(".aws")).unwrap();
    std::fs::write(home.path().join(".aws/config"), "[profile mine]\n").unwrap();
    std::fs::write(home.path().join(".aws/credentials"), "[theirs]\n").unwrap();
    assert_eq!(
        bash_completes(&["s3cp", "--profile", ""], &files[..1]),
        ["mine", "theirs"]
    );
    // Other values are still completed as before (a file name).
    std::fs::write(home.path().join("key.bin"), "k").unwrap();
    let key = home.path().join("ke");
    assert_eq!(
        bash_completes(&["s3cp", "--sse-c-key-file", key.to_str().unwrap()], &files),
        [home.path().join("key.bin").display().to_string()]
    );
}
