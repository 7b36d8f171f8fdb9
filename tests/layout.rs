//! The layout holds: the data path reads one way (cli → config → plan →
//! copy → report), so no module imports one that imports it back, and no
//! clap type is seen below `config`. Read from the sources themselves, so a
//! change that loops back fails here rather than in a review.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The modules that may name clap: the definition, the conversion into
/// plain values, the library's entry point that wires them, and the binary.
const CLAP_ALLOWED: &[&str] = &["cli", "config", "lib", "main"];

/// Every `.rs` file under `src/`, with the top-level module it belongs to
/// (`src/copy/multipart.rs` belongs to `copy`).
fn sources() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                // A test module kept in its own file (`#[path = "x_tests.rs"]`,
                // `x/tests.rs`): tests may reach anywhere, as in `code`.
                && !path.file_stem().is_some_and(|n| n.to_string_lossy().ends_with("tests"))
            {
                let rel = path.strip_prefix(&root).expect("under src");
                let first = rel.components().next().expect("a component");
                let name = first.as_os_str().to_string_lossy();
                let module = name.trim_end_matches(".rs").to_owned();
                out.push((module, path));
            }
        }
    }
    assert!(out.len() > 5, "found only {out:?} under src/");
    out
}

/// The code of a file without its `#[cfg(test)]` module (tests may reach
/// anywhere) and without comments.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("read source");
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => &text[..],
    };
    text.lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("//") || t.starts_with("///") || t.starts_with("//!"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a file refers to through `crate::NAME` or, inside
/// a module directory, `super::` (which stays in the same module).
fn imports(code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if modules.contains(&name) {
            found.insert(name);
        }
    }
    // `use crate::{a, b::C}` groups.
    for (at, _) in code.match_indices("crate::{") {
        let rest = &code[at + "crate::{".len()..];
        let group = &rest[..rest.find('}').unwrap_or(rest.len())];
        for item in group.split(',') {
            let name = item.trim().split("::").next().unwrap_or("").trim();
            if modules.contains(name) {
                found.insert(name.to_owned());
            }
        }
    }
    found
}

/// Whether the code names the `clap` crate (`clap::`, not `myclap::`).
fn names_clap(code: &str) -> bool {
    code.match_indices("clap::").any(|(at, _)| {
        code[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
    })
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let files = sources();
    let modules: BTreeSet<String> = files
        .iter()
        .map(|(m, _)| m.clone())
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, path) in &files {
        // lib.rs wires the modules together and main.rs is the binary:
        // both sit above everything else.
        if module == "lib" || module == "main" {
            continue;
        }
        let deps = imports(&code(path), &modules);
        graph
            .entry(module.clone())
            .or_default()
            .extend(deps.into_iter().filter(|d| d != module));
    }
    // A depth-first search for a cycle, reporting its path.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, &graph, &mut Vec::new(), &mut done) {
            panic!(
                "modules import each other: {} (the data path must read one way)\ngraph: {graph:#?}",
                cycle.join(" -> ")
            );
        }
    }
}

#[test]
fn no_clap_type_below_config() {
    let mut offenders = Vec::new();
    for (module, path) in sources() {
        if CLAP_ALLOWED.contains(&module.as_str()) {
            continue;
        }
        let code = code(&path);
        let cli: BTreeSet<String> = ["cli".to_owned()].into();
        if names_clap(&code) || !imports(&code, &cli).is_empty() {
            offenders.push(path.display().to_string());
        }
    }
    assert!(
        offenders.is_empty(),
        "clap types must stop at config, but these files use clap or the cli module: {offenders:?}"
    );
}

#[test]
fn the_layout_check_sees_a_cycle_and_a_clap_import() {
    // The checks above must be able to fail: the import scanner finds both
    // forms of import.
    let modules: BTreeSet<String> = ["a", "b", "cli"].iter().map(|s| s.to_string()).collect();
    let found = imports("use crate::a::X;\nuse crate::{b::Y, cli};", &modules);
    assert_eq!(
        found,
        ["a", "b", "cli"].iter().map(|s| s.to_string()).collect()
    );
    // `crate::client` is not `crate::cli`, and `myclap::` is not clap.
    assert!(imports("use crate::client::X;", &modules).is_empty());
    assert!(names_clap("use clap::Parser;") && names_clap("x: clap::Error"));
    assert!(!names_clap("use myclap::Parser;"));
}
